import { type Insertable, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Channel, DeliveryState, MessageKind, OutboxMessagesTable } from '../../db/schema.ts';

/**
 * SQL of the embedded outbox (`outbox_messages`): what the outbox senders store, the console's mailboxes
 * (a campaign's, the notice site's), and the letters waiting for print. Rows are sealed; nothing here
 * decrypts.
 */
export async function insertOutboxMessage(db: Executor, row: Insertable<OutboxMessagesTable>): Promise<void> {
  await db
    .insertInto('outbox_messages')
    .values(row)
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

export interface OutboxFilters {
  channel?: Channel | undefined;
  /** Campaign mailboxes: the delivery's state now. */
  state?: DeliveryState | undefined;
  kind?: MessageKind | undefined;
  toIdx?: Buffer | undefined;
  /** One message by its id: the other filters are ignored. */
  message?: number | undefined;
}

function campaignOutbox(db: Executor, campaignId: string, filters: OutboxFilters) {
  let q = db
    .selectFrom('outbox_messages as o')
    .leftJoin('deliveries as d', (join) =>
      join
        .onRef('d.incident_id', '=', 'o.incident_id')
        .onRef('d.campaign_id', '=', 'o.campaign_id')
        .onRef('d.pn', '=', 'o.pn')
        .onRef('d.channel', '=', 'o.channel'),
    )
    .where('o.campaign_id', '=', campaignId);
  if (filters.message) return q.where('o.id', '=', String(filters.message));
  if (filters.channel) q = q.where('o.channel', '=', filters.channel);
  if (filters.state) q = q.where('d.state', '=', filters.state);
  if (filters.toIdx) q = q.where('o.to_idx', '=', filters.toIdx);
  return q;
}

/** A page of a campaign's mailbox, newest first, with each message's delivery state, and the total. */
export async function campaignOutboxPage(
  db: Executor,
  campaignId: string,
  filters: OutboxFilters,
  page: { before?: number | undefined; size: number },
) {
  let q = campaignOutbox(db, campaignId, filters).select([
    'o.id',
    'o.channel',
    'o.pn',
    'o.message_id',
    'o.created_at',
    'o.sealed',
    'd.state',
  ]);
  if (page.before && !filters.message) q = q.where('o.id', '<', String(page.before));
  const rows = await q.orderBy('o.id', 'desc').limit(page.size).execute();
  const total = await campaignOutbox(db, campaignId, filters)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

function siteOutbox(db: Executor, incidentId: string, filters: OutboxFilters) {
  let q = db
    .selectFrom('outbox_messages')
    .where('incident_id', '=', incidentId)
    .where('campaign_id', 'is', null);
  if (filters.message) return q.where('id', '=', String(filters.message));
  if (filters.kind) q = q.where('kind', '=', filters.kind);
  if (filters.channel) q = q.where('channel', '=', filters.channel);
  if (filters.toIdx) q = q.where('to_idx', '=', filters.toIdx);
  return q;
}

/** A page of the notice site's mailbox of an incident (every message that is not a campaign notice). */
export async function siteOutboxPage(
  db: Executor,
  incidentId: string,
  filters: OutboxFilters,
  page: { before?: number | undefined; size: number },
) {
  let q = siteOutbox(db, incidentId, filters).select(['id', 'kind', 'channel', 'created_at', 'sealed']);
  if (page.before && !filters.message) q = q.where('id', '<', String(page.before));
  const rows = await q.orderBy('id', 'desc').limit(page.size).execute();
  const total = await siteOutbox(db, incidentId, filters)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** Outbox rows by Message-ID: id and channel, no content. */
export async function outboxByMessageIds(
  db: Executor,
  messageIds: readonly string[],
): Promise<Map<string, { id: number; channel: string }>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['id', 'message_id', 'channel'])
    .where('message_id', 'in', messageIds as string[])
    .execute();
  return new Map(rows.map((r) => [r.message_id, { id: Number(r.id), channel: r.channel }]));
}

/** A letter in the outbox, as a print batch takes it. */
export interface OutboxLetter {
  id: string;
  pn: number;
  message_id: string;
  sealed: Buffer;
  /** The batch's id: its `printed_at` with microseconds, so it round-trips through PostgreSQL exactly. */
  batch_id: string;
}

const batchIdSql = sql<string>`to_char(printed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Takes the oldest letters of a campaign not yet printed (up to `limit`) and marks them printed in the
 * caller's transaction: two people printing at once never get the same letter.
 */
export async function takeUnprintedLetters(
  tx: Executor,
  campaignId: string,
  limit: number,
): Promise<OutboxLetter[]> {
  const claimed = await sql<OutboxLetter>`
    UPDATE outbox_messages o SET printed_at = now()
    FROM (SELECT id FROM outbox_messages
          WHERE campaign_id = ${campaignId} AND channel = 'letter' AND printed_at IS NULL
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED) picked
    WHERE o.id = picked.id
    RETURNING o.id, o.pn, o.message_id, o.sealed, ${batchIdSql} AS batch_id`.execute(tx);
  return claimed.rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The letters of an earlier print batch, in their order. */
export async function lettersOfBatch(
  tx: Executor,
  campaignId: string,
  batchId: string,
): Promise<OutboxLetter[]> {
  const rows = await tx
    .selectFrom('outbox_messages')
    .select(['id', 'pn', 'message_id', 'sealed', batchIdSql.as('batch_id')])
    .where('campaign_id', '=', campaignId)
    .where('channel', '=', 'letter')
    .where('printed_at', '=', sql<Date>`${batchId}::timestamptz`)
    .orderBy('id')
    .execute();
  // Letters always belong to a campaign's person (only other messages have none).
  return rows as OutboxLetter[];
}

/** Which of these Message-IDs name a printed letter of the campaign. */
export async function printedLetterIds(
  tx: Executor,
  campaignId: string,
  messageIds: readonly string[],
): Promise<Set<string>> {
  const printed = await tx
    .selectFrom('outbox_messages')
    .select('message_id')
    .where('campaign_id', '=', campaignId)
    .where('channel', '=', 'letter')
    .where('printed_at', 'is not', null)
    .where('message_id', '=', sql<string>`any(${messageIds}::text[])`)
    .execute();
  return new Set(printed.map((p) => p.message_id));
}

/** Letters waiting for print and printed, and the recent print batches. */
export async function letterPrintSummary(db: Executor, campaignId: string) {
  const [counts, batches] = await Promise.all([
    db
      .selectFrom('outbox_messages')
      .select([
        sql<string>`count(*) FILTER (WHERE printed_at IS NULL)`.as('pending'),
        sql<string>`count(*) FILTER (WHERE printed_at IS NOT NULL)`.as('printed'),
      ])
      .where('campaign_id', '=', campaignId)
      .where('channel', '=', 'letter')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('outbox_messages')
      .select([batchIdSql.as('batch_id'), (eb) => eb.fn.countAll<string>().as('n')])
      .where('campaign_id', '=', campaignId)
      .where('channel', '=', 'letter')
      .where('printed_at', 'is not', null)
      .groupBy('printed_at')
      .orderBy('printed_at', 'desc')
      .limit(20)
      .execute(),
  ]);
  return {
    pending: Number(counts.pending),
    printed: Number(counts.printed),
    batches: batches.map((b) => ({ batchId: b.batch_id, letters: Number(b.n) })),
  };
}
