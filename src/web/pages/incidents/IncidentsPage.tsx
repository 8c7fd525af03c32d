import { Button, Center, EmptyState, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { useCan } from '../../components/useCan.ts';
import { IncidentsMetrics } from './IncidentsMetrics.tsx';
import { IncidentTable } from './IncidentTable.tsx';
import { incidentsQuery } from './incident-queries.ts';
import { LoadDemoButton } from './LoadDemoButton.tsx';
import { NewIncidentModal } from './NewIncidentModal.tsx';

export function IncidentsPage() {
  return (
    <Stack gap="lg">
      <RequirePermission permission="incidents:read">
        <Incidents />
      </RequirePermission>
    </Stack>
  );
}

function Incidents() {
  const canCreate = useCan('incidents:write');
  const canLoadDemo = useCan('people:import');
  const canSeeInsights = useCan('insights:read');
  const [isNewOpen, newIncident] = useDisclosure(false);
  const incidents = useQuery(incidentsQuery);
  const list = incidents.data?.incidents ?? [];

  return (
    <>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Incidents</Title>
          <Text c="dimmed" size="sm">
            One workspace per breach: what happened, who was affected, what the law requires and by when.
          </Text>
        </div>
        {canCreate && list.length > 0 ? <Button onClick={newIncident.open}>New incident</Button> : null}
      </Group>
      {incidents.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading incidents" />
        </Center>
      ) : incidents.error ? (
        <ErrorAlert error={incidents.error} />
      ) : list.length === 0 ? (
        <EmptyState size="lg" maw={680} mx="auto" mt="xl">
          <EmptyState.Title order={2}>No incidents yet</EmptyState.Title>
          <EmptyState.Description>
            Each breach you respond to gets a workspace here: the people affected and what leaked about each
            of them, then deadlines, notices and inquiries. Create one as soon as you become aware of a breach
            {canLoadDemo ? ', or load the demo breach to explore Candor with synthetic data' : ''}.
          </EmptyState.Description>
          <EmptyState.Actions mt="md">
            <Stack gap="sm" align="center">
              <Group justify="center">
                {canLoadDemo ? <LoadDemoButton /> : null}
                {canCreate ? (
                  <Button variant={canLoadDemo ? 'default' : 'filled'} size="md" onClick={newIncident.open}>
                    New incident
                  </Button>
                ) : null}
              </Group>
            </Stack>
          </EmptyState.Actions>
        </EmptyState>
      ) : (
        <>
          <IncidentTable incidents={list} />
          {canSeeInsights ? <IncidentsMetrics /> : null}
        </>
      )}
      {canCreate ? <NewIncidentModal opened={isNewOpen} onClose={newIncident.close} /> : null}
    </>
  );
}
