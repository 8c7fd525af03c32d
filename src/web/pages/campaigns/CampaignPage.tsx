import {
  Alert,
  Badge,
  Center,
  Group,
  List,
  Loader,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Campaign } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { SendingWarnings } from '../../components/SendingWarnings.tsx';
import { useCan } from '../../components/useCan.ts';
import { ActivationCodesCard } from './ActivationCodesCard.tsx';
import { CampaignActions } from './CampaignActions.tsx';
import { campaignMoment } from './CampaignCard.tsx';
import { campaignStatusColors, campaignStatusLabels, channelLabels } from './campaign-labels.ts';
import { campaignQuery } from './campaign-queries.ts';
import { LiveProgress, useFollowCampaignState } from './LiveProgress.tsx';
import { OutboxTab } from './OutboxTab.tsx';
import { PreviewPane } from './PreviewPane.tsx';
import { ReachCard } from './ReachCard.tsx';
import { VariantsSection } from './VariantsSection.tsx';

export const campaignTabs = ['overview', 'preview', 'progress', 'outbox'] as const;
export type CampaignTab = (typeof campaignTabs)[number];

interface Props {
  incidentId: string;
  campaignId: string;
  tab: CampaignTab | undefined;
  onTabChange: (tab: CampaignTab) => void;
}

export function CampaignPage(props: Props) {
  return (
    <RequirePermission permission="campaigns:read">
      <CampaignLoader {...props} />
    </RequirePermission>
  );
}

function CampaignLoader({ incidentId, campaignId, tab, onTabChange }: Props) {
  const campaign = useQuery(campaignQuery(campaignId));
  if (campaign.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the campaign" />
      </Center>
    );
  }
  if (campaign.error || campaign.data.incidentId !== incidentId) {
    return (
      <Stack gap="md">
        <ErrorAlert
          error={campaign.error ?? new Error('This campaign belongs to another incident.')}
          title="This campaign could not be opened"
        />
        <RouterAnchor to="/incidents/$incidentId/campaigns" params={{ incidentId }}>
          Back to the incident’s notices
        </RouterAnchor>
      </Stack>
    );
  }
  return <CampaignView campaign={campaign.data} tab={tab} onTabChange={onTabChange} />;
}

function CampaignView({
  campaign: c,
  tab,
  onTabChange,
}: {
  campaign: Campaign;
  tab: CampaignTab | undefined;
  onTabChange: (tab: CampaignTab) => void;
}) {
  useFollowCampaignState(c);
  const canWrite = useCan('campaigns:write');
  const canReadPii = useCan('people:read_pii');
  const hasStarted = c.startedAt !== null;
  const current = tab ?? (hasStarted ? 'progress' : 'overview');
  const showBlockers = (c.status === 'draft' || c.status === 'scheduled') && c.blockers.length > 0;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <RouterAnchor to="/incidents/$incidentId/campaigns" params={{ incidentId: c.incidentId }} size="sm">
          ← All notices of this incident
        </RouterAnchor>
        <Group gap="sm" align="center">
          <Title order={2}>{c.name}</Title>
          <Badge color={campaignStatusColors[c.status]} variant="filled" size="lg">
            <VisuallyHidden>Status: </VisuallyHidden>
            {campaignStatusLabels[c.status]}
          </Badge>
        </Group>
        <Group justify="space-between" align="flex-start" gap="md">
          <Text size="sm" c="dimmed" style={{ flex: '1 1 20rem' }}>
            {campaignMoment(c)} · {c.channels.map((ch) => channelLabels[ch]).join(' → ')} · from{' '}
            {c.printedCompanyName}
            {c.isCompanyNameOverride ? (
              <Badge component="span" color="orange" variant="light" tt="none" size="sm" ml={6}>
                Overrides the company name setting
              </Badge>
            ) : null}{' '}
            · created by {c.createdBy} on {formatDateTime(c.createdAt)}
          </Text>
          {canWrite ? <CampaignActions campaign={c} /> : null}
        </Group>
      </Stack>

      {c.status !== 'finished' && c.status !== 'cancelled' ? <SendingWarnings warnings={c.warnings} /> : null}
      {c.status === 'paused' && c.pausedReason ? (
        <Alert color="orange" variant="light" title="Paused" role="status">
          {c.pausedReason}
        </Alert>
      ) : null}
      {showBlockers ? (
        <Alert color="orange" variant="light" title="Before it can start" role="region">
          <List size="sm" spacing={2}>
            {c.blockers.map((blocker) => (
              <List.Item key={blocker}>{blocker}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {c.status === 'draft' && c.readyToStart ? (
        <Alert color="teal" variant="light" title="Ready to start" role="status">
          Every variant is approved{c.reach.total > 0 ? ' and every person matches one' : ''}.
          {canWrite ? ' Start now, or schedule a time.' : ' Someone with the comms role starts it.'}
        </Alert>
      ) : null}

      <Tabs
        value={current}
        onChange={(value) => value && onTabChange(value as CampaignTab)}
        keepMounted={false}
      >
        <Tabs.List aria-label="Campaign sections">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="preview">Preview</Tabs.Tab>
          <Tabs.Tab value="progress">Progress</Tabs.Tab>
          {canReadPii ? <Tabs.Tab value="outbox">Outbox</Tabs.Tab> : null}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="lg">
          <Stack gap="lg">
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <ReachCard campaign={c} />
              <ActivationCodesCard campaign={c} />
            </SimpleGrid>
            <VariantsSection campaign={c} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="preview" pt="lg">
          <PreviewPane campaign={c} />
        </Tabs.Panel>
        <Tabs.Panel value="progress" pt="lg">
          <LiveProgress campaign={c} />
        </Tabs.Panel>
        {canReadPii ? (
          <Tabs.Panel value="outbox" pt="lg">
            <OutboxTab campaign={c} />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Stack>
  );
}
