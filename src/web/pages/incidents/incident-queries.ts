import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import type {
  IncidentDetail,
  IncidentList,
  MetricsOverview,
  TaskList,
  Timeline,
  UserList,
} from '../../api/types.ts';

/**
 * Query keys. Everything about one incident sits under ['incidents', id] so a change to it refreshes its
 * details, timeline and tasks together; obligations sit under ['obligations'] because they depend on the
 * incident, its people and the company profile.
 */
export const incidentKeys = {
  all: ['incidents'] as const,
  detail: (incidentId: string) => ['incidents', incidentId] as const,
  timeline: (incidentId: string) => ['incidents', incidentId, 'timeline'] as const,
  tasks: (incidentId: string) => ['incidents', incidentId, 'tasks'] as const,
  metrics: ['incidents', 'metrics'] as const,
};

export const incidentsQuery = queryOptions({
  queryKey: incidentKeys.all,
  queryFn: ({ signal }) => api.get<IncidentList>('/api/incidents', undefined, signal),
});

export function incidentQuery(incidentId: string) {
  return queryOptions({
    queryKey: incidentKeys.detail(incidentId),
    queryFn: ({ signal }) => api.get<IncidentDetail>(`/api/incidents/${incidentId}`, undefined, signal),
  });
}

export function timelineQuery(incidentId: string) {
  return queryOptions({
    queryKey: incidentKeys.timeline(incidentId),
    queryFn: ({ signal }) => api.get<Timeline>(`/api/incidents/${incidentId}/timeline`, undefined, signal),
  });
}

export function tasksQuery(incidentId: string) {
  return queryOptions({
    queryKey: incidentKeys.tasks(incidentId),
    queryFn: ({ signal }) => api.get<TaskList>(`/api/incidents/${incidentId}/tasks`, undefined, signal),
  });
}

export const metricsQuery = queryOptions({
  queryKey: incidentKeys.metrics,
  queryFn: ({ signal }) => api.get<MetricsOverview>('/api/incidents/metrics', undefined, signal),
});

/** Staff accounts, shared with Settings → Users (same key). Used to pick owners. */
export function useStaff(isEnabled: boolean) {
  return useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.get<UserList>('/api/users', undefined, signal),
    enabled: isEnabled,
  });
}

/**
 * A change to an incident that answers with its new details: the cache takes the answer, and what derives
 * from the incident (timeline, tasks, the list, metrics, obligations and deadlines) is read again.
 */
export function useIncidentChange<TInput>(
  incidentId: string,
  send: (input: TInput) => Promise<IncidentDetail>,
  onDone?: () => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async (detail) => {
      queryClient.setQueryData(incidentKeys.detail(incidentId), detail);
      onDone?.();
      await refreshIncident(queryClient, incidentId);
    },
  });
}

export async function refreshIncident(
  queryClient: ReturnType<typeof useQueryClient>,
  incidentId: string,
): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: incidentKeys.all, exact: true }),
    queryClient.invalidateQueries({ queryKey: incidentKeys.metrics }),
    queryClient.invalidateQueries({ queryKey: incidentKeys.timeline(incidentId) }),
    queryClient.invalidateQueries({ queryKey: incidentKeys.tasks(incidentId) }),
    queryClient.invalidateQueries({ queryKey: ['obligations'] }),
  ]);
}

/** The message the server gave for one field of a refused request (paths may be nested: "times.awareAt"). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!isApiError(error)) return undefined;
  return error.fields?.find((f) => f.path === field || f.path.endsWith(`.${field}`))?.message;
}

/** `YYYY-MM-DDTHH:mm` in the browser's time zone, the format of a datetime-local input. */
export function localInputValue(value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value as an instant (the input has no zone: it is the browser's); null when empty. */
export function toInstant(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
