import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useState } from 'react';
import { campaignInput } from '../../../shared/contracts/campaigns.ts';
import type { Campaign } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { CampaignForm } from './CampaignForm.tsx';
import { type CampaignDraft, draftFrom, emptyDraft } from './campaign-draft.ts';
import { campaignKeys, campaignQuery } from './campaign-queries.ts';

/** The example the README walks through (examples/campaign.json), loaded only when asked for. */
async function loadExample(): Promise<CampaignDraft> {
  const file = await import('../../../../examples/campaign.json');
  return draftFrom(campaignInput.parse(file.default));
}

export function NewCampaignPage({ incidentId }: { incidentId: string }) {
  return (
    <RequirePermission permission="campaigns:write">
      <CampaignEditor incidentId={incidentId} campaign={null} />
    </RequirePermission>
  );
}

export function EditCampaignPage({ incidentId, campaignId }: { incidentId: string; campaignId: string }) {
  const campaign = useQuery(campaignQuery(campaignId));
  return (
    <RequirePermission permission="campaigns:write">
      {campaign.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the campaign" />
        </Center>
      ) : campaign.error ? (
        <ErrorAlert error={campaign.error} title="This campaign could not be opened" />
      ) : ['preparing', 'running', 'finished', 'cancelled'].includes(campaign.data.status) ? (
        <Alert color="orange" variant="light" title="This campaign cannot be edited now">
          It is {campaign.data.status}. A running campaign is paused first; a finished or cancelled one stays
          as it was sent.{' '}
          <RouterAnchor
            to="/incidents/$incidentId/campaigns/$campaignId"
            params={{ incidentId, campaignId }}
            inherit
          >
            Back to the campaign
          </RouterAnchor>
        </Alert>
      ) : (
        <CampaignEditor incidentId={incidentId} campaign={campaign.data} />
      )}
    </RequirePermission>
  );
}

function CampaignEditor({ incidentId, campaign }: { incidentId: string; campaign: Campaign | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<CampaignDraft>(() => (campaign ? draftFrom(campaign) : emptyDraft()));
  const [isDirty, setIsDirty] = useState(false);
  const [exampleError, setExampleError] = useState<unknown>(null);
  const [isLoadingExample, setIsLoadingExample] = useState(false);
  const change = useCallback((update: (d: CampaignDraft) => CampaignDraft) => {
    setDraft(update);
    setIsDirty(true);
  }, []);

  async function fillWithExample() {
    setIsLoadingExample(true);
    setExampleError(null);
    try {
      setDraft(await loadExample());
      setIsDirty(true);
    } catch (error) {
      setExampleError(error);
    } finally {
      setIsLoadingExample(false);
    }
  }

  const back = () =>
    campaign
      ? navigate({
          to: '/incidents/$incidentId/campaigns/$campaignId',
          params: { incidentId, campaignId: campaign.id },
        })
      : navigate({ to: '/incidents/$incidentId/campaigns', params: { incidentId } });

  const exampleAction = campaign ? null : (
    <Group justify="space-between" align="center">
      <Text size="sm" c="dimmed" maw="60ch">
        New to campaigns? Start from the example: three variants (identity documents, credentials, everyone
        else) in English and Spanish, for email, SMS and letter. Then change what you need.
      </Text>
      {isDirty ? (
        <ConfirmButton
          variant="light"
          color="blue"
          title="Replace what you wrote?"
          message="The form is filled with the example campaign; what you entered so far is lost."
          confirmLabel="Use the example"
          onConfirm={() => void fillWithExample()}
          loading={isLoadingExample}
        >
          Start from the example
        </ConfirmButton>
      ) : (
        <Button variant="light" onClick={() => void fillWithExample()} loading={isLoadingExample}>
          Start from the example
        </Button>
      )}
    </Group>
  );

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{campaign ? `Edit ${campaign.name}` : 'New campaign'}</Title>
        <Text size="sm" c="dimmed">
          {campaign
            ? 'Changes are checked like a new campaign: every template is compiled against a sample person.'
            : 'A campaign sends a notice to every affected person of this incident, once legal has approved each variant.'}
        </Text>
      </div>
      {exampleError ? <ErrorAlert error={exampleError} title="The example could not be loaded" /> : null}
      <CampaignForm
        incidentId={incidentId}
        campaign={campaign}
        draft={draft}
        onDraftChange={change}
        actions={exampleAction}
        onCancel={() => void back()}
        onSaved={async (saved) => {
          queryClient.setQueryData(campaignKeys.detail(saved.id), saved);
          await queryClient.invalidateQueries({ queryKey: campaignKeys.incident(incidentId) });
          await navigate({
            to: '/incidents/$incidentId/campaigns/$campaignId',
            params: { incidentId, campaignId: saved.id },
          });
        }}
      />
    </Stack>
  );
}
