import { Center, Grid, Loader, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCan } from '../../components/useCan.ts';
import { DetailsCard } from './DetailsCard.tsx';
import { incidentQuery } from './incident-queries.ts';
import { KeyTimesCard } from './KeyTimesCard.tsx';
import { OwnersCard } from './OwnersCard.tsx';
import { TimingsCard } from './TimingsCard.tsx';

/** The incident at a glance: what happened, when, who owns it and how fast the response has been. */
export function OverviewPage({ incidentId }: { incidentId: string }) {
  const canWrite = useCan('incidents:write');
  const incident = useQuery(incidentQuery(incidentId));
  if (incident.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the incident" />
      </Center>
    );
  }
  if (incident.error) return <ErrorAlert error={incident.error} />;
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <DetailsCard incident={incident.data} canEdit={canWrite} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack gap="md">
          <KeyTimesCard incident={incident.data} canEdit={canWrite} />
          <OwnersCard incident={incident.data} canEdit={canWrite} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={12}>
        <TimingsCard metrics={incident.data.metrics} />
      </Grid.Col>
    </Grid>
  );
}
