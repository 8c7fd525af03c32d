import { Center, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { ConflictCard } from './ConflictCard.tsx';
import { useConflicts } from './people-queries.ts';
import { ResolutionBanner } from './ResolutionBanner.tsx';

type ConflictTab = 'open' | 'merged' | 'kept_apart';

const emptyText: Record<ConflictTab, string> = {
  open: 'No conflicts to review: no two records share an email or phone while carrying different customer or national IDs.',
  merged: 'No conflict has been merged yet.',
  kept_apart: 'No conflict has been kept apart yet.',
};

/**
 * Records that look like the same person (same email or phone) but carry different strong identifiers:
 * Candor never merges those on its own. Someone decides, once.
 */
export function ConflictsQueue({ incidentId }: { incidentId: string }) {
  const [tab, setTab] = useState<ConflictTab>('open');
  const open = useConflicts(incidentId, 'open');
  const openCount = open.data?.total;

  return (
    <Stack gap="md" component="section" aria-labelledby="conflicts-title">
      <div>
        <Title order={2} id="conflicts-title">
          Conflicts
        </Title>
        <Text size="sm" c="dimmed">
          Records that share an email address or phone number but carry different customer or national IDs.
          They are kept apart until someone decides: merge them into one person, or keep them apart for good.
        </Text>
      </div>
      <ResolutionBanner incidentId={incidentId} />
      <Tabs value={tab} onChange={(value) => setTab((value ?? 'open') as ConflictTab)} keepMounted={false}>
        <Tabs.List aria-label="Conflicts by status">
          <Tabs.Tab value="open">
            Open{openCount !== undefined ? ` (${formatCount(openCount)})` : ''}
          </Tabs.Tab>
          <Tabs.Tab value="merged">Merged</Tabs.Tab>
          <Tabs.Tab value="kept_apart">Kept apart</Tabs.Tab>
        </Tabs.List>
        {(['open', 'merged', 'kept_apart'] as const).map((status) => (
          <Tabs.Panel key={status} value={status} pt="md">
            <ConflictList incidentId={incidentId} status={status} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function ConflictList({ incidentId, status }: { incidentId: string; status: ConflictTab }) {
  const conflicts = useConflicts(incidentId, status);
  if (conflicts.isPending) {
    return (
      <Center py="md">
        <Loader aria-label="Loading conflicts" />
      </Center>
    );
  }
  if (conflicts.error) return <ErrorAlert error={conflicts.error} />;
  const { conflicts: list, total } = conflicts.data;
  if (list.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {emptyText[status]}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {list.map((conflict) => (
        <ConflictCard key={conflict.id} incidentId={incidentId} conflict={conflict} />
      ))}
      {total > list.length ? (
        <Text size="sm" c="dimmed">
          Showing the first {formatCount(list.length)} of {formatCount(total)}. Decide these and the next ones
          appear.
        </Text>
      ) : null}
    </Stack>
  );
}
