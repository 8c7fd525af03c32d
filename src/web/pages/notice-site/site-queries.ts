import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  FeedbackPage,
  NoticeContentInput,
  NoticeOverview,
  NoticeStats,
  NoticeVersion,
  SiteLocale,
  SiteMessageKind,
  SiteOutboxPage,
} from '../../../shared/contracts/notice-site.ts';
import { api, isApiError, request } from '../../api/client.ts';
import type { RecipientFilter } from '../../components/RecipientSearch.tsx';
import { incidentKeys } from '../incidents/incident-queries.ts';

/**
 * Query keys. The overview and stats are refreshed after every change; feedback and the outbox decrypt and
 * are audited on each read, so they sit apart and are never read again on their own.
 */
export const noticeKeys = {
  overview: (incidentId: string) => ['notice', incidentId, 'overview'] as const,
  version: (incidentId: string, versionId: string) => ['notice', incidentId, 'version', versionId] as const,
  stats: (incidentId: string) => ['notice', incidentId, 'stats'] as const,
  feedback: (incidentId: string, before: string | null) =>
    ['notice', incidentId, 'feedback', before] as const,
  outbox: (
    incidentId: string,
    filters: Record<string, string | number | null | undefined>,
    before: number | null,
  ) => ['notice', incidentId, 'outbox', filters, before] as const,
};

export const noticePath = (incidentId: string) => `/api/incidents/${incidentId}/notice-site`;

export function noticeQuery(incidentId: string) {
  return queryOptions({
    queryKey: noticeKeys.overview(incidentId),
    queryFn: ({ signal }) => api.get<NoticeOverview>(noticePath(incidentId), undefined, signal),
  });
}

export function versionQuery(incidentId: string, versionId: string) {
  return queryOptions({
    queryKey: noticeKeys.version(incidentId, versionId),
    queryFn: ({ signal }) =>
      api.get<NoticeVersion>(`${noticePath(incidentId)}/versions/${versionId}`, undefined, signal),
    // A version's content only changes while it is the pending one, and that one comes with the overview.
    staleTime: 60_000,
  });
}

export function statsQuery(incidentId: string) {
  return queryOptions({
    queryKey: noticeKeys.stats(incidentId),
    queryFn: ({ signal }) => api.get<NoticeStats>(`${noticePath(incidentId)}/stats`, undefined, signal),
    refetchInterval: 60_000,
  });
}

/** Audited reads: only when asked for, never again on focus or a timer. */
const auditedRead = {
  staleTime: Number.POSITIVE_INFINITY,
  refetchOnWindowFocus: false,
  placeholderData: keepPreviousData,
} as const;

export function feedbackQuery(incidentId: string, before: string | null) {
  return queryOptions({
    queryKey: noticeKeys.feedback(incidentId, before),
    queryFn: ({ signal }) => api.get<FeedbackPage>(`${noticePath(incidentId)}/feedback`, { before }, signal),
    ...auditedRead,
  });
}

export interface SiteOutboxFilters {
  kind: SiteMessageKind | null;
  channel: 'email' | 'sms' | null;
  recipient: RecipientFilter | null;
  /** One message by id (a link from an inbox thread). */
  message: number | null;
}

export function siteOutboxQuery(incidentId: string, filters: SiteOutboxFilters, before: number | null) {
  const query = {
    kind: filters.kind ?? undefined,
    channel: filters.channel ?? undefined,
    before: before ?? undefined,
  };
  return queryOptions({
    // The recipient is keyed by its search id, never by its value.
    queryKey: noticeKeys.outbox(
      incidentId,
      { ...query, searchId: filters.recipient?.id ?? null, message: filters.message },
      before,
    ),
    queryFn: ({ signal }) =>
      filters.recipient && !filters.message
        ? request<SiteOutboxPage>('POST', `${noticePath(incidentId)}/outbox/search`, {
            body: { ...query, to: filters.recipient.to },
            signal,
          })
        : api.get<SiteOutboxPage>(
            `${noticePath(incidentId)}/outbox`,
            filters.message ? { message: filters.message } : query,
            signal,
          ),
    ...auditedRead,
  });
}

/** The address of the rendered page of a version, for a sandboxed frame. */
export function previewUrl(incidentId: string, versionId: string, locale: SiteLocale): string {
  const query = new URLSearchParams({ versionId, locale });
  return `${noticePath(incidentId)}/preview?${query.toString()}`;
}

export function saveDraft(incidentId: string, content: NoticeContentInput): Promise<NoticeVersion> {
  return request<NoticeVersion>('PUT', `${noticePath(incidentId)}/draft`, { body: { content } });
}

/**
 * A change to the notice site: afterwards the overview, versions and stats are read again, and the incident's
 * timeline (approvals and publications are written there). A conflict means the notice moved on meanwhile:
 * it is read again too.
 */
export function useNoticeChange<TInput, TResult>(
  incidentId: string,
  send: (input: TInput) => Promise<TResult>,
  onDone?: (result: TResult) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async (result) => {
      onDone?.(result);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: noticeKeys.overview(incidentId) }),
        queryClient.invalidateQueries({ queryKey: ['notice', incidentId, 'version'] }),
        queryClient.invalidateQueries({ queryKey: noticeKeys.stats(incidentId) }),
        queryClient.invalidateQueries({ queryKey: incidentKeys.timeline(incidentId) }),
      ]);
    },
    // Someone else moved the notice on (approved, published, edited): show what it is now.
    onError: async (error) => {
      if (isApiError(error, 'conflict')) {
        await queryClient.invalidateQueries({ queryKey: noticeKeys.overview(incidentId) });
      }
    },
  });
}
