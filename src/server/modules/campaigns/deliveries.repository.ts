import type { Executor } from '../../db/database.ts';

/**
 * Reads of the `deliveries` table that other modules need, through the campaigns module's door.
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
