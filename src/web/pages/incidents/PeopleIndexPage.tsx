import { Center, EmptyState, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Redirect } from '../../components/Redirect.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterButton } from '../../components/RouterLinks.tsx';
import { IncidentTable } from './IncidentTable.tsx';
import { incidentsQuery } from './incident-queries.ts';

/** The People section of the navigation: affected people belong to an incident, so pick one first. */
export function PeopleIndexPage() {
  return (
    <Stack gap="lg">
      <Title order={1}>People</Title>
      <RequirePermission permission="people:read">
        <ChooseIncident />
      </RequirePermission>
    </Stack>
  );
}

function ChooseIncident() {
  const incidents = useQuery(incidentsQuery);
  if (incidents.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading incidents" />
      </Center>
    );
  }
  if (incidents.error) return <ErrorAlert error={incidents.error} />;
  const list = incidents.data.incidents;
  if (list.length === 1) return <Redirect href={`/incidents/${list[0]!.id}/people`} />;
  if (list.length === 0) {
    return (
      <EmptyState size="lg" maw={640} mx="auto" mt="xl">
        <EmptyState.Title order={2}>No affected people yet</EmptyState.Title>
        <EmptyState.Description>
          Affected people belong to an incident. Create the incident first, then import the breached records
          into it: Candor resolves them into people, with what leaked about each one.
        </EmptyState.Description>
        <EmptyState.Actions>
          <RouterButton to="/incidents">Go to incidents</RouterButton>
        </EmptyState.Actions>
      </EmptyState>
    );
  }
  return (
    <Stack gap="sm">
      <Text c="dimmed">Choose the incident whose affected people you want to see.</Text>
      <IncidentTable incidents={list} to="people" />
    </Stack>
  );
}
