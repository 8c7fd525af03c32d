import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Metric } from './counters.ts';

/**
 * SQL of the public notice site's own tables (subscriptions, feedback, the public's counts, the site's
 * links). The connection or transaction is the first argument of each function: the caller decides what
 * runs together.
 */

export interface SubscriptionRow {
  id: string;
  status: string;
}

/** A subscription of this incident, or undefined (a token for another incident finds nothing). */
export function findSubscription(
  db: Executor,
  incidentId: string,
  subscriptionId: string,
): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom('notice_subscriptions')
    .select(['id', 'status'])
    .where('id', '=', subscriptionId)
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
}

/** pending → confirmed; a subscription in any other state stays as it is. */
export async function confirmSubscription(db: Executor, subscriptionId: string): Promise<void> {
  await db
    .updateTable('notice_subscriptions')
    .set({ status: 'confirmed', confirmed_at: new Date() })
    .where('id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .execute();
}

/** Any state → unsubscribed (once: an unsubscribed row keeps its first date). */
export async function unsubscribe(db: Executor, subscriptionId: string): Promise<void> {
  await db
    .updateTable('notice_subscriptions')
    .set({ status: 'unsubscribed', unsubscribed_at: new Date() })
    .where('id', '=', subscriptionId)
    .where('status', '<>', 'unsubscribed')
    .execute();
}

/**
 * Subscribes an address (sealed, with its blind index) to an incident's updates: a new row is pending; an
 * unsubscribed one becomes pending again; a pending or confirmed one keeps its state. `isFresh` says
 * whether the row was created now.
 */
export async function upsertSubscription(
  tx: Executor,
  subscription: { incidentId: string; emailSealed: Buffer; emailIdx: Buffer; locale: string },
): Promise<{ id: string; status: string; isFresh: boolean }> {
  const result = await sql<{ id: string; status: string; fresh: boolean }>`
    INSERT INTO notice_subscriptions (incident_id, email_sealed, email_idx, locale)
    VALUES (${subscription.incidentId}::uuid, ${subscription.emailSealed}, ${subscription.emailIdx}, ${subscription.locale})
    ON CONFLICT (incident_id, email_idx) DO UPDATE SET
      status = CASE WHEN notice_subscriptions.status = 'unsubscribed' THEN 'pending' ELSE notice_subscriptions.status END,
      locale = EXCLUDED.locale
    RETURNING id, status, (xmax = 0) AS fresh`.execute(tx);
  const row = result.rows[0]!;
  return { id: row.id, status: row.status, isFresh: row.fresh };
}

/** A person's rating of how the breach was handled (one per person and incident; a new one replaces it). */
export async function saveFeedback(
  db: Executor,
  feedback: { incidentId: string; pn: number; rating: number; commentSealed: Buffer | null },
): Promise<void> {
  const { incidentId, pn, rating, commentSealed } = feedback;
  await db
    .insertInto('notice_feedback')
    .values({ incident_id: incidentId, pn, rating, comment_sealed: commentSealed })
    .onConflict((oc) =>
      oc
        .columns(['incident_id', 'pn'])
        .doUpdateSet({ rating, comment_sealed: commentSealed, updated_at: new Date() }),
    )
    .execute();
}

/** Subscriptions of an incident per state. */
export function subscriptionStates(db: Executor, incidentId: string) {
  return db
    .selectFrom('notice_subscriptions')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy('status')
    .execute();
}

/** Feedback of an incident per rating (1 to 5). */
export function feedbackRatings(db: Executor, incidentId: string) {
  return db
    .selectFrom('notice_feedback')
    .select(['rating', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy('rating')
    .execute();
}

/** Feedback with a comment, newest first, before a (time, pn) cursor. */
export async function feedbackCommentsPage(
  db: Executor,
  incidentId: string,
  before: { at: Date; pn: number } | null,
  limit: number,
): Promise<Array<{ pn: number; rating: number; comment_sealed: Buffer; updated_at: Date }>> {
  let q = db
    .selectFrom('notice_feedback')
    .select(['pn', 'rating', 'comment_sealed', 'updated_at'])
    .where('incident_id', '=', incidentId)
    .where('comment_sealed', 'is not', null);
  if (before) q = q.where(sql<boolean>`(updated_at, pn) < (${before.at}::timestamptz, ${before.pn}::int)`);
  const rows = await q.orderBy('updated_at', 'desc').orderBy('pn', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, comment_sealed: r.comment_sealed! }));
}

/** The public's counts per UTC day of the last `days` days. */
export async function countersSince(
  db: Executor,
  incidentId: string,
  days: number,
): Promise<Array<{ day: string; metric: Metric; n: number }>> {
  const result = await sql<{ day: string; metric: Metric; n: number }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, n FROM notice_counters
    WHERE incident_id = ${incidentId}::uuid AND day > (now() AT TIME ZONE 'UTC')::date - ${days}::int`.execute(
    db,
  );
  return result.rows;
}

/** The public's counts since the notice went up. */
export async function counterTotals(
  db: Executor,
  incidentId: string,
): Promise<Array<{ metric: Metric; n: string }>> {
  const result = await sql<{ metric: Metric; n: string }>`
    SELECT metric, sum(n)::text AS n FROM notice_counters WHERE incident_id = ${incidentId}::uuid GROUP BY metric`.execute(
    db,
  );
  return result.rows;
}

/** Personal links issued before `at` stop working; returns the time stored. */
export async function revokeLinksIssuedBefore(db: Executor, incidentId: string, at: Date): Promise<Date> {
  const row = await sql<{ at: Date }>`
    INSERT INTO notice_sites (incident_id, links_valid_after) VALUES (${incidentId}::uuid, ${at})
    ON CONFLICT (incident_id) DO UPDATE SET links_valid_after = EXCLUDED.links_valid_after
    RETURNING links_valid_after AS at`.execute(db);
  return new Date(row.rows[0]!.at);
}
