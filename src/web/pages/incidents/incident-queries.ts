import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Incident, IncidentList } from '../../api/types.ts';

export const incidentsQuery = queryOptions({
  queryKey: ['incidents'],
  queryFn: ({ signal }) => api.get<IncidentList>('/api/incidents', undefined, signal),
});

export function incidentQuery(incidentId: string) {
  return queryOptions({
    queryKey: ['incidents', incidentId],
    queryFn: ({ signal }) => api.get<Incident>(`/api/incidents/${incidentId}`, undefined, signal),
  });
}
