import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from './client.ts';
import type { Session } from './types.ts';

export const sessionQueryKey = ['auth', 'session'] as const;

/** The current session, or null when nobody is signed in. */
export const sessionQuery = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: async ({ signal }): Promise<Session | null> => {
    try {
      const session = await api.get<Session>('/api/auth/session', undefined, signal);
      setCsrfToken(session.csrfToken);
      return session;
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  staleTime: 60_000,
});

export function useSession() {
  return useQuery(sessionQuery);
}

/** Re-reads the session after a stage change (sign-in, MFA, setup): the CSRF token may change with it. */
export async function refreshSession(queryClient: QueryClient): Promise<Session | null> {
  return queryClient.fetchQuery({ ...sessionQuery, staleTime: 0 });
}

/** Forgets everything cached for the previous user. */
export function clearSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  const isSessionQuery = (key: readonly unknown[]) =>
    key[0] === sessionQueryKey[0] && key[1] === sessionQueryKey[1];
  queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query.queryKey) });
  queryClient.setQueryData(sessionQueryKey, null);
}
