import { Stack, Tabs, Text, Title } from '@mantine/core';
import { RequirePermission } from '../../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../../components/RouterLinks.tsx';
import { useCan } from '../../../components/useCan.ts';
import { MacrosSection } from './MacrosSection.tsx';
import { RulesSection } from './RulesSection.tsx';
import { SlaSection } from './SlaSection.tsx';

export const inboxSettingsTabs = ['macros', 'topics', 'sla'] as const;
export type InboxSettingsTab = (typeof inboxSettingsTabs)[number];

interface Props {
  tab: InboxSettingsTab | undefined;
  onTabChange: (tab: InboxSettingsTab) => void;
}

/** How the inbox works: saved answers, the rules that tag and rank messages, and first-response targets. */
export function InboxSettingsPage({ tab = 'macros', onTabChange }: Props) {
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <RouterAnchor to="/inbox" size="sm">
          ← Inbox
        </RouterAnchor>
        <Title order={1}>Inbox settings</Title>
      </Stack>
      <RequirePermission permission="inbox:read">
        <Settings tab={tab} onTabChange={onTabChange} />
      </RequirePermission>
    </Stack>
  );
}

function Settings({ tab, onTabChange }: { tab: InboxSettingsTab; onTabChange: Props['onTabChange'] }) {
  const canEdit = useCan('inbox:reply');
  return (
    <Stack gap="md">
      {canEdit ? null : (
        <Text c="dimmed" size="sm">
          Your role can read these settings; agents and admins change them.
        </Text>
      )}
      <Tabs
        value={tab}
        onChange={(value) => value && onTabChange(value as InboxSettingsTab)}
        keepMounted={false}
      >
        <Tabs.List aria-label="Inbox settings sections">
          <Tabs.Tab value="macros">Macros</Tabs.Tab>
          <Tabs.Tab value="topics">Topic rules</Tabs.Tab>
          <Tabs.Tab value="sla">SLA targets</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="macros" pt="lg">
          <MacrosSection canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="topics" pt="lg">
          <RulesSection canEdit={canEdit} />
        </Tabs.Panel>
        <Tabs.Panel value="sla" pt="lg">
          <SlaSection canEdit={canEdit} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
