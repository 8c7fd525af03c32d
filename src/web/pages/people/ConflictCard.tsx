import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConflictIdentifiersDto, ConflictRevealDto } from '../../../shared/contracts/people.ts';
import { api } from '../../api/client.ts';
import type { Conflict } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { categoryLabel, conflictFieldLabels } from './labels.ts';
import { peopleKeys } from './people-queries.ts';

type Decision = 'merge' | 'keep_apart';

export function ConflictCard({ incidentId, conflict }: { incidentId: string; conflict: Conflict }) {
  const queryClient = useQueryClient();
  const canDecide = useCan('people:import');
  const decide = useMutation({
    mutationFn: (decision: Decision) =>
      api.post<Conflict>(`/api/conflicts/${conflict.id}/decision`, { decision }),
    onSettled: async () => {
      // A merge starts a re-resolution in the background: its banner polls, and refreshes the counts,
      // charts and other conflicts when it ends.
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all(incidentId) });
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
    },
  });
  const canReadPii = useCan('people:read_pii');
  // The values live in this card's state only (no query cache), gone when hidden or the card unmounts.
  const reveal = useMutation({
    mutationFn: () => api.post<ConflictRevealDto>(`/api/conflicts/${conflict.id}/reveal`, {}),
  });
  const shared = conflictFieldLabels[conflict.shared];
  const differing = conflictFieldLabels[conflict.differing];

  return (
    <Paper withBorder p="md" aria-label={`Same ${shared}, different ${differing}`} component="article">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text fw={600}>
              Same {shared}, different {differing}
            </Text>
            <Text size="sm" c="dimmed">
              Both records have the same {shared}, but their {differing}s differ.
            </Text>
          </div>
          {conflict.status === 'open' ? null : (
            <Text size="sm" c="dimmed">
              {conflict.status === 'merged' ? 'Merged' : 'Kept apart'} by {conflict.decidedBy ?? 'someone'} on{' '}
              {formatDateTime(conflict.decidedAt)}
            </Text>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <RecordSide title="Record A" side={conflict.a} values={reveal.data?.a} conflict={conflict} />
          <RecordSide title="Record B" side={conflict.b} values={reveal.data?.b} conflict={conflict} />
        </SimpleGrid>
        {canReadPii ? (
          <Group gap="sm">
            {reveal.data ? (
              <Button size="xs" variant="subtle" onClick={() => reveal.reset()}>
                Hide the values
              </Button>
            ) : (
              <Button
                size="xs"
                variant="light"
                loading={reveal.isPending}
                onClick={() => reveal.mutate()}
                aria-label={`Reveal the values of both records (same ${shared}, different ${differing})`}
              >
                Reveal the values
              </Button>
            )}
            <Text size="xs" c="dimmed">
              {reveal.data
                ? 'Shown in full. Your reveal is recorded in the audit log.'
                : 'Shows both records in full; recorded in the audit log under your name.'}
            </Text>
          </Group>
        ) : null}
        <ErrorAlert error={reveal.error} />
        {conflict.status === 'open' && canDecide ? (
          <Group gap="sm">
            <ConfirmButton
              size="sm"
              color="blue"
              loading={decide.isPending && decide.variables === 'merge'}
              disabled={decide.isPending}
              title="Merge these records into one person?"
              message={`They will count as one person from now on, despite their different ${differing}s. This decision is final. People are re-resolved in the background; the counts update when it finishes.`}
              confirmLabel="Merge"
              onConfirm={() => decide.mutate('merge')}
            >
              Merge
            </ConfirmButton>
            <ConfirmButton
              size="sm"
              variant="default"
              color="gray"
              loading={decide.isPending && decide.variables === 'keep_apart'}
              disabled={decide.isPending}
              title="Keep these records apart?"
              message="They stay two different people, each told separately. This decision is final."
              confirmLabel="Keep apart"
              onConfirm={() => decide.mutate('keep_apart')}
            >
              Keep apart
            </ConfirmButton>
          </Group>
        ) : null}
        <ErrorAlert error={decide.error} />
      </Stack>
    </Paper>
  );
}

const identifierRows: Array<{ key: keyof ConflictIdentifiersDto; label: string; field?: string }> = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email', field: 'email' },
  { key: 'phone', label: 'Phone', field: 'phone' },
  { key: 'customerId', label: 'Customer ID', field: 'customer_id' },
  { key: 'nationalId', label: 'National ID', field: 'national_id' },
  { key: 'dateOfBirth', label: 'Date of birth' },
  { key: 'place', label: 'Region, country' },
];

function RecordSide({
  title,
  side,
  values,
  conflict,
}: {
  title: string;
  side: Conflict['a'];
  values: ConflictIdentifiersDto | undefined;
  conflict: Conflict;
}) {
  const shown = values ?? side.masked;
  return (
    <Paper bg="var(--mantine-color-gray-0)" p="sm" radius="sm">
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Text size="sm">
        {side.fileName}, line{' '}
        <Text span ff="monospace" inherit>
          {side.line}
        </Text>
      </Text>
      <Group gap={4} mt={6}>
        {side.categories.map((category) => (
          <Badge key={category} variant="outline" color="gray" size="sm" tt="none">
            {categoryLabel(category)}
          </Badge>
        ))}
      </Group>
      {shown ? (
        <Table mt="xs" withRowBorders={false} verticalSpacing={2} aria-label={`${title} identifiers`}>
          <Table.Tbody>
            {identifierRows
              .filter((row) => shown[row.key] !== null)
              .map((row) => {
                const note =
                  row.field === conflict.shared
                    ? 'same'
                    : row.field === conflict.differing
                      ? 'differs'
                      : null;
                return (
                  <Table.Tr key={row.key}>
                    <Table.Th scope="row" fw={500} fz="xs" c="dimmed" w="8.5rem" p={0}>
                      {row.label}
                    </Table.Th>
                    <Table.Td ff="monospace" fz="sm" p={0} style={{ overflowWrap: 'anywhere' }}>
                      {shown[row.key]}
                      {note ? (
                        <Badge ml={6} size="xs" variant="light" color={note === 'same' ? 'blue' : 'orange'}>
                          {note}
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
          </Table.Tbody>
        </Table>
      ) : null}
    </Paper>
  );
}
