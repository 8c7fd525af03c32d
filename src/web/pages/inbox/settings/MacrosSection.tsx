import {
  Badge,
  Button,
  Center,
  EmptyState,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Macro } from '../../../../shared/contracts/inbox.ts';
import { api } from '../../../api/client.ts';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../components/format.ts';
import { macroLocaleLabels } from '../inbox-labels.ts';
import { inboxKeys, inboxPath, macrosQuery } from '../inbox-queries.ts';
import { MacroEditor } from './MacroEditor.tsx';
import { useSettingsChange } from './settings-queries.ts';

/** Saved answers agents insert and edit before sending, one per language. */
export function MacrosSection({ canEdit }: { canEdit: boolean }) {
  const macros = useQuery(macrosQuery);
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const remove = useSettingsChange(inboxKeys.macros, (id: string) =>
    api.delete<{ ok: true }>(`${inboxPath}/macros/${id}`),
  );

  return (
    <Stack gap="md" component="section" aria-labelledby="macros-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h3" id="macros-title">
            Macros
          </Title>
          <Text size="sm" c="dimmed">
            Saved answers with the requester’s details filled in. Details about the person appear only once
            they are verified.
          </Text>
        </div>
        {canEdit ? <Button onClick={() => setEditing('new')}>New macro</Button> : null}
      </Group>
      <ErrorAlert error={remove.error} />
      {macros.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading macros" />
        </Center>
      ) : macros.error ? (
        <ErrorAlert error={macros.error} title="The macros could not be loaded" />
      ) : macros.data.macros.length === 0 ? (
        <EmptyState>
          <EmptyState.Title order={3}>No macros yet</EmptyState.Title>
          <EmptyState.Description>
            Write the answers you give most often: “Is this email real?”, how to enrol in credit monitoring,
            how to delete my data.
          </EmptyState.Description>
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" aria-label="Macros">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Language</Table.Th>
                <Table.Th scope="col">Subject</Table.Th>
                <Table.Th scope="col">Last changed</Table.Th>
                {canEdit ? (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {macros.data.macros.map((macro) => (
                <Table.Tr key={macro.id}>
                  <Table.Td fw={500}>{macro.name}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color="gray" tt="none">
                      {macroLocaleLabels[macro.locale]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={macro.subject ? undefined : 'dimmed'} lineClamp={1}>
                      {macro.subject ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(macro.updatedAt)}</Text>
                    <Text size="xs" c="dimmed">
                      by {macro.updatedBy}
                    </Text>
                  </Table.Td>
                  {canEdit ? (
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(macro)}
                          aria-label={`Edit ${macro.name}`}
                        >
                          Edit
                        </Button>
                        <ConfirmButton
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${macro.name}`}
                          title={`Delete the macro “${macro.name}”?`}
                          message="Agents will no longer be able to insert it. Replies already sent stay as they are."
                          confirmLabel="Delete macro"
                          onConfirm={() => remove.mutate(macro.id)}
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
        <MacroEditor macro={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </Stack>
  );
}
