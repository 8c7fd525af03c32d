import { Center, Group, Loader, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterButton } from '../../components/RouterLinks.tsx';
import { ConflictsQueue } from './ConflictsQueue.tsx';
import { FindPerson } from './FindPerson.tsx';
import { ImportsSection } from './ImportsSection.tsx';
import { PeopleSummary } from './PeopleSummary.tsx';
import { isImportActive, useImports, usePeopleStats, useRefreshWhenImportsEnd } from './people-queries.ts';

/** An incident's affected people: counts and charts, imports, lookup and the conflicts queue. */
export function PeoplePage({ incidentId }: { incidentId: string }) {
  return (
    <RequirePermission permission="people:read">
      <People incidentId={incidentId} />
    </RequirePermission>
  );
}

function People({ incidentId }: { incidentId: string }) {
  const imports = useImports(incidentId);
  const isImporting = imports.data?.imports.some(isImportActive) ?? false;
  const stats = usePeopleStats(incidentId, isImporting);
  useRefreshWhenImportsEnd(incidentId, isImporting);

  if (stats.isPending || imports.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading affected people" />
      </Center>
    );
  }
  const hasPeople = (stats.data?.people ?? 0) > 0;
  return (
    <Stack gap="xl">
      {stats.error ? <ErrorAlert error={stats.error} title="The counts could not be loaded" /> : null}
      {stats.data && hasPeople ? <PeopleSummary stats={stats.data} /> : null}
      <ImportsSection incidentId={incidentId} imports={imports} hasPeople={hasPeople} />
      {hasPeople ? (
        <Group justify="space-between" align="center" wrap="wrap">
          <Text size="sm" c="dimmed">
            Browse every affected person, filtered by data exposed, jurisdiction, risk or how to reach them.
          </Text>
          <RouterButton to="/incidents/$incidentId/people/list" params={{ incidentId }} variant="light">
            List affected people
          </RouterButton>
        </Group>
      ) : null}
      {hasPeople ? <FindPerson incidentId={incidentId} /> : null}
      {hasPeople || (stats.data?.conflicts ?? 0) > 0 ? <ConflictsQueue incidentId={incidentId} /> : null}
    </Stack>
  );
}
