import type { BulkFilter, InboxChannel, ThreadStatus } from '../../../shared/contracts/inbox.ts';
import { inboxChannels, threadStatuses } from '../../../shared/contracts/inbox.ts';

/** What the inbox list shows, kept in the address so going back from a thread finds the same list. */
export interface InboxFilters {
  status: ThreadStatus;
  topic?: string | undefined;
  channel?: InboxChannel | undefined;
  search?: string | undefined;
  /** Anyone's threads when unset. */
  assignee?: 'me' | 'none' | undefined;
  isBreached?: boolean | undefined;
  isDataRequest?: boolean | undefined;
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;

/** Reads the filters from the address, ignoring whatever does not fit. */
export function parseInboxFilters(search: Record<string, unknown>): InboxFilters {
  return {
    status: threadStatuses.find((s) => s === search.status) ?? 'open',
    topic: text(search.topic, 60),
    channel: inboxChannels.find((c) => c === search.channel),
    search: text(search.search, 200),
    assignee: search.assignee === 'me' || search.assignee === 'none' ? search.assignee : undefined,
    isBreached: search.sla === 'breached' ? true : undefined,
    isDataRequest: search.dsr === 'open' ? true : undefined,
  };
}

/** The filters as the address writes them (the same names as the API). */
export function inboxSearch(filters: InboxFilters): Record<string, string | undefined> {
  return {
    status: filters.status === 'open' ? undefined : filters.status,
    topic: filters.topic,
    channel: filters.channel,
    search: filters.search,
    assignee: filters.assignee,
    sla: filters.isBreached ? 'breached' : undefined,
    dsr: filters.isDataRequest ? 'open' : undefined,
  };
}

/** The list request's query. */
export function threadQueryParams(filters: InboxFilters): Record<string, string | undefined> {
  return { ...inboxSearch(filters), status: filters.status };
}

/**
 * The bulk answer's filter: the list's own query without paging, so "all matching" answers exactly the
 * threads the list counts.
 */
export function bulkFilterOf(filters: InboxFilters): BulkFilter {
  const { status, topic, channel, search, assignee, sla, dsr } = threadQueryParams(filters);
  return Object.fromEntries(
    Object.entries({ status, topic, channel, search, assignee, sla, dsr }).filter(([, v]) => v !== undefined),
  ) as BulkFilter;
}
