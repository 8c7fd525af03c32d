import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Channel } from '../../../shared/contracts/campaigns.ts';
import { api, request } from '../../api/client.ts';
import type {
  Campaign,
  CampaignInput,
  CampaignList,
  CampaignPreview,
  CampaignStatus,
  OutboxPage,
} from '../../api/types.ts';
import type { RecipientFilter } from '../../components/RecipientSearch.tsx';
import { incidentKeys } from '../incidents/incident-queries.ts';

/** Everything about one campaign sits under ['campaigns', id], the lists under ['campaigns', 'incident', …]. */
export const campaignKeys = {
  all: ['campaigns'] as const,
  incident: (incidentId: string) => ['campaigns', 'incident', incidentId] as const,
  detail: (campaignId: string) => ['campaigns', campaignId] as const,
  status: (campaignId: string) => ['campaigns', campaignId, 'status'] as const,
  letters: (campaignId: string) => ['campaigns', campaignId, 'letters'] as const,
  preview: (campaignId: string, variantId: string, locale: string, channel: Channel) =>
    ['campaigns', campaignId, 'preview', variantId, locale, channel] as const,
  outbox: (
    campaignId: string,
    filters: { channel: string; state: string | null; searchId: number | null },
    before: number | null,
  ) => ['campaigns', campaignId, 'outbox', filters, before] as const,
};

/** While messages go out the console reads progress every two seconds; otherwise only on change. */
export const LIVE_POLL_MS = 2_000;

export function campaignsQuery(incidentId: string) {
  return queryOptions({
    queryKey: campaignKeys.incident(incidentId),
    queryFn: ({ signal }) =>
      api.get<CampaignList>(`/api/incidents/${incidentId}/campaigns`, undefined, signal),
    // A preparing campaign moves to running, and a running one to finished, by itself.
    refetchInterval: (query) =>
      query.state.data?.campaigns.some((c) => c.status === 'running' || c.status === 'preparing')
        ? LIVE_POLL_MS * 5
        : false,
  });
}

export function campaignQuery(campaignId: string) {
  return queryOptions({
    queryKey: campaignKeys.detail(campaignId),
    queryFn: ({ signal }) => api.get<Campaign>(`/api/campaigns/${campaignId}`, undefined, signal),
  });
}

export function campaignStatusQuery(campaignId: string, isPolling: boolean) {
  return queryOptions({
    queryKey: campaignKeys.status(campaignId),
    queryFn: ({ signal }) =>
      api.get<CampaignStatus>(`/api/campaigns/${campaignId}/status`, undefined, signal),
    refetchInterval: isPolling ? LIVE_POLL_MS : false,
  });
}

export function previewQuery(campaignId: string, variantId: string, locale: string, channel: Channel) {
  return queryOptions({
    queryKey: campaignKeys.preview(campaignId, variantId, locale, channel),
    queryFn: ({ signal }) =>
      api.get<CampaignPreview>(
        `/api/campaigns/${campaignId}/preview`,
        { variantId, locale, channel },
        signal,
      ),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** One page of the embedded outbox. Reading it decrypts personal data, so it is never re-read on its own. */
export function outboxQuery(
  campaignId: string,
  filters: { channel: string; state: string | null; recipient: RecipientFilter | null },
  before: number | null,
) {
  const channel = filters.channel === 'all' ? undefined : filters.channel;
  const state = filters.state ?? undefined;
  return queryOptions({
    // The recipient is keyed by its search id, never by its value.
    queryKey: campaignKeys.outbox(
      campaignId,
      { channel: filters.channel, state: filters.state, searchId: filters.recipient?.id ?? null },
      before,
    ),
    queryFn: ({ signal }) =>
      filters.recipient
        ? request<OutboxPage>('POST', `/api/campaigns/${campaignId}/outbox/search`, {
            body: { to: filters.recipient.to, channel, state, before: before ?? undefined },
            signal,
          })
        : api.get<OutboxPage>(`/api/campaigns/${campaignId}/outbox`, { channel, state, before }, signal),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
  });
}

/**
 * A change that answers with the campaign: the cache takes it, and its lists, progress and the incident's
 * timeline (starts, pauses and cancels are written there) are read again.
 */
export function useCampaignChange<TInput>(
  campaign: { id: string; incidentId: string },
  send: (input: TInput) => Promise<Campaign>,
  onDone?: (campaign: Campaign) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async (updated) => {
      queryClient.setQueryData(campaignKeys.detail(campaign.id), updated);
      onDone?.(updated);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: campaignKeys.incident(campaign.incidentId) }),
        queryClient.invalidateQueries({ queryKey: campaignKeys.status(campaign.id) }),
        queryClient.invalidateQueries({ queryKey: incidentKeys.timeline(campaign.incidentId) }),
      ]);
    },
  });
}

/** Creates a campaign in the incident, or replaces one's definition (which voids approvals of changed variants). */
export function saveCampaign(incidentId: string, campaignId: string | null, body: CampaignInput) {
  return campaignId
    ? request<Campaign>('PUT', `/api/campaigns/${campaignId}`, { body })
    : api.post<Campaign>(`/api/incidents/${incidentId}/campaigns`, body);
}
