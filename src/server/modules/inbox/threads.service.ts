import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import type { Db, Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { CODE_CONTEXT, categoryPhrase, maskEmail, maskPhone } from '../campaigns/index.ts';
import { enqueueSiteMessage, readBranding, siteDispatches } from '../notice/index.ts';
import { contactsFor } from '../population/index.ts';
import { staffNames } from '../users/index.ts';
import {
  MAX_VERIFY_ATTEMPTS,
  MESSAGE_CONTEXT,
  SENDER_CONTEXT,
  SUBJECT_CONTEXT,
  verificationHash,
} from './ingest.ts';
import { satisfactionToken } from './satisfaction.ts';
import { queryTerms } from './search.ts';

/**
 * The agent's side of a thread: the list with its filters, a thread with its messages and the person
 * behind it (exposure only once verified), replies on the thread's channel, notes, status, assignment,
 * verification and data-subject requests. Every read of a thread is audited; every change too, in its
 * transaction.
 */
export type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'config' | 'logger'> & { kick: () => void };
export interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}
type Status = 'open' | 'pending' | 'solved';
const VERIFY_TTL_MS = 30 * 60_000;
const TOTAL_CAP = 1_000;
const DUE_SOON_MS = 2 * 3_600_000;

export interface ListQuery {
  status?: Status | undefined;
  topic?: string | undefined;
  channel?: 'web' | 'email' | 'sms' | undefined;
  search?: string | undefined;
  assignee?: string | undefined;
  incidentId?: string | undefined;
  sla?: 'breached' | 'due_soon' | undefined;
  dsr?: 'open' | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

type ThreadRow = {
  id: string;
  channel: 'web' | 'email' | 'sms';
  status: Status;
  topics: string[];
  priority: number;
  sentiment: number | null;
  pn: number | null;
  incident_id: string | null;
  incident_title: string | null;
  verified_at: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
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
};

/** Filters shared by the list, the CLI and bulk replies. */
export function filtered(db: Executor, crypto: Deps['crypto'], query: ListQuery, actorId: string | null) {
  let q = db
    .selectFrom('inbox_threads as t')
    .leftJoin('incidents as i', 'i.id', 't.incident_id')
    .leftJoin('users as u', 'u.id', 't.assignee_id');
  if (query.status) q = q.where('t.status', '=', query.status);
  if (query.topic) q = q.where(sql<boolean>`t.topics @> ARRAY[${query.topic}]::text[]`);
  if (query.channel) q = q.where('t.channel', '=', query.channel);
  if (query.incidentId) q = q.where('t.incident_id', '=', query.incidentId);
  if (query.assignee === 'none') q = q.where('t.assignee_id', 'is', null);
  else if (query.assignee === 'me')
    q = q.where('t.assignee_id', '=', actorId ?? '00000000-0000-0000-0000-000000000000');
  else if (query.assignee) q = q.where('t.assignee_id', '=', query.assignee);
  if (query.sla === 'breached') {
    q = q
      .where('t.first_response_at', 'is', null)
      .where('t.status', '<>', 'solved')
      .where('t.sla_due_at', '<', new Date());
  } else if (query.sla === 'due_soon') {
    q = q
      .where('t.first_response_at', 'is', null)
      .where('t.status', '<>', 'solved')
      .where('t.sla_due_at', '>=', new Date())
      .where('t.sla_due_at', '<', new Date(Date.now() + DUE_SOON_MS));
  }
  if (query.dsr === 'open') q = q.where('t.dsr_kind', 'is not', null).where('t.dsr_completed_at', 'is', null);
  if (query.search?.trim()) {
    const terms = queryTerms(crypto, query.search);
    q =
      terms.length > 0
        ? q.where(sql<boolean>`t.search_terms @> ${terms}::text[]`)
        : q.where(sql<boolean>`false`);
  }
  return q;
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
  'i.title as incident_title',
  't.verified_at',
  't.assignee_id',
  // Staff by name: display name, else email (staffLabel's rule, in SQL for the list).
  sql<string>`coalesce(nullif(btrim(u.display_name), ''), u.email)`.as('assignee_name'),
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

function maskSender(channel: string, sender: string): string {
  return channel === 'sms' ? maskPhone(sender) : maskEmail(sender);
}

function slaOf(row: ThreadRow, now = Date.now()) {
  if (row.first_response_at) return { dueAt: iso(row.sla_due_at), state: 'met' as const };
  if (!row.sla_due_at || row.status === 'solved')
    return { dueAt: iso(row.sla_due_at), state: 'none' as const };
  const due = new Date(row.sla_due_at).getTime();
  return {
    dueAt: iso(row.sla_due_at),
    state:
      due < now ? ('breached' as const) : due - now < DUE_SOON_MS ? ('due_soon' as const) : ('ok' as const),
  };
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

async function summaryOf(deps: Pick<Deps, 'crypto'>, row: ThreadRow, preview: string) {
  const sender = await deps.crypto.decrypt(row.sender_sealed, SENDER_CONTEXT);
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    topics: row.topics,
    priority: row.priority,
    sentiment: row.sentiment,
    personLinked: row.pn !== null,
    incidentId: row.incident_id,
    incidentTitle: row.incident_title,
    verified: row.verified_at !== null,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
    sender: maskSender(row.channel, sender),
    subject: row.subject_sealed ? await deps.crypto.decrypt(row.subject_sealed, SUBJECT_CONTEXT) : null,
    preview,
    messages: row.messages,
    createdAt: iso(row.created_at)!,
    lastMessageAt: iso(row.last_message_at)!,
    firstResponseAt: iso(row.first_response_at),
    sla: slaOf(row),
    dsr:
      row.dsr_kind && row.dsr_due_at
        ? { kind: row.dsr_kind, dueAt: iso(row.dsr_due_at)!, completedAt: iso(row.dsr_completed_at) }
        : null,
    satisfaction: row.satisfaction,
  };
}

function encodeCursor(row: { priority: number; last_message_at: Date; id: string }): string {
  return Buffer.from(`${row.priority}|${new Date(row.last_message_at).toISOString()}|${row.id}`).toString(
    'base64url',
  );
}

/** The list, highest priority first, then most recent; keyset-paged. Previews are decrypted per page. */
export async function listThreads(deps: Deps, query: ListQuery, meta: Meta) {
  const limit = Math.min(200, Math.max(1, query.limit ?? 50));
  const actorId = meta.actor.type === 'user' ? meta.actor.id : null;
  let q = filtered(deps.db, deps.crypto, query, actorId).select(threadColumns);
  if (query.cursor) {
    const [priority, at, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
    if (!priority || !at || !id || Number.isNaN(Date.parse(at))) {
      throw new AppError(
        'bad_request',
        'The page cursor is not one this list gave out; start from the first page.',
      );
    }
    q = q.where(
      sql<boolean>`(t.priority, t.last_message_at, t.id) < (${Number(priority)}::smallint, ${at}::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = (await q
    .orderBy('t.priority', 'desc')
    .orderBy('t.last_message_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(limit + 1)
    .execute()) as ThreadRow[];
  const page = rows.slice(0, limit);
  // Previews, the filtered total and the counts at once: independent reads on separate connections.
  const [previews, total, overview] = await Promise.all([
    previewsOf(
      deps,
      page.map((r) => r.id),
    ),
    // Counted up to a cap: past it the list says "1,000+", and counting a surge exactly costs a scan.
    sql<{ n: string }>`SELECT count(*) AS n FROM (${filtered(deps.db, deps.crypto, query, actorId)
      .select('t.id')
      .limit(TOTAL_CAP + 1)}) capped`
      .execute(deps.db)
      .then((r) => r.rows[0]!),
    inboxOverview(deps.db),
  ]);
  const threads = await Promise.all(page.map((r) => summaryOf(deps, r, previews.get(r.id) ?? '')));
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
    total: Math.min(Number(total.n), TOTAL_CAP),
    totalIsCapped: Number(total.n) > TOTAL_CAP,
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
    ...overview,
  };
}

/** The latest inbound message of each thread, decrypted and cut to a preview. */
async function previewsOf(deps: Pick<Deps, 'db' | 'crypto'>, ids: string[]): Promise<Map<string, string>> {
  const previews = new Map<string, string>();
  if (ids.length === 0) return previews;
  const latest = await sql<{ thread_id: string; sealed: Buffer }>`
    SELECT DISTINCT ON (thread_id) thread_id, sealed FROM inbox_messages
    WHERE thread_id = ANY(${ids}::uuid[]) AND direction = 'in' AND kind = 'message'
    ORDER BY thread_id, id DESC`.execute(deps.db);
  await Promise.all(
    latest.rows.map(async (m) => {
      const body = (JSON.parse(await deps.crypto.decrypt(m.sealed, MESSAGE_CONTEXT)) as { body: string })
        .body;
      previews.set(m.thread_id, body.replace(/\s+/g, ' ').slice(0, 140));
    }),
  );
  return previews;
}

const OVERVIEW_TTL_MS = 2_000;
type InboxOverview = {
  counts: { open: number; pending: number; solved: number; breached: number; dsrOpen: number };
  topics: Array<{ topic: string; label: string; open: number }>;
};
const overviewCache = new WeakMap<object, { at: number; value: Promise<InboxOverview> }>();

/**
 * The counts above the list (per status, SLA breaches, open data requests, open threads per topic): one
 * pass over the threads, shared by every request of this process for two seconds (concurrent requests wait
 * for the same pass), so a surge of agents refreshing does not rescan.
 */
export function inboxOverview(db: Executor): Promise<InboxOverview> {
  const cached = overviewCache.get(db);
  if (cached && Date.now() - cached.at < OVERVIEW_TTL_MS) return cached.value;
  const value = (async () => {
    const counts = await sql<{
      open: string;
      pending: string;
      solved: string;
      breached: string;
      dsr_open: string;
    }>`
      SELECT count(*) FILTER (WHERE status = 'open') AS open, count(*) FILTER (WHERE status = 'pending') AS pending,
        count(*) FILTER (WHERE status = 'solved') AS solved,
        count(*) FILTER (WHERE first_response_at IS NULL AND status <> 'solved' AND sla_due_at < now()) AS breached,
        count(*) FILTER (WHERE dsr_kind IS NOT NULL AND dsr_completed_at IS NULL) AS dsr_open
      FROM inbox_threads`.execute(db);
    const topics = await sql<{ topic: string; label: string; open: string }>`
      SELECT r.topic, r.label, coalesce(o.n, 0) AS open FROM inbox_rules r
      LEFT JOIN (SELECT unnest(topics) AS topic, count(*) AS n FROM inbox_threads WHERE status = 'open' GROUP BY 1) o
        ON o.topic = r.topic
      ORDER BY r.topic`.execute(db);
    const c = counts.rows[0]!;
    return {
      counts: {
        open: Number(c.open),
        pending: Number(c.pending),
        solved: Number(c.solved),
        breached: Number(c.breached),
        dsrOpen: Number(c.dsr_open),
      },
      topics: topics.rows.map((t) => ({ topic: t.topic, label: t.label, open: Number(t.open) })),
    };
  })();
  overviewCache.set(db, { at: Date.now(), value });
  value.catch(() => overviewCache.delete(db));
  return value;
}

/** Several threads as the services read them, locked for the caller's transaction (bulk replies). */
export async function lockThreadRows(tx: Executor, ids: readonly string[]): Promise<ThreadRow[]> {
  if (ids.length === 0) return [];
  return (await tx
    .selectFrom('inbox_threads as t')
    .leftJoin('incidents as i', 'i.id', 't.incident_id')
    .leftJoin('users as u', 'u.id', 't.assignee_id')
    .select(threadColumns)
    .where('t.id', 'in', ids as string[])
    .orderBy('t.id')
    .forUpdate('t')
    .execute()) as ThreadRow[];
}

async function threadRow(db: Executor, id: string, lock = false): Promise<ThreadRow> {
  let q = db
    .selectFrom('inbox_threads as t')
    .leftJoin('incidents as i', 'i.id', 't.incident_id')
    .leftJoin('users as u', 'u.id', 't.assignee_id')
    .select(threadColumns)
    .where('t.id', '=', id);
  if (lock) q = q.forUpdate('t');
  const row = (await q.executeTakeFirst()) as ThreadRow | undefined;
  if (!row) throw notFound('The thread');
  return row;
}

/** What the agent may know about the person: nothing but "affected in X" until verified. */
async function personOf(deps: Deps, row: ThreadRow, mayDisclose: boolean) {
  if (row.pn === null || !row.incident_id) return { linked: false as const };
  const base = {
    linked: true as const,
    incidentId: row.incident_id,
    incidentTitle: row.incident_title ?? '',
  };
  if (!row.verified_at || !mayDisclose) {
    const v = await deps.db
      .selectFrom('inbox_verifications')
      .selectAll()
      .where('thread_id', '=', row.id)
      .executeTakeFirst();
    const now = Date.now();
    const state = !v
      ? ('none' as const)
      : v.attempts >= MAX_VERIFY_ATTEMPTS
        ? ('locked' as const)
        : new Date(v.expires_at).getTime() < now
          ? ('expired' as const)
          : ('sent' as const);
    return {
      ...base,
      verified: false as const,
      verification: {
        state,
        channel: v?.channel ?? null,
        sentAt: iso(v?.sent_at ?? null),
        expiresAt: iso(v?.expires_at ?? null),
        attemptsLeft: Math.max(0, MAX_VERIFY_ATTEMPTS - (v?.attempts ?? 0)),
      },
    };
  }
  const contact = (await contactsFor(deps.db, deps.crypto, row.incident_id, [row.pn])).get(row.pn);
  const code = await deps.db
    .selectFrom('activation_codes')
    .innerJoin('campaigns', 'campaigns.id', 'activation_codes.campaign_id')
    .select('activation_codes.code_sealed')
    .where('campaigns.incident_id', '=', row.incident_id)
    .where('activation_codes.assigned_pn', '=', row.pn)
    .limit(1)
    .executeTakeFirst();
  const locale = row.locale === 'es' ? 'es' : 'en';
  return {
    ...base,
    verified: true as const,
    verifiedAt: iso(row.verified_at)!,
    exposure: {
      categories: contact
        ? categoriesOf(contact.categories).map((c) =>
            categoryPhrase(c, locale, contact.jurisdiction || undefined),
          )
        : [],
      identifiers: contact
        ? [
            ...(contact.email ? [maskEmail(contact.email)] : []),
            ...(contact.phone ? [maskPhone(contact.phone)] : []),
          ]
        : [],
      firstName: contact?.firstName ?? null,
      activationCode: code ? await deps.crypto.decrypt(code.code_sealed, CODE_CONTEXT) : null,
    },
  };
}

export async function getThread(deps: Deps, id: string, meta: Meta & { mayDisclose?: boolean }) {
  const row = await threadRow(deps.db, id);
  const messages = await deps.db
    .selectFrom('inbox_messages as m')
    .leftJoin('notice_messages as n', 'n.inbox_message_id', 'm.id')
    .select([
      'm.id',
      'm.direction',
      'm.kind',
      'm.author',
      'm.author_id',
      'm.sealed',
      'm.created_at',
      'n.state as delivery',
    ])
    .where('m.thread_id', '=', id)
    .orderBy('m.id')
    .execute();
  const attachments = messages.length
    ? await deps.db
        .selectFrom('inbox_attachments')
        .select(['id', 'message_id', 'filename_sealed', 'content_type', 'size'])
        .where(
          'message_id',
          'in',
          messages.map((m) => m.id),
        )
        .orderBy('id')
        .execute()
    : [];
  // Replies and notes name their author as they are now (older rows recorded a role such as "admin").
  const authors = await staffNames(
    deps.db,
    messages.map((m) => m.author_id),
  );
  const dispatches = await siteDispatches(
    deps.db,
    deps.config.noticeUrl,
    messages.filter((m) => m.direction === 'out').map((m) => String(m.id)),
  );
  const decoded = await Promise.all(
    messages.map(async (m) => {
      const content = JSON.parse(await deps.crypto.decrypt(m.sealed, MESSAGE_CONTEXT)) as {
        name?: string | null;
        subject?: string | null;
        body: string;
      };
      const files = await Promise.all(
        attachments
          .filter((a) => a.message_id === m.id)
          .map(async (a) => ({
            id: a.id,
            filename: await deps.crypto.decrypt(a.filename_sealed, 'inbox_attachments.filename'),
            contentType: a.content_type,
            size: a.size,
          })),
      );
      return {
        id: m.id,
        direction: m.direction,
        kind: m.kind,
        author: (m.author_id && authors.get(m.author_id)) || m.author,
        name: content.name ?? null,
        subject: content.subject ?? null,
        body: content.body,
        createdAt: iso(m.created_at)!,
        delivery: m.direction === 'out' && m.kind === 'message' ? (m.delivery ?? 'pending') : null,
        // Where a reply or a verification code went (SMTP, SMS provider or the outbox, by id).
        dispatch: dispatches.get(String(m.id)) ?? null,
        attachments: files,
      };
    }),
  );
  // What leaked is for the agents answering (inbox:reply), not for every role that may read the inbox.
  const person = await personOf(deps, row, meta.mayDisclose ?? true);
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.thread_viewed',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: { messages: decoded.length, exposureShown: person.linked && person.verified },
    }),
  );
  const summary = await summaryOf(
    deps,
    row,
    decoded
      .filter((m) => m.direction === 'in')
      .at(-1)
      ?.body.slice(0, 140) ?? '',
  );
  return { ...summary, messages: decoded, person };
}

/** Where a reply goes: the thread's own address, on its channel (web threads are answered by email). */
async function destination(deps: Pick<Deps, 'crypto'>, row: ThreadRow) {
  const to = await deps.crypto.decrypt(row.sender_sealed, SENDER_CONTEXT);
  return { to, channel: row.channel === 'sms' ? ('sms' as const) : ('email' as const) };
}

export async function sendReply(
  deps: Deps,
  tx: Executor,
  row: ThreadRow,
  reply: { subject?: string | null | undefined; body: string; bulkId?: string },
  meta: Meta,
): Promise<string | null> {
  const { to, channel } = await destination(deps, row);
  const threadSubject = row.subject_sealed
    ? await deps.crypto.decrypt(row.subject_sealed, SUBJECT_CONTEXT)
    : null;
  const subject =
    channel === 'email'
      ? reply.subject?.trim() ||
        (threadSubject
          ? `Re: ${threadSubject.replace(/^re:\s*/i, '')}`
          : `Re: your message to ${(await readBranding(tx)).companyName}`)
      : null;
  const inserted = await tx
    .insertInto('inbox_messages')
    .values({
      thread_id: row.id,
      direction: 'out',
      sealed: deps.crypto.encrypt(JSON.stringify({ subject, body: reply.body }), MESSAGE_CONTEXT),
      author_id: meta.actor.type === 'user' ? meta.actor.id : null,
      author: meta.actor.label,
      bulk_id: reply.bulkId ?? null,
    })
    .onConflict((oc) => oc.columns(['thread_id', 'bulk_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;
  await enqueueSiteMessage(
    tx,
    deps.crypto,
    row.incident_id,
    {
      kind: 'inbox_reply',
      channel,
      to,
      subject,
      text: reply.body,
      locale: row.locale === 'es' ? 'es' : 'en',
    },
    { inboxMessageId: inserted.id },
  );
  return inserted.id;
}

export async function reply(
  deps: Deps,
  id: string,
  input: { body: string; subject?: string | null | undefined; status?: Status | undefined },
  meta: Meta,
) {
  const body = input.body.trim();
  if (!body) throw new AppError('bad_request', 'Write a reply before sending it.');
  await deps.db.transaction().execute(async (tx) => {
    const row = await threadRow(tx, id, true);
    await sendReply(deps, tx, row, { subject: input.subject, body }, meta);
    const status = input.status ?? (row.status === 'solved' ? 'solved' : 'pending');
    await tx
      .updateTable('inbox_threads')
      .set({
        first_response_at: sql<Date>`coalesce(first_response_at, now())`,
        status,
        solved_at: status === 'solved' ? sql<Date>`coalesce(solved_at, now())` : null,
      })
      .where('id', '=', id)
      .execute();
    if (status === 'solved' && row.status !== 'solved') await askSatisfaction(deps, tx, row);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.replied',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: { channel: row.channel, status },
    });
  });
  deps.kick();
  return getThread(deps, id, meta);
}

export async function addNote(deps: Deps, id: string, body: string, meta: Meta) {
  if (!body.trim()) throw new AppError('bad_request', 'Write the note before adding it.');
  await deps.db.transaction().execute(async (tx) => {
    await threadRow(tx, id);
    await tx
      .insertInto('inbox_messages')
      .values({
        thread_id: id,
        direction: 'out',
        kind: 'note',
        sealed: deps.crypto.encrypt(JSON.stringify({ body: body.trim() }), MESSAGE_CONTEXT),
        author_id: meta.actor.type === 'user' ? meta.actor.id : null,
        author: meta.actor.label,
      })
      .execute();
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.note_added',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
    });
  });
  return getThread(deps, id, meta);
}

/** The one-click satisfaction question, sent when a thread is solved. */
export async function askSatisfaction(deps: Deps, tx: Executor, row: ThreadRow): Promise<void> {
  const { to, channel } = await destination(deps, row);
  const url = `${deps.config.noticeUrl}/n/_rate/${satisfactionToken(deps.crypto, row.id)}`;
  const es = row.locale === 'es';
  const text = es
    ? `¿Cómo valoras nuestra respuesta? Elige de 1 a 5 con un clic: ${url}`
    : `How did we do? Rate our answer from 1 to 5 with one click: ${url}`;
  await enqueueSiteMessage(tx, deps.crypto, row.incident_id, {
    kind: 'inbox_csat',
    channel,
    to,
    subject: channel === 'email' ? (es ? '¿Te ayudamos?' : 'Did we help?') : null,
    text,
    locale: es ? 'es' : 'en',
  });
}

export async function updateThread(
  deps: Deps,
  id: string,
  input: {
    status?: Status | undefined;
    assigneeId?: string | null | undefined;
    dsrCompleted?: boolean | undefined;
  },
  meta: Meta,
) {
  await deps.db.transaction().execute(async (tx) => {
    const row = await threadRow(tx, id, true);
    const changes: Record<string, unknown> = {};
    if (input.status && input.status !== row.status) {
      changes.status = input.status;
      changes.solved_at = input.status === 'solved' ? new Date() : null;
      if (input.status === 'solved') await askSatisfaction(deps, tx, row);
    }
    if (input.assigneeId !== undefined) {
      if (input.assigneeId) {
        const user = await tx
          .selectFrom('users')
          .select(['id', 'role', 'status'])
          .where('id', '=', input.assigneeId)
          .executeTakeFirst();
        if (user?.status !== 'active' || !['agent', 'admin'].includes(user.role)) {
          throw new AppError('bad_request', 'Assign the thread to an active agent or admin.');
        }
      }
      changes.assignee_id = input.assigneeId;
    }
    if (input.dsrCompleted !== undefined) {
      if (!row.dsr_kind) throw new AppError('conflict', 'This thread is not a data-subject request.');
      changes.dsr_completed_at = input.dsrCompleted ? new Date() : null;
    }
    if (Object.keys(changes).length === 0) return;
    await tx.updateTable('inbox_threads').set(changes).where('id', '=', id).execute();
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.thread_updated',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: {
        fields: Object.keys(changes).filter((k) => k !== 'solved_at'),
        ...(input.status ? { status: input.status } : {}),
      },
    });
  });
  deps.kick();
  return getThread(deps, id, meta);
}

/**
 * Sends a one-time code to the contact point on file for the linked person (never to an address typed in
 * a message): the same kind of channel as the thread when the person has one, else the other.
 */
export async function startVerification(deps: Deps, id: string, meta: Meta) {
  await deps.db.transaction().execute(async (tx) => {
    const row = await threadRow(tx, id, true);
    if (row.pn === null || !row.incident_id) {
      throw new AppError(
        'conflict',
        'This sender matches no affected person, so there is nothing on file to send a code to.',
      );
    }
    if (row.verified_at) throw new AppError('conflict', 'This requester is already verified.');
    const contact = (await contactsFor(tx, deps.crypto, row.incident_id, [row.pn])).get(row.pn);
    const wantsPhone = row.channel === 'sms';
    const onFile =
      (wantsPhone ? contact?.phone : contact?.email) ??
      (wantsPhone ? contact?.email : contact?.phone) ??
      null;
    if (!contact || !onFile) {
      throw new AppError(
        'conflict',
        'The affected records hold no email address or phone number for this person.',
      );
    }
    const channel = onFile === contact.email ? ('email' as const) : ('sms' as const);
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    await tx
      .insertInto('inbox_verifications')
      .values({
        thread_id: id,
        code_hash: verificationHash(deps.crypto, id, code),
        channel,
        expires_at: new Date(Date.now() + VERIFY_TTL_MS),
      })
      .onConflict((oc) =>
        oc.column('thread_id').doUpdateSet({
          code_hash: verificationHash(deps.crypto, id, code),
          channel,
          sent_at: new Date(),
          expires_at: new Date(Date.now() + VERIFY_TTL_MS),
          attempts: 0,
          verified_at: null,
        }),
      )
      .execute();
    const branding = await readBranding(tx);
    const es = row.locale === 'es';
    const text = es
      ? `${branding.companyName}: tu código de verificación es ${code}. Dáselo a quien te atiende (responde a nuestro mensaje). Caduca en 30 minutos. Si no lo has pedido, ignora este mensaje.`
      : `${branding.companyName}: your verification code is ${code}. Give it to the person helping you (reply to our message). It expires in 30 minutes. If you did not ask for it, ignore this message.`;
    // The note first, so the queued code links to it and the thread can show where the code went.
    const note = await tx
      .insertInto('inbox_messages')
      .values({
        thread_id: id,
        direction: 'out',
        kind: 'note',
        sealed: deps.crypto.encrypt(
          JSON.stringify({
            body: `Verification code sent to the ${channel === 'email' ? 'email address' : 'phone number'} on file (${
              channel === 'email' ? maskEmail(onFile) : maskPhone(onFile)
            }); it expires in 30 minutes.`,
          }),
          MESSAGE_CONTEXT,
        ),
        author: 'candor',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueSiteMessage(
      tx,
      deps.crypto,
      row.incident_id,
      {
        kind: 'inbox_verification',
        channel,
        to: onFile,
        subject: channel === 'email' ? (es ? 'Tu código de verificación' : 'Your verification code') : null,
        text,
        locale: es ? 'es' : 'en',
      },
      { inboxMessageId: String(note.id) },
    );
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.verification_sent',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: { channel },
    });
  });
  deps.kick();
  return getThread(deps, id, meta);
}

/** The code the requester gave back, typed by the agent. */
export async function confirmVerification(deps: Deps, id: string, code: string, meta: Meta) {
  const typed = code.replace(/\D/g, '');
  const outcome = await deps.db.transaction().execute(async (tx) => {
    await threadRow(tx, id, true);
    const v = await tx
      .selectFrom('inbox_verifications')
      .selectAll()
      .where('thread_id', '=', id)
      .executeTakeFirst();
    if (!v) return { error: new AppError('conflict', 'Send a verification code first.') };
    if (v.verified_at) return { ok: true };
    if (v.attempts >= MAX_VERIFY_ATTEMPTS) {
      return { error: new AppError('rate_limited', 'Too many wrong codes: send a new code.') };
    }
    if (new Date(v.expires_at) < new Date()) {
      return { error: new AppError('link_invalid', 'The code has expired: send a new one.') };
    }
    const right = typed.length === 6 && verificationHash(deps.crypto, id, typed).equals(v.code_hash);
    if (!right) {
      await tx
        .updateTable('inbox_verifications')
        .set({ attempts: v.attempts + 1 })
        .where('thread_id', '=', id)
        .execute();
      await recordAudit(tx, {
        actor: meta.actor,
        action: 'inbox.verification_failed',
        outcome: 'denied',
        requestId: meta.requestId,
        target: { type: 'inbox_thread', id },
      });
      const left = MAX_VERIFY_ATTEMPTS - v.attempts - 1;
      return {
        error: new AppError(
          'bad_request',
          left > 0
            ? `That is not the code we sent; ${left} ${left === 1 ? 'try' : 'tries'} left.`
            : 'That is not the code we sent, and no tries are left: send a new code.',
        ),
      };
    }
    const now = new Date();
    await tx
      .updateTable('inbox_verifications')
      .set({ verified_at: now })
      .where('thread_id', '=', id)
      .execute();
    await tx.updateTable('inbox_threads').set({ verified_at: now }).where('id', '=', id).execute();
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.verified',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
    });
    return { ok: true };
  });
  // A wrong try is recorded (committed) before the refusal is thrown.
  if ('error' in outcome && outcome.error) throw outcome.error;
  return getThread(deps, id, meta);
}

export async function attachment(deps: Deps, threadId: string, attachmentId: string, meta: Meta) {
  const row = await deps.db
    .selectFrom('inbox_attachments as a')
    .innerJoin('inbox_messages as m', 'm.id', 'a.message_id')
    .select(['a.filename_sealed', 'a.data_sealed', 'a.size'])
    .where('a.id', '=', attachmentId)
    .where('m.thread_id', '=', threadId)
    .executeTakeFirst();
  if (!row) throw notFound('The attachment');
  const filename = await deps.crypto.decrypt(row.filename_sealed, 'inbox_attachments.filename');
  const data = await deps.crypto.decryptBytes(row.data_sealed, 'inbox_attachments.data');
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.attachment_downloaded',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id: threadId },
      details: { attachmentId, size: row.size },
    }),
  );
  return { filename, data };
}

export async function threadForMacro(db: Db, id: string) {
  return threadRow(db, id);
}
export type { ThreadRow };
