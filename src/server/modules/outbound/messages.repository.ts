import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { MessageKind, SentVia } from '../../db/schema.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { kindPolicies } from './kinds.ts';
import type { PreparedPayload } from './message-handlers.ts';

/**
 * SQL of the outbound queue of every message that is not a campaign notice (`outbound_messages`). Rows are
 * claimed with SKIP LOCKED under a lease held by one worker, most urgent kind first; settling is guarded on
 * the row still being that worker's claim.
 */

/**
 * Payloads are sealed under the table's first name: the context is bound into every ciphertext, so rows
 * queued before the rename (0013) still open.
 */
export const MESSAGE_PAYLOAD_CONTEXT = 'notice_messages.payload';

export interface ClaimedMessageRow {
  id: string;
  incident_id: string | null;
  kind: MessageKind;
  payload: Buffer | null;
  subscription_id: string | null;
  update_id: string | null;
  attempts: number;
}

/** Queues one message in the caller's transaction, its payload sealed (it holds addresses and text). */
export async function enqueueMessage(
  tx: Executor,
  crypto: Pick<PiiCrypto, 'encrypt'>,
  incidentId: string | null,
  payload: { kind: MessageKind } & Record<string, unknown>,
  options: { inboxMessageId?: string | undefined } = {},
): Promise<void> {
  await tx
    .insertInto('outbound_messages')
    .values({
      incident_id: incidentId,
      kind: payload.kind,
      priority: kindPolicies[payload.kind].priority,
      payload: crypto.encrypt(JSON.stringify(payload), MESSAGE_PAYLOAD_CONTEXT),
      inbox_message_id: options.inboxMessageId ?? null,
    })
    .execute();
}

/** Queues a message whose text is written already (an inbox reply, a verification code): sent as given. */
export async function enqueuePrepared(
  tx: Executor,
  crypto: Pick<PiiCrypto, 'encrypt'>,
  incidentId: string | null,
  payload: PreparedPayload,
  options: { inboxMessageId?: string | undefined } = {},
): Promise<void> {
  await enqueueMessage(tx, crypto, incidentId, { ...payload }, options);
}

/**
 * Queues one message per row of `source` (which selects `incident_id, subscription_id, update_id`), at most
 * once per (update, subscription): set-based, in the caller's transaction.
 */
export async function enqueueMessagesFrom(
  tx: Executor,
  kind: MessageKind,
  source: RawBuilder<unknown>,
): Promise<number> {
  const result = await sql`
    INSERT INTO outbound_messages (incident_id, subscription_id, update_id, kind, priority)
    SELECT s.incident_id, s.subscription_id, s.update_id, ${kind}, ${kindPolicies[kind].priority}::smallint
    FROM (${source}) AS s (incident_id, subscription_id, update_id)
    ON CONFLICT (update_id, subscription_id) DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/** Claims due messages of these kinds, most urgent first, for `leaseMs`; counts the attempt. */
export async function claimMessages(
  db: Executor,
  claim: { workerId: string; leaseMs: number; kinds: readonly MessageKind[]; limit: number },
): Promise<ClaimedMessageRow[]> {
  if (claim.kinds.length === 0) return [];
  const result = await sql<ClaimedMessageRow>`
    UPDATE outbound_messages
    SET lease_until = now() + ${`${claim.leaseMs} milliseconds`}::interval, claimed_by = ${claim.workerId},
        attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbound_messages
      WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
        AND kind = ANY(${claim.kinds as MessageKind[]}::text[])
        AND kind NOT IN (SELECT kind FROM outbound_pauses WHERE paused_until > now())
      ORDER BY priority, next_attempt_at, id LIMIT ${claim.limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, incident_id, kind, payload, subscription_id, update_id, attempts`.execute(db);
  return result.rows;
}

/** Keeps this worker's claims of messages still in flight. */
export async function renewMessageLeases(
  db: Executor,
  workerId: string,
  ids: readonly string[],
  leaseMs: number,
): Promise<void> {
  if (ids.length === 0) return;
  await sql`UPDATE outbound_messages SET lease_until = now() + ${`${leaseMs} milliseconds`}::interval
            WHERE id = ANY(${ids as string[]}::bigint[]) AND state = 'pending' AND claimed_by = ${workerId}`.execute(
    db,
  );
}

/** Back to the queue, due after `delaySeconds`; guarded on this worker's claim. */
export async function retryMessageLater(
  db: Executor,
  workerId: string,
  id: string,
  outcome: string,
  delaySeconds: number,
): Promise<void> {
  await db
    .updateTable('outbound_messages')
    .set({
      lease_until: null,
      claimed_by: null,
      outcome: outcome.slice(0, 200),
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${delaySeconds})`,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('claimed_by', '=', workerId)
    .execute();
}

/** Settles a message (sent, skipped or failed) and drops its payload; guarded on this worker's claim. */
export async function settleMessage(
  db: Executor,
  workerId: string,
  id: string,
  settled: { state: 'sent' | 'skipped' | 'failed'; outcome: string; sentVia: SentVia | null },
): Promise<void> {
  await db
    .updateTable('outbound_messages')
    .set({
      state: settled.state,
      outcome: settled.outcome.slice(0, 200),
      settled_at: new Date(),
      lease_until: null,
      payload: null,
      sent_via: settled.state === 'sent' ? settled.sentVia : null,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('claimed_by', '=', workerId)
    .execute();
}

/** How many of an incident's messages are in each state (the notice site's overview). */
export async function messageStates(
  db: Executor,
  incidentId: string,
): Promise<Array<{ state: string; n: string }>> {
  return db
    .selectFrom('outbound_messages')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy('state')
    .execute();
}

/** The queued messages of inbox messages (replies, codes), oldest first: where each went. */
export async function messagesOfInboxMessages(db: Executor, inboxMessageIds: readonly string[]) {
  return db
    .selectFrom('outbound_messages')
    .select(['id', 'inbox_message_id', 'incident_id', 'state', 'sent_via', 'outcome'])
    .where('inbox_message_id', 'in', inboxMessageIds as string[])
    .orderBy('id')
    .execute();
}

/** Pauses a kind until `until` (the claim skips it), in the caller's transaction. */
export async function pauseKind(tx: Executor, kind: MessageKind, until: Date, reason: string): Promise<void> {
  await tx
    .insertInto('outbound_pauses')
    .values({ kind, paused_until: until, reason: reason.slice(0, 500) })
    .onConflict((oc) =>
      oc
        .column('kind')
        .doUpdateSet({ paused_until: until, reason: reason.slice(0, 500), paused_at: new Date() }),
    )
    .execute();
}
