import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AssigneeList,
  InboxSettings,
  InboxStats,
  Macro,
  ThreadDetail,
  ThreadPage,
  TopicRule,
} from '../../../shared/contracts/inbox.ts';
import { api, request } from '../../api/client.ts';

/** Everything the inbox reads sits under ['inbox'], so a change refreshes the list, counts and stats together. */
export const inboxKeys = {
  all: ['inbox'] as const,
  threads: ['inbox', 'threads'] as const,
  threadList: (params: Record<string, string | undefined>) => ['inbox', 'threads', params] as const,
  thread: (threadId: string) => ['inbox', 'thread', threadId] as const,
  macros: ['inbox', 'macros'] as const,
  rules: ['inbox', 'rules'] as const,
  settings: ['inbox', 'settings'] as const,
  stats: ['inbox', 'stats'] as const,
};

export const inboxPath = '/api/inbox';
export const threadPath = (threadId: string) => `${inboxPath}/threads/${threadId}`;
export const attachmentUrl = (threadId: string, attachmentId: number) =>
  `${threadPath(threadId)}/attachments/${attachmentId}`;

/** An open thread is read every 15 s for new messages and a verification that completed meanwhile. */
export const THREAD_POLL_MS = 15_000;

export const PAGE_SIZE = 50;

export function threadPageQuery(params: Record<string, string | undefined>, cursor: string | undefined) {
  return api.get<ThreadPage>(`${inboxPath}/threads`, { ...params, limit: PAGE_SIZE, cursor });
}

/** One thread. Each read is audited: it refreshes on the timer only while the tab is visible. */
export function threadQuery(threadId: string) {
  return queryOptions({
    queryKey: inboxKeys.thread(threadId),
    queryFn: ({ signal }) => api.get<ThreadDetail>(threadPath(threadId), undefined, signal),
    refetchInterval: THREAD_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/** Active agents and admins a thread can be assigned to (readable by agents, unlike the staff list). */
export function useAssignees() {
  return useQuery({
    queryKey: ['inbox', 'assignees'] as const,
    queryFn: ({ signal }) => api.get<AssigneeList>(`${inboxPath}/assignees`, undefined, signal),
    staleTime: 60_000,
  });
}

export const macrosQuery = queryOptions({
  queryKey: inboxKeys.macros,
  queryFn: ({ signal }) => api.get<{ macros: Macro[] }>(`${inboxPath}/macros`, undefined, signal),
  staleTime: 60_000,
});

export const rulesQuery = queryOptions({
  queryKey: inboxKeys.rules,
  queryFn: ({ signal }) => api.get<{ rules: TopicRule[] }>(`${inboxPath}/rules`, undefined, signal),
  staleTime: 60_000,
});

export const settingsQuery = queryOptions({
  queryKey: inboxKeys.settings,
  queryFn: ({ signal }) => api.get<InboxSettings>(`${inboxPath}/settings`, undefined, signal),
});

export const statsQuery = queryOptions({
  queryKey: inboxKeys.stats,
  queryFn: ({ signal }) => api.get<InboxStats>(`${inboxPath}/stats`, undefined, signal),
  refetchInterval: 60_000,
});

/** Topic keys to readable names, from the rules (which every inbox reader may list). */
export function useTopicLabels(): ReadonlyMap<string, string> {
  const rules = useQuery(rulesQuery);
  return new Map((rules.data?.rules ?? []).map((rule) => [rule.topic, rule.label]));
}

/**
 * A change to one thread that answers with the thread: the cache takes the answer, and the list, its counts
 * and the stats are read again.
 */
export function useThreadChange<TInput>(
  threadId: string,
  send: (input: TInput) => Promise<ThreadDetail>,
  onDone?: (thread: ThreadDetail) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async (thread) => {
      queryClient.setQueryData(inboxKeys.thread(threadId), thread);
      onDone?.(thread);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: inboxKeys.threads }),
        queryClient.invalidateQueries({ queryKey: inboxKeys.stats }),
      ]);
    },
  });
}

export function patchThread(threadId: string, body: object): Promise<ThreadDetail> {
  return api.patch<ThreadDetail>(threadPath(threadId), body);
}

export function putJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PUT', path, { body });
}
