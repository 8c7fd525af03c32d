import type {
  ThreadCounts,
  ThreadListQuery,
  ThreadPage,
  TopicCount,
} from '../../../shared/contracts/inbox.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { actorUserId, type Deps, type Meta } from './inbox.deps.ts';
import { MESSAGE_CONTEXT } from './ingest.ts';
import { latestInboundMessages } from './messages.repository.ts';
import { queryTerms } from './search.ts';
import { decodeCursor, encodeCursor, summaryOf, withNames } from './thread-view.ts';
import {
  countOpenThreadsByTopic,
  countThreadsByState,
  countThreadsCapped,
  listThreadPage,
  type ThreadFilter,
} from './threads.repository.ts';

/**
 * The inbox list: filters, keyset pages ordered by `(priority, last_message_at, id)`, previews decrypted per
 * page, a total counted up to a cap, and the counts above the list.
 */
const TOTAL_CAP = 1_000;
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** The list's query as SQL filters (shared by the list, the CLI and bulk answers). */
export function threadFilterOf(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  query: Omit<ThreadListQuery, 'limit' | 'cursor'>,
  actorId: string | null,
): ThreadFilter {
  return {
    status: query.status,
    topic: query.topic,
    channel: query.channel,
    incidentId: query.incidentId,
    assigneeId:
      query.assignee === 'none' ? null : query.assignee === 'me' ? (actorId ?? NOBODY) : query.assignee,
    sla: query.sla,
    dsr: query.dsr,
    searchTerms: query.search?.trim() ? queryTerms(crypto, query.search) : undefined,
  };
}

/** The list, highest priority first, then most recent; keyset-paged. */
export async function listThreads(deps: Deps, query: ThreadListQuery, meta: Meta): Promise<ThreadPage> {
  const limit = Math.min(200, Math.max(1, query.limit ?? 50));
  const filter = threadFilterOf(deps.crypto, query, actorUserId(meta));
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await listThreadPage(deps.db, filter, { after, limit });
  const page = rows.slice(0, limit);
  // Previews, names, the filtered total and the counts at once: independent reads on separate connections.
  const [previews, named, total, overview] = await Promise.all([
    previewsOf(
      deps,
      page.map((r) => r.id),
    ),
    withNames(deps.db, page),
    // Past the cap the list says "1,000+".
    countThreadsCapped(deps.db, filter, TOTAL_CAP),
    inboxOverview(deps.db),
  ]);
  const threads = await Promise.all(named.map((r) => summaryOf(deps.crypto, r, previews.get(r.id) ?? '')));
  if (threads.length > 0) {
    await deps.db.transaction().execute((tx) =>
      recordAudit(tx, {
        actor: meta.actor,
        action: 'inbox.list_viewed',
        requestId: meta.requestId,
        details: { threads: threads.length },
      }),
    );
  }
  return {
    threads,
    total: Math.min(total, TOTAL_CAP),
    totalIsCapped: total > TOTAL_CAP,
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    ...overview,
  };
}

/** The latest inbound message of each thread, decrypted and cut to a preview. */
async function previewsOf(deps: Pick<Deps, 'db' | 'crypto'>, ids: string[]): Promise<Map<string, string>> {
  const previews = new Map<string, string>();
  const latest = await latestInboundMessages(deps.db, ids);
  await Promise.all(
    latest.map(async (m) => {
      const body = (JSON.parse(await deps.crypto.decrypt(m.sealed, MESSAGE_CONTEXT)) as { body: string })
        .body;
      previews.set(m.thread_id, body.replace(/\s+/g, ' ').slice(0, 140));
    }),
  );
  return previews;
}

const OVERVIEW_TTL_MS = 2_000;
type InboxOverview = { counts: ThreadCounts; topics: TopicCount[] };
const overviewCache = new WeakMap<object, { at: number; value: Promise<InboxOverview> }>();

/**
 * The counts above the list (per status, SLA breaches, open data requests, open threads per topic): read
 * from the counts the database keeps as threads change (a few milliseconds on 1M threads, see
 * countThreadsByState), shared by every request of this process for two seconds (concurrent requests wait
 * for the same read), so a surge of agents refreshing does not read them again and again.
 */
function inboxOverview(db: Executor): Promise<InboxOverview> {
  const cached = overviewCache.get(db);
  if (cached && Date.now() - cached.at < OVERVIEW_TTL_MS) return cached.value;
  const value = (async () => {
    const counts = await countThreadsByState(db);
    const topics = await countOpenThreadsByTopic(db);
    return { counts, topics };
  })();
  overviewCache.set(db, { at: Date.now(), value });
  value.catch(() => overviewCache.delete(db));
  return value;
}
