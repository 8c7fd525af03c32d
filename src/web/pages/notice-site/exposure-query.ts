import { queryOptions } from '@tanstack/react-query';
import type { Exposure } from '../../../shared/consistency/check.ts';
import type { NoticeExposure } from '../../../shared/contracts/consistency.ts';
import { api } from '../../api/client.ts';

/**
 * The incident's measured exposure (people per category, never who), the company's wording settings and
 * "What information was involved" written from the counts: what the editor prefills and checks against.
 */
export function exposureQuery(incidentId: string) {
  return queryOptions({
    queryKey: ['notice', incidentId, 'exposure'] as const,
    queryFn: ({ signal }) =>
      api.get<NoticeExposure>(`/api/incidents/${incidentId}/notice-site/exposure`, undefined, signal),
    staleTime: 60_000,
  });
}

export function exposureOf(data: NoticeExposure): Exposure {
  return {
    people: data.people,
    counts: Object.fromEntries(data.categories.map((c) => [c.category, c.people])),
  };
}
