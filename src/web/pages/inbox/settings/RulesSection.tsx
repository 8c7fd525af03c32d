import {
  Badge,
  Button,
  Center,
  EmptyState,
  Group,
  Loader,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TopicRule } from '../../../../shared/contracts/inbox.ts';
import { api } from '../../../api/client.ts';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { dsrKindLabels } from '../inbox-labels.ts';
import { inboxKeys, inboxPath, putJson, rulesQuery } from '../inbox-queries.ts';
import { RuleEditor, ruleInputOf } from './RuleEditor.tsx';
import { useSettingsChange } from './settings-queries.ts';

/** The rules that tag new messages with topics and weigh their priority. */
export function RulesSection({ canEdit }: { canEdit: boolean }) {
  const rules = useQuery(rulesQuery);
  const [editing, setEditing] = useState<TopicRule | 'new' | null>(null);
  const toggle = useSettingsChange(inboxKeys.rules, (rule: TopicRule) =>
    putJson<TopicRule>(`${inboxPath}/rules/${rule.id}`, { ...ruleInputOf(rule), enabled: !rule.enabled }),
  );
  const remove = useSettingsChange(inboxKeys.rules, (id: string) =>
    api.delete<{ ok: true }>(`${inboxPath}/rules/${id}`),
  );

  return (
    <Stack gap="md" component="section" aria-labelledby="rules-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h3" id="rules-title">
            Topic rules
          </Title>
          <Text size="sm" c="dimmed" maw={720}>
            Each new message is tagged with every topic whose keywords it contains. The weight raises its
            priority, together with how unhappy it sounds. A rule with a data-request kind flags the thread
            with its legal deadline. Changes apply to messages that arrive afterwards.
          </Text>
        </div>
        {canEdit ? <Button onClick={() => setEditing('new')}>New rule</Button> : null}
      </Group>
      <ErrorAlert error={toggle.error ?? remove.error} />
      {rules.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading topic rules" />
        </Center>
      ) : rules.error ? (
        <ErrorAlert error={rules.error} title="The topic rules could not be loaded" />
      ) : rules.data.rules.length === 0 ? (
        <EmptyState>
          <EmptyState.Title order={3}>No topic rules</EmptyState.Title>
          <EmptyState.Description>Without rules, messages arrive without topics.</EmptyState.Description>
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" aria-label="Topic rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Topic</Table.Th>
                <Table.Th scope="col">Keywords</Table.Th>
                <Table.Th scope="col" ta="right">
                  Weight
                </Table.Th>
                <Table.Th scope="col">Data request</Table.Th>
                <Table.Th scope="col">Enabled</Table.Th>
                {canEdit ? (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.rules.map((rule) => (
                <Table.Tr key={rule.id} c={rule.enabled ? undefined : 'dimmed'}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {rule.label}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {rule.topic}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={380}>
                    <Group gap={4}>
                      {rule.keywords.map((keyword) => (
                        <Badge key={keyword} size="sm" variant="outline" color="gray" tt="none">
                          {keyword}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {rule.weight}
                  </Table.Td>
                  <Table.Td>{rule.dsrKind ? dsrKindLabels[rule.dsrKind] : '—'}</Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${rule.label} enabled`}
                      checked={rule.enabled}
                      disabled={!canEdit || toggle.isPending}
                      onChange={() => toggle.mutate(rule)}
                    />
                  </Table.Td>
                  {canEdit ? (
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(rule)}
                          aria-label={`Edit ${rule.label}`}
                        >
                          Edit
                        </Button>
                        <ConfirmButton
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${rule.label}`}
                          title={`Delete the rule “${rule.label}”?`}
                          message="New messages will no longer be tagged with this topic. Threads already tagged keep it."
                          confirmLabel="Delete rule"
                          onConfirm={() => remove.mutate(rule.id)}
                        >
                          Delete
                        </ConfirmButton>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing ? (
        <RuleEditor rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </Stack>
  );
}
