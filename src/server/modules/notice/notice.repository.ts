import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/**
 * SQL of the public notice site's own tables (subscriptions, feedback). The connection or transaction is
 * the first argument of each function: the caller decides what runs together.
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
