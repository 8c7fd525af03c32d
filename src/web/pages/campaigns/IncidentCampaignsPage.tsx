import { Center, EmptyState, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterButton } from '../../components/RouterLinks.tsx';
import { useCan } from '../../components/useCan.ts';
import { CampaignCard } from './CampaignCard.tsx';
import { campaignsQuery } from './campaign-queries.ts';

/** The incident's Campaigns tab: its campaigns, newest first. */
export function IncidentCampaignsPage({ incidentId }: { incidentId: string }) {
  return (
    <RequirePermission permission="campaigns:read">
      <Notices incidentId={incidentId} />
    </RequirePermission>
  );
}

function Notices({ incidentId }: { incidentId: string }) {
  const canWrite = useCan('campaigns:write');
  const campaigns = useQuery(campaignsQuery(incidentId));
  const newButton = canWrite ? (
    <RouterButton to="/incidents/$incidentId/campaigns/new" params={{ incidentId }}>
      New campaign
    </RouterButton>
  ) : null;

  if (campaigns.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the campaigns" />
      </Center>
    );
  }
  if (campaigns.error)
    return <ErrorAlert error={campaigns.error} title="The campaigns could not be loaded" />;
  const list = campaigns.data.campaigns;
  if (list.length === 0) {
    return (
      <EmptyState size="lg" maw={680} mx="auto" mt="lg">
        <EmptyState.Title order={2}>No notices yet</EmptyState.Title>
        <EmptyState.Description>
          A campaign tells every affected person what happened, what leaked about them and what to do: by
          email, then SMS, then letter for those the first channel cannot reach. Write it (or start from the
          example), have legal approve each variant, then start it.
          {canWrite ? '' : ' Someone with the comms role writes campaigns.'}
        </EmptyState.Description>
        {newButton ? <EmptyState.Actions>{newButton}</EmptyState.Actions> : null}
      </EmptyState>
    );
  }
  return (
    <Stack gap="md" component="section" aria-labelledby="campaigns-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h3" id="campaigns-title">
            Campaigns ({list.length})
          </Title>
          <Text size="sm" c="dimmed">
            Newest first. Each variant needs legal’s approval before a campaign starts.
          </Text>
        </div>
        {newButton}
      </Group>
      <Stack gap="sm">
        {list.map((campaign) => (
          <CampaignCard key={campaign.id} campaign={campaign} />
        ))}
      </Stack>
    </Stack>
  );
}
