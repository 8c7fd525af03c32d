import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client.ts';
import type { AlertList, DecideRequest, ObligationsReport, UpcomingList } from '../../api/types.ts';
import { incidentKeys } from '../incidents/incident-queries.ts';

export const obligationKeys = {
  all: ['obligations'] as const,
  incident: (incidentId: string) => ['obligations', 'incident', incidentId] as const,
  upcoming: ['obligations', 'upcoming'] as const,
  alerts: ['obligations', 'alerts'] as const,
};

/** Countdowns tick in the browser; the list itself is re-read every minute for changes made elsewhere. */
const REFRESH_MS = 60_000;

export function obligationsQuery(incidentId: string) {
  return queryOptions({
    queryKey: obligationKeys.incident(incidentId),
    queryFn: ({ signal }) =>
      api.get<ObligationsReport>(`/api/incidents/${incidentId}/obligations`, undefined, signal),
    refetchInterval: REFRESH_MS,
  });
}

export const upcomingQuery = queryOptions({
  queryKey: obligationKeys.upcoming,
  queryFn: ({ signal }) => api.get<UpcomingList>('/api/obligations/upcoming', undefined, signal),
  refetchInterval: REFRESH_MS,
});

export const alertsQuery = queryOptions({
  queryKey: obligationKeys.alerts,
  queryFn: ({ signal }) => api.get<AlertList>('/api/obligations/alerts', undefined, signal),
  refetchInterval: REFRESH_MS,
});

/** Records a legal decision; the answer is the recomputed report. */
export function useDecide(incidentId: string, onDone?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: { key: string; body: DecideRequest }) =>
      api.post<ObligationsReport>(
        `/api/incidents/${incidentId}/obligations/${encodeURIComponent(key)}/decision`,
        body,
      ),
    onSuccess: async (report) => {
      queryClient.setQueryData(obligationKeys.incident(incidentId), report);
      onDone?.();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: obligationKeys.upcoming }),
        queryClient.invalidateQueries({ queryKey: obligationKeys.alerts }),
        queryClient.invalidateQueries({ queryKey: incidentKeys.timeline(incidentId) }),
      ]);
    },
  });
}

/** The address of the regulator-ready report, downloaded by the browser with the session cookie. */
export function reportUrl(incidentId: string, format: 'pdf' | 'json', regime?: string): string {
  return withQuery(`/api/incidents/${incidentId}/obligations/report`, { format, regime });
}
