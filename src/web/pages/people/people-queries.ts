import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { PeopleResolutionDto } from '../../../shared/contracts/people.ts';
import { api } from '../../api/client.ts';
import type { ConflictList, ImportList, ImportSummary, PeopleStats } from '../../api/types.ts';

/**
 * Query keys for an incident's people. Only ids go in keys: a searched email or phone never does (keys can
 * end up in URLs, logs and devtools).
 */
export const peopleKeys = {
  all: (incidentId: string) => ['people', incidentId] as const,
  stats: (incidentId: string) => ['people', incidentId, 'stats'] as const,
  imports: (incidentId: string) => ['people', incidentId, 'imports'] as const,
  conflicts: (incidentId: string, status: string) => ['people', incidentId, 'conflicts', status] as const,
  resolution: (incidentId: string) => ['people', incidentId, 'resolution'] as const,
  person: (incidentId: string, personId: string) => ['people', incidentId, 'person', personId] as const,
  issues: (importId: string) => ['imports', importId, 'issues'] as const,
};

export function isImportActive(job: ImportSummary): boolean {
  return job.status === 'pending' || job.status === 'parsing' || job.status === 'resolving';
}

/** The incident's imports, polled every second while one of them is running. */
export function useImports(incidentId: string) {
  return useQuery({
    queryKey: peopleKeys.imports(incidentId),
    queryFn: ({ signal }) => api.get<ImportList>(`/api/incidents/${incidentId}/imports`, undefined, signal),
    refetchInterval: (query) => (query.state.data?.imports.some(isImportActive) ? 1000 : false),
  });
}

/** Counts and breakdowns; refreshed every few seconds while an import adds people. */
export function usePeopleStats(incidentId: string, isImporting: boolean) {
  return useQuery({
    queryKey: peopleKeys.stats(incidentId),
    queryFn: ({ signal }) =>
      api.get<PeopleStats>(`/api/incidents/${incidentId}/people/stats`, undefined, signal),
    refetchInterval: isImporting ? 5000 : false,
  });
}

export function useConflicts(incidentId: string, status: 'open' | 'merged' | 'kept_apart') {
  return useQuery({
    queryKey: peopleKeys.conflicts(incidentId, status),
    queryFn: ({ signal }) =>
      api.get<ConflictList>(`/api/incidents/${incidentId}/conflicts`, { status, limit: 100 }, signal),
    // With people:read_pii the cards carry masked identifiers, an audited read: no silent refetches.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

export function isResolutionActive(resolution: PeopleResolutionDto | undefined): boolean {
  return resolution?.state === 'queued' || resolution?.state === 'running';
}

/** The re-resolution after conflict decisions (a background job), polled every second while it runs. */
export function usePeopleResolution(incidentId: string) {
  return useQuery({
    queryKey: peopleKeys.resolution(incidentId),
    queryFn: ({ signal }) =>
      api.get<PeopleResolutionDto>(`/api/incidents/${incidentId}/people/resolution`, undefined, signal),
    refetchInterval: (query) => (isResolutionActive(query.state.data) ? 1000 : false),
  });
}

/** When the last running import ends, everything derived from people is out of date: read it again. */
export function useRefreshWhenImportsEnd(incidentId: string, isImporting: boolean): void {
  const queryClient = useQueryClient();
  const wasImporting = useRef(isImporting);
  useEffect(() => {
    if (wasImporting.current && !isImporting) {
      void queryClient.invalidateQueries({ queryKey: peopleKeys.all(incidentId) });
      void queryClient.invalidateQueries({ queryKey: ['incidents'] });
    }
    wasImporting.current = isImporting;
  }, [queryClient, incidentId, isImporting]);
}
