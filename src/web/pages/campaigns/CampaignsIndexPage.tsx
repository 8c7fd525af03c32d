import { Center, EmptyState, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import type { CampaignSummary, Incident } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { Redirect } from '../../components/Redirect.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor, RouterButton } from '../../components/RouterLinks.tsx';
import { useCan } from '../../components/useCan.ts';
import { incidentsQuery } from '../incidents/incident-queries.ts';
import { CampaignCard } from './CampaignCard.tsx';
import { campaignsQuery } from './campaign-queries.ts';

/** Sending first, then waiting ones, then the rest; newest first within each. */
const statusOrder = {
  running: 0,
  preparing: 0,
  paused: 1,
  scheduled: 2,
  draft: 3,
  finished: 4,
  cancelled: 5,
} as const;
function byUrgency(a: CampaignSummary, b: CampaignSummary): number {
  return statusOrder[a.status] - statusOrder[b.status] || b.createdAt.localeCompare(a.createdAt);
}

/** The Campaigns section: every incident's campaigns, and where to start one (campaigns belong to an incident). */
export function CampaignsIndexPage() {
  return (
    <Stack gap="lg">
      <Title order={1}>Campaigns</Title>
      <RequirePermission permission="campaigns:read">
        <AllCampaigns />
      </RequirePermission>
    </Stack>
  );
}

function AllCampaigns() {
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
  if (list.length === 1) return <Redirect href={`/incidents/${list[0]!.id}/campaigns`} />;
  if (list.length === 0) {
    return (
      <EmptyState size="lg" maw={640} mx="auto" mt="xl">
        <EmptyState.Title order={2}>No campaigns yet</EmptyState.Title>
        <EmptyState.Description>
          A campaign notifies the affected people of one incident. Create the incident and import its affected
          people first; then write the notice in the incident’s Campaigns tab.
        </EmptyState.Description>
        <EmptyState.Actions>
          <RouterButton to="/incidents">Go to incidents</RouterButton>
        </EmptyState.Actions>
      </EmptyState>
    );
  }
  return <CampaignsOfIncidents incidents={list} />;
}

function CampaignsOfIncidents({ incidents }: { incidents: Incident[] }) {
  const canWrite = useCan('campaigns:write');
  const results = useQueries({ queries: incidents.map((incident) => campaignsQuery(incident.id)) });
  const failed = results.find((r) => r.error)?.error;
  const isLoading = results.some((r) => r.isPending);
  const titles = new Map(incidents.map((i) => [i.id, i.title]));
  const campaigns = results.flatMap((r) => r.data?.campaigns ?? []).sort(byUrgency);
  const countOf = (incidentId: string) =>
    results[incidents.findIndex((i) => i.id === incidentId)]?.data?.campaigns.length;

  return (
    <Stack gap="xl">
      <Stack gap="sm" component="section" aria-labelledby="all-campaigns-title">
        <div>
          <Title order={2} size="h3" id="all-campaigns-title">
            All campaigns {isLoading ? '' : `(${campaigns.length})`}
          </Title>
          <Text size="sm" c="dimmed">
            Sending and paused campaigns first, then scheduled ones and drafts, then the finished.
          </Text>
        </div>
        {failed ? <ErrorAlert error={failed} title="Some campaigns could not be loaded" /> : null}
        {isLoading ? (
          <Center py="md">
            <Loader aria-label="Loading the campaigns" />
          </Center>
        ) : campaigns.length === 0 ? (
          <Text c="dimmed">No campaign in any incident yet. Choose the incident to notify below.</Text>
        ) : (
          <Stack gap="sm">
            {campaigns.map((c) => (
              <CampaignCard key={c.id} campaign={c} context={titles.get(c.incidentId)} />
            ))}
          </Stack>
        )}
      </Stack>

      <Stack gap="sm" component="section" aria-labelledby="by-incident-title">
        <div>
          <Title order={2} size="h3" id="by-incident-title">
            By incident
          </Title>
          <Text size="sm" c="dimmed">
            {canWrite
              ? 'Open an incident’s notices to write a new campaign for its affected people.'
              : 'Open an incident’s notices.'}
          </Text>
        </div>
        <Table highlightOnHover verticalSpacing="sm" aria-label="Incidents and their campaigns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Incident</Table.Th>
              <Table.Th scope="col" ta="right">
                People affected
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Campaigns
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {incidents.map((incident) => (
              <Table.Tr key={incident.id}>
                <Table.Td>
                  <Group gap="xs">
                    <RouterAnchor
                      to="/incidents/$incidentId/campaigns"
                      params={{ incidentId: incident.id }}
                      fw={500}
                    >
                      {incident.title}
                    </RouterAnchor>
                  </Group>
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatCount(incident.people)}
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatCount(countOf(incident.id))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Stack>
  );
}
