import { sql } from 'kysely';
import type { ThreadStatus } from '../../../shared/contracts/inbox.ts';
import type { Executor } from '../../db/database.ts';

/**
 * SQL on `inbox_threads` (and the rules it counts topics by). Only the inbox's own tables: the incident's
 * title and the assignee's name come through the incidents and auth doors (thread-view.ts).
 */

/** A thread as the services read it: everything but the search hashes and the sender's blind index. */
export interface ThreadRecord {
  id: string;
  channel: 'web' | 'email' | 'sms';
  status: ThreadStatus;
  topics: string[];
  priority: number;
  sentiment: number | null;
  pn: number | null;
  incident_id: string | null;
  verified_at: Date | null;
  assignee_id: string | null;
  sender_sealed: Buffer;
  subject_sealed: Buffer | null;
  messages: number;
  created_at: Date;
  last_message_at: Date;
  first_response_at: Date | null;
  sla_due_at: Date | null;
  dsr_kind: 'access' | 'deletion' | null;
  dsr_due_at: Date | null;
  dsr_completed_at: Date | null;
  satisfaction: number | null;
  locale: string;
}

const threadColumns = [
  't.id',
  't.channel',
  't.status',
  't.topics',
  't.priority',
  't.sentiment',
  't.pn',
  't.incident_id',
  't.verified_at',
  't.assignee_id',
  't.sender_sealed',
  't.subject_sealed',
  't.messages',
  't.created_at',
  't.last_message_at',
  't.first_response_at',
  't.sla_due_at',
  't.dsr_kind',
  't.dsr_due_at',
  't.dsr_completed_at',
  't.satisfaction',
  't.locale',
] as const;

/** How long before its SLA a thread counts as "due soon". */
export const DUE_SOON_MS = 2 * 3_600_000;

/**
 * The list's filters, resolved: `searchTerms` are the keyed hashes of the search box's words (empty when it
 * has no searchable word, which matches nothing); `assigneeId` is the assignee filter with "me" resolved.
 */
export interface ThreadFilter {
  status?: ThreadStatus | undefined;
  topic?: string | undefined;
  channel?: 'web' | 'email' | 'sms' | undefined;
  incidentId?: string | undefined;
  assigneeId?: string | null | undefined;
  sla?: 'breached' | 'due_soon' | undefined;
  dsr?: 'open' | undefined;
  searchTerms?: string[] | undefined;
}

function filtered(db: Executor, filter: ThreadFilter) {
  let q = db.selectFrom('inbox_threads as t');
  if (filter.status) q = q.where('t.status', '=', filter.status);
  if (filter.topic) q = q.where(sql<boolean>`t.topics @> ARRAY[${filter.topic}]::text[]`);
  if (filter.channel) q = q.where('t.channel', '=', filter.channel);
  if (filter.incidentId) q = q.where('t.incident_id', '=', filter.incidentId);
  if (filter.assigneeId === null) q = q.where('t.assignee_id', 'is', null);
  else if (filter.assigneeId) q = q.where('t.assignee_id', '=', filter.assigneeId);
  if (filter.sla === 'breached') {
    q = q
      .where('t.first_response_at', 'is', null)
      .where('t.status', '<>', 'solved')
      .where('t.sla_due_at', '<', new Date());
  } else if (filter.sla === 'due_soon') {
    q = q
      .where('t.first_response_at', 'is', null)
      .where('t.status', '<>', 'solved')
      .where('t.sla_due_at', '>=', new Date())
      .where('t.sla_due_at', '<', new Date(Date.now() + DUE_SOON_MS));
  }
  if (filter.dsr === 'open')
    q = q.where('t.dsr_kind', 'is not', null).where('t.dsr_completed_at', 'is', null);
  if (filter.searchTerms) {
    q =
      filter.searchTerms.length > 0
        ? q.where(sql<boolean>`t.search_terms @> ${filter.searchTerms}::text[]`)
        : q.where(sql<boolean>`false`);
  }
  return q;
}

/** Where a page starts: after this thread in the list's order. */
export interface ThreadKey {
  priority: number;
  lastMessageAt: string;
  id: string;
}

/**
 * Up to this many threads matching a search are read whole and sorted, rather than found by walking the
 * list's order. The planner cannot know how rare a word is (a word outside its most common ones is
 * assumed in 0.5 % of threads), so for a person's address it walked the whole order: 12 s on 1M threads
 * for one match. Past this many matches (0.5 % of 1M) walking the order finds a page soon enough.
 */
const SEARCH_SORTED_AT_MOST = 5_000;

/** One page of the list, highest priority first, then most recent; `limit + 1` rows say whether more follow. */
export async function listThreadPage(
  db: Executor,
  filter: ThreadFilter,
  page: { after: ThreadKey | null; limit: number },
): Promise<ThreadRecord[]> {
  let q = filtered(db, filter).select(threadColumns);
  if (filter.searchTerms?.length) {
    const found = await filtered(db, filter)
      .select('t.id')
      .limit(SEARCH_SORTED_AT_MOST + 1)
      .execute();
    if (found.length === 0) return [];
    if (found.length <= SEARCH_SORTED_AT_MOST) {
      q = db
        .selectFrom('inbox_threads as t')
        .select(threadColumns)
        .where('t.id', '=', sql<string>`ANY(${found.map((r) => r.id)}::uuid[])`);
    }
  }
  if (page.after) {
    const { priority, lastMessageAt, id } = page.after;
    q = q.where(
      sql<boolean>`(t.priority, t.last_message_at, t.id) < (${priority}::smallint, ${lastMessageAt}::timestamptz, ${id}::uuid)`,
    );
  }
  return (await q
    .orderBy('t.priority', 'desc')
    .orderBy('t.last_message_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(page.limit + 1)
    .execute()) as ThreadRecord[];
}

/** How many threads match, counted up to `cap + 1` (counting a surge exactly costs a scan). */
export async function countThreadsCapped(db: Executor, filter: ThreadFilter, cap: number): Promise<number> {
  const result = await sql<{ n: string }>`SELECT count(*) AS n FROM (${filtered(db, filter)
    .select('t.id')
    .limit(cap + 1)}) capped`.execute(db);
  return Number(result.rows[0]!.n);
}

/** The ids of the matching threads that are not solved (what a bulk answer by filter reaches). */
export async function unsolvedThreadIds(db: Executor, filter: ThreadFilter): Promise<string[]> {
  const rows = await filtered(db, filter).select('t.id').where('t.status', '<>', 'solved').execute();
  return rows.map((r) => r.id);
}

export async function findThread(db: Executor, id: string): Promise<ThreadRecord | undefined> {
  return (await db
    .selectFrom('inbox_threads as t')
    .select(threadColumns)
    .where('t.id', '=', id)
    .executeTakeFirst()) as ThreadRecord | undefined;
}

/** A thread locked for the caller's transaction (`FOR UPDATE`). */
export async function lockThread(tx: Executor, id: string): Promise<ThreadRecord | undefined> {
  return (await tx
    .selectFrom('inbox_threads as t')
    .select(threadColumns)
    .where('t.id', '=', id)
    .forUpdate()
    .executeTakeFirst()) as ThreadRecord | undefined;
}

/** Several threads locked for the caller's transaction, in id order (bulk replies). */
export async function lockThreads(tx: Executor, ids: readonly string[]): Promise<ThreadRecord[]> {
  if (ids.length === 0) return [];
  return (await tx
    .selectFrom('inbox_threads as t')
    .select(threadColumns)
    .where('t.id', 'in', ids as string[])
    .orderBy('t.id')
    .forUpdate()
    .execute()) as ThreadRecord[];
}

/**
 * Threads answered: the first response time kept once set, the new status, and the solved time set on
 * solving (kept if already solved) or cleared otherwise.
 */
export async function markAnswered(
  tx: Executor,
  ids: readonly string[],
  status: ThreadStatus,
): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('inbox_threads')
    .set({
      first_response_at: sql<Date>`coalesce(first_response_at, now())`,
      status,
      solved_at: status === 'solved' ? sql<Date>`coalesce(solved_at, now())` : null,
    })
    .where('id', 'in', ids as string[])
    .execute();
}

/** What an agent may change by hand: status (with its solved time), assignee, a data request's completion. */
export interface ThreadChanges {
  status?: ThreadStatus;
  solved_at?: Date | null;
  assignee_id?: string | null;
  dsr_completed_at?: Date | null;
}

export async function updateThreadFields(tx: Executor, id: string, changes: ThreadChanges): Promise<void> {
  await tx.updateTable('inbox_threads').set(changes).where('id', '=', id).execute();
}

export async function markThreadVerified(tx: Executor, id: string, at: Date): Promise<void> {
  await tx.updateTable('inbox_threads').set({ verified_at: at }).where('id', '=', id).execute();
}

/**
 * The counts above the list, read from the counts the threads' triggers keep (migration 0019) and, for SLA
 * breaches (which the clock makes, not a write), the threads waiting for a first answer minus those not
 * yet due, read from the partial SLA index. One statement: one snapshot and one `now()` for both. On 1M
 * threads this replaced two full scans (1.4 s each) with a few milliseconds.
 */
export async function countThreadsByState(db: Executor) {
  const counts = await sql<{ kept: Record<string, string> | null; not_yet_due: string }>`
    SELECT (SELECT jsonb_object_agg(key, n) FROM (
        SELECT key, sum(n) AS n FROM inbox_thread_counts WHERE key NOT LIKE 'topic:%' GROUP BY key) c) AS kept,
      (SELECT count(*) FROM inbox_threads
        WHERE first_response_at IS NULL AND status <> 'solved' AND sla_due_at >= now()) AS not_yet_due`.execute(
    db,
  );
  const kept = counts.rows[0]?.kept ?? {};
  const n = (key: string) => Number(kept[key] ?? 0);
  return {
    open: n('open'),
    pending: n('pending'),
    solved: n('solved'),
    breached: n('unanswered') - Number(counts.rows[0]?.not_yet_due ?? 0),
    dsrOpen: n('dsr_open'),
  };
}

/** Open threads per topic of the rules (every rule listed, zero included), from the kept counts. */
export async function countOpenThreadsByTopic(
  db: Executor,
): Promise<Array<{ topic: string; label: string; open: number }>> {
  const topics = await sql<{ topic: string; label: string; open: string }>`
    SELECT r.topic, r.label, coalesce(sum(c.n), 0) AS open FROM inbox_rules r
    LEFT JOIN inbox_thread_counts c ON c.key = 'topic:' || r.topic
    GROUP BY r.topic, r.label
    ORDER BY r.topic`.execute(db);
  return topics.rows.map((t) => ({ topic: t.topic, label: t.label, open: Number(t.open) }));
}
