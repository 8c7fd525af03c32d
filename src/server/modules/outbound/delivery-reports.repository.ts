import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DeliveryState } from '../../db/schema.ts';
import type { ClaimedDelivery } from './campaign-port.ts';
import type { DeliveryKey } from './deliveries.repository.ts';

/**
 * SQL on campaign notices' rows after they were sent: what the notice site checks (a printed verification
 * code), what receipts and bounce reports find, and the letters the print vendor returns.
 */
/**
 * Whether a verification code was printed on a notice of this incident that went out (sent, delivered,
 * or handed on to another channel): what "is this notice genuine?" on the notice site answers.
 */
export async function isIssuedVerificationCode(
  db: Executor,
  incidentId: string,
  code: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.lit(1).as('ok'))
    .where('incident_id', '=', incidentId)
    .where('verification_code', '=', code)
    .where('state', 'in', ['sent', 'delivered', 'bounced', 'fell_back'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export type ReportedDelivery = Pick<
  ClaimedDelivery,
  'incident_id' | 'campaign_id' | 'pn' | 'channel' | 'step' | 'variant_id' | 'locale'
> & { state: DeliveryState; provider_id: string | null };

const REPORTED = [
  'incident_id',
  'campaign_id',
  'pn',
  'channel',
  'step',
  'variant_id',
  'locale',
  'state',
  'provider_id',
] as const;

/** The email delivery a bounce report or an email provider's event names by Message-ID. */
export async function emailDeliveryByMessageId(
  db: Executor,
  messageId: string,
): Promise<ReportedDelivery | undefined> {
  return db
    .selectFrom('deliveries')
    .select(REPORTED)
    .where('message_id', '=', messageId)
    .where('channel', '=', 'email')
    .executeTakeFirst();
}

/** The delivery a provider's receipt names by the provider's id. */
export async function deliveryByProviderId(
  db: Executor,
  providerId: string,
): Promise<ReportedDelivery | undefined> {
  return db
    .selectFrom('deliveries')
    .select(REPORTED)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
}

/** Sent → delivered, on the provider's word. */
export async function markDelivered(tx: Executor, row: DeliveryKey): Promise<void> {
  await sql`UPDATE deliveries SET state = 'delivered', settled_at = now(), updated_at = now()
            WHERE incident_id = ${row.incident_id} AND campaign_id = ${row.campaign_id}
              AND pn = ${row.pn} AND channel = ${row.channel} AND state = 'sent'`.execute(tx);
}

/** The language and variant of these people's letters (for the date printed above each). */
export async function letterDeliveries(tx: Executor, incidentId: string, campaignId: string, pns: number[]) {
  return tx
    .selectFrom('deliveries')
    .select(['pn', 'locale', 'variant_id'])
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .where('channel', '=', 'letter')
    .where('pn', '=', sql<number>`any(${pns}::int[])`)
    .execute();
}

/** Letter rows named by Message-ID or verification code, locked for the guarded update that follows. */
export async function lockLettersNamed(
  tx: Executor,
  incidentId: string,
  campaignId: string,
  named: { messageIds: string[]; codes: string[] },
) {
  return tx
    .selectFrom('deliveries')
    .select(['incident_id', 'campaign_id', 'pn', 'channel', 'step', 'variant_id', 'locale', 'state'])
    .select(['message_id', 'verification_code'])
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .where('channel', '=', 'letter')
    .where(
      sql<boolean>`(message_id = any(${named.messageIds}::text[]) OR verification_code = any(${named.codes}::text[]))`,
    )
    .forUpdate()
    .execute();
}

/** Letters that ended for this reason (returned by the post). */
export async function lettersEndedFor(
  db: Executor,
  incidentId: string,
  campaignId: string,
  reason: string,
): Promise<number> {
  const returned = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('campaign_id', '=', campaignId)
    .where('channel', '=', 'letter')
    .where('state', 'in', ['bounced', 'fell_back'])
    .where('error', '=', reason)
    .executeTakeFirstOrThrow();
  return Number(returned.n);
}
