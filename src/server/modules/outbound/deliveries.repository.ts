import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ClaimedDelivery } from './campaign-port.ts';
import type { Channel } from './outbound.types.ts';

/**
 * SQL of campaign notices' rows (`deliveries`, partitioned by incident): one row per (campaign, person,
 * channel), moved only by guarded updates (DESIGN invariant 4). Claims take a batch with SKIP LOCKED and a
 * lease; every settle is guarded on `state = 'claimed' AND claimed_by = <this worker>`.
 */
const CLAIMED_COLUMNS = sql`d.incident_id, d.campaign_id, d.pn, d.channel, d.step, d.variant_id, d.locale,
  d.attempts, d.message_id, d.verification_code`;

/**
 * Claims up to `limit` rows of one campaign and channel: first those whose lease expired (a crashed
 * worker's batch), then due pending ones in order. Each statement reads one partial index; SKIP LOCKED lets
 * workers claim side by side. `isSending` (the campaign's own condition) is checked in the same statement.
 */
export async function claimDeliveries(
  db: Executor,
  claim: {
    workerId: string;
    leaseMs: number;
    incidentId: string;
    campaignId: string;
    channel: Channel;
    limit: number;
    isSending: RawBuilder<boolean>;
  },
): Promise<ClaimedDelivery[]> {
  const take = async (which: 'expired' | 'due', n: number) => {
    const condition =
      which === 'expired'
        ? sql`state = 'claimed' AND lease_until < now()`
        : sql`state = 'pending' AND next_attempt_at <= now()`;
    const order = which === 'expired' ? sql`lease_until` : sql`next_attempt_at, pn`;
    const result = await sql<ClaimedDelivery>`
      WITH due AS (
        SELECT incident_id, campaign_id, pn, channel FROM deliveries
        WHERE incident_id = ${claim.incidentId} AND campaign_id = ${claim.campaignId}
          AND channel = ${claim.channel} AND ${condition} AND ${claim.isSending}
        ORDER BY ${order}
        LIMIT ${n}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE deliveries d
      SET state = 'claimed', claimed_by = ${claim.workerId},
          lease_until = now() + ${`${claim.leaseMs} milliseconds`}::interval,
          attempts = d.attempts + 1, updated_at = now()
      FROM due
      WHERE d.incident_id = due.incident_id AND d.campaign_id = due.campaign_id AND d.pn = due.pn
        AND d.channel = due.channel
      RETURNING ${CLAIMED_COLUMNS}`.execute(db);
    return result.rows;
  };
  const expired = await take('expired', claim.limit);
  return expired.length < claim.limit
    ? [...expired, ...(await take('due', claim.limit - expired.length))]
    : expired;
}

/** Keeps this worker's claims of a campaign's rows while they are in flight. */
export async function renewDeliveryLeases(
  db: Executor,
  lease: { workerId: string; leaseMs: number; incidentId: string; campaignId: string },
): Promise<void> {
  await sql`UPDATE deliveries SET lease_until = now() + ${`${lease.leaseMs} milliseconds`}::interval
            WHERE incident_id = ${lease.incidentId} AND campaign_id = ${lease.campaignId}
              AND state = 'claimed' AND claimed_by = ${lease.workerId}`.execute(db);
}

/** Records the provider's acceptance: the checkpoint of a delivery (never "fetched"). */
export async function markSent(
  tx: Executor,
  workerId: string,
  campaign: { incidentId: string; campaignId: string },
  sent: ReadonlyArray<{ pn: number; channel: Channel; providerId: string }>,
): Promise<void> {
  if (sent.length === 0) return;
  await sql`
    UPDATE deliveries d SET state = 'sent', provider_id = v.provider_id, sent_at = now(), lease_until = NULL,
           error = NULL, updated_at = now()
    FROM unnest(${sent.map((s) => s.pn)}::int[], ${sent.map((s) => s.channel)}::text[],
                ${sent.map((s) => s.providerId)}::text[]) AS v(pn, channel, provider_id)
    WHERE d.incident_id = ${campaign.incidentId} AND d.campaign_id = ${campaign.campaignId} AND d.pn = v.pn
      AND d.channel = v.channel AND d.state = 'claimed' AND d.claimed_by = ${workerId}`.execute(tx);
}

/** Gives claimed rows back untried (the attempt is not counted), due again after `delayMs`. */
export async function releaseDeliveries(
  tx: Executor,
  workerId: string,
  rows: readonly ClaimedDelivery[],
  delayMs: number,
): Promise<void> {
  if (rows.length === 0) return;
  const first = rows[0]!;
  await sql`
    UPDATE deliveries d SET state = 'pending', lease_until = NULL, attempts = d.attempts - 1,
           next_attempt_at = now() + ${`${delayMs} milliseconds`}::interval, updated_at = now()
    FROM unnest(${rows.map((r) => r.pn)}::int[], ${rows.map((r) => r.channel)}::text[]) AS v(pn, channel)
    WHERE d.incident_id = ${first.incident_id} AND d.campaign_id = ${first.campaign_id} AND d.pn = v.pn
      AND d.channel = v.channel AND d.state = 'claimed' AND d.claimed_by = ${workerId}`.execute(tx);
}

/** A transient failure: back to pending, due at `at`. */
export async function retryDeliveryLater(
  tx: Executor,
  workerId: string,
  row: ClaimedDelivery,
  reason: string,
  at: Date,
): Promise<void> {
  await tx
    .updateTable('deliveries')
    .where('incident_id', '=', row.incident_id)
    .where('campaign_id', '=', row.campaign_id)
    .where('pn', '=', row.pn)
    .where('channel', '=', row.channel)
    .where('state', '=', 'claimed')
    .where('claimed_by', '=', workerId)
    .set({
      state: 'pending',
      lease_until: null,
      error: reason.slice(0, 500),
      next_attempt_at: at,
      updated_at: new Date(),
    })
    .execute();
}

export type DeliveryKey = Pick<ClaimedDelivery, 'incident_id' | 'campaign_id' | 'pn' | 'channel'>;

/**
 * Ends a row (bounced, failed, or fell back to another channel). From the send path the row must still be
 * this worker's claim; from a report (bounce, receipt, returned letter) it must have been sent. True when
 * the guarded update moved it.
 */
export async function endDelivery(
  tx: Executor,
  row: DeliveryKey,
  ending: { state: 'bounced' | 'failed' | 'fell_back'; reason: string },
  guard: { from: 'claim'; workerId: string } | { from: 'report' },
): Promise<boolean> {
  let update = tx
    .updateTable('deliveries')
    .set({
      state: ending.state,
      lease_until: null,
      error: ending.reason.slice(0, 500),
      settled_at: new Date(),
      updated_at: new Date(),
    })
    .where('incident_id', '=', row.incident_id)
    .where('campaign_id', '=', row.campaign_id)
    .where('pn', '=', row.pn)
    .where('channel', '=', row.channel);
  update =
    guard.from === 'claim'
      ? update.where('state', '=', 'claimed').where('claimed_by', '=', guard.workerId)
      : update.where('state', 'in', ['sent', 'delivered']);
  const done = await update.executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** The person's row on the next channel of the chain (a new verification code, a Message-ID of its own). */
export async function insertFallbackDelivery(
  tx: Executor,
  row: Pick<ClaimedDelivery, 'incident_id' | 'campaign_id' | 'pn' | 'variant_id' | 'locale'>,
  next: { channel: Channel; step: number; messageId: string },
): Promise<void> {
  await sql`
    INSERT INTO deliveries (incident_id, campaign_id, pn, channel, step, variant_id, locale, message_id, verification_code)
    VALUES (${row.incident_id}, ${row.campaign_id}, ${row.pn}, ${next.channel}, ${next.step},
            ${row.variant_id}, ${row.locale}, ${next.messageId},
            upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)))
    ON CONFLICT DO NOTHING`.execute(tx);
}

/** Whether any row of the campaign is pending or claimed (a campaign finishes only when none is). */
export async function hasOpenDeliveries(
  tx: Executor,
  incidentId: string,
  campaignId: string,
): Promise<boolean> {
  const open = await sql<{ ok: number }>`
    SELECT 1 AS ok FROM deliveries WHERE incident_id = ${incidentId} AND campaign_id = ${campaignId}
      AND state IN ('pending', 'claimed') LIMIT 1`.execute(tx);
  return open.rows.length > 0;
}

/** People reached (sent or delivered) and not reached (bounced, failed, suppressed) by a campaign. */
export async function reachCounts(
  tx: Executor,
  incidentId: string,
  campaignId: string,
): Promise<{ reached: number; missed: number }> {
  const counts = await tx
    .selectFrom('deliveries')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .where('state', '<>', 'fell_back')
    .groupBy('state')
    .execute();
  const by = Object.fromEntries(counts.map((c) => [c.state, Number(c.n)]));
  return {
    reached: (by.sent ?? 0) + (by.delivered ?? 0),
    missed: (by.bounced ?? 0) + (by.failed ?? 0) + (by.suppressed ?? 0),
  };
}

/**
 * Creates a campaign's rows at its start, set-based: `chosen` (the campaign's own selection) yields
 * `incident_id, pn, locale, variant_id, channel` per person, channel null when no channel reaches them (a
 * `suppressed` row). Message-IDs follow `campaignMessageId`. Returns how many rows were created.
 */
export async function insertCampaignDeliveries(
  tx: Executor,
  start: { campaignId: string; channels: Channel[]; host: string; chosen: RawBuilder<unknown> },
): Promise<number> {
  const { campaignId, channels, host } = start;
  const inserted = await sql<{ n: string }>`
    WITH chosen AS (${start.chosen}), ins AS (
      INSERT INTO deliveries (incident_id, campaign_id, pn, channel, step, state, variant_id, locale, message_id,
                              verification_code, error)
      SELECT c.incident_id, ${campaignId}::uuid, c.pn,
             coalesce(c.channel, ${channels[0]!}),
             coalesce(array_position(${channels}::text[], c.channel), 1) - 1,
             CASE WHEN c.channel IS NULL THEN 'suppressed' ELSE 'pending' END,
             c.variant_id, c.locale,
             '<' || ${campaignId} || '.' || c.pn || '.' || coalesce(c.channel, ${channels[0]!}) || '@' || ${host} || '>',
             upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)),
             CASE WHEN c.channel IS NULL THEN 'no channel of this campaign can reach this person' END
      FROM chosen c
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT count(*)::text AS n FROM ins`.execute(tx);
  return Number(inserted.rows[0]?.n ?? 0);
}

/** Rows held back (activation codes ran out, back-off) are due at once: a resumed campaign tries them now. */
export async function makeHeldDeliveriesDue(
  tx: Executor,
  incidentId: string,
  campaignId: string,
): Promise<void> {
  await tx
    .updateTable('deliveries')
    .set({ next_attempt_at: new Date() })
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '>', new Date())
    .execute();
}

/** A campaign's progress: rows per state and channel, sends of the last five minutes, the commonest errors. */
export async function deliveryProgress(db: Executor, incidentId: string, campaignId: string) {
  const counts = await db
    .selectFrom('deliveries')
    .select(['state', 'channel', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .groupBy(['state', 'channel'])
    .execute();
  const recent = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .where('state', 'in', ['sent', 'delivered'])
    .where('sent_at', '>', new Date(Date.now() - 5 * 60_000))
    .executeTakeFirstOrThrow();
  const errors = await db
    .selectFrom('deliveries')
    .select(['channel', 'error', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .where('error', 'is not', null)
    // People no channel reaches are counted as suppressed, not reported as errors.
    .where('state', '<>', 'suppressed')
    .groupBy(['channel', 'error'])
    .orderBy(sql`count(*)`, 'desc')
    .limit(10)
    .execute();
  return {
    counts: counts.map((c) => ({ state: c.state, channel: c.channel, n: Number(c.n) })),
    sentLastFiveMinutes: Number(recent.n),
    errors: errors.map((e) => ({ channel: e.channel, error: e.error ?? '', count: Number(e.n) })),
  };
}
