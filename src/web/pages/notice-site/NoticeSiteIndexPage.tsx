import { Center, EmptyState, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Redirect } from '../../components/Redirect.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterButton } from '../../components/RouterLinks.tsx';
import { IncidentTable } from '../incidents/IncidentTable.tsx';
import { incidentsQuery } from '../incidents/incident-queries.ts';

/** The Notice site section of the navigation: each incident has its own public site, so pick one first. */
export function NoticeSiteIndexPage() {
  return (
    <Stack gap="lg">
      <Title order={1}>Notice site</Title>
      <RequirePermission permission="notice:read">
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
  if (list.length === 1) return <Redirect href={`/incidents/${list[0]!.id}/notice-site`} />;
  if (list.length === 0) {
    return (
      <EmptyState size="lg" maw={640} mx="auto" mt="xl">
        <EmptyState.Title order={2}>No public notice yet</EmptyState.Title>
        <EmptyState.Description>
          Each incident has its own public page, where affected people read what happened, check whether they
          are affected, see what to do, ask questions and subscribe to updates. Create the incident first.
        </EmptyState.Description>
        <EmptyState.Actions>
          <RouterButton to="/incidents">Go to incidents</RouterButton>
        </EmptyState.Actions>
      </EmptyState>
    );
  }
  return (
    <Stack gap="sm">
      <Text c="dimmed">Choose the incident whose public notice site you want to see.</Text>
      <IncidentTable incidents={list} to="site" />
    </Stack>
  );
}
