import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
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
      // A merge re-resolves people: counts, charts and the other conflicts may all change.
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all(incidentId) });
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
    },
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
          <RecordSide title="Record A" side={conflict.a} />
          <RecordSide title="Record B" side={conflict.b} />
        </SimpleGrid>
        {conflict.status === 'open' && canDecide ? (
          <Group gap="sm">
            <ConfirmButton
              size="sm"
              color="blue"
              loading={decide.isPending && decide.variables === 'merge'}
              disabled={decide.isPending}
              title="Merge these records into one person?"
              message={`They will count as one person from now on, despite their different ${differing}s. This decision is final.`}
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

function RecordSide({ title, side }: { title: string; side: Conflict['a'] }) {
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
    </Paper>
  );
}
