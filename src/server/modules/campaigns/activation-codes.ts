import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { AppError, notFound } from '../../platform/errors.ts';

/**
 * Credit-monitoring activation codes: a pool per campaign imported from a CSV (one code per line, or a
 * column named `code`). Codes are sealed at rest; a keyed hash refuses the same code twice. Each eligible
 * person gets exactly one, assigned by the delivery engine when their notice is claimed.
 */
export const CODE_CONTEXT = 'activation_codes.code';

export function parseCodes(csv: string): string[] {
  const lines = csv
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return [];
  const header = lines[0]!.split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  const column = header.indexOf('code');
  const rows = column >= 0 ? lines.slice(1) : lines;
  const index = Math.max(column, 0);
  return rows
    .map((line) => (line.split(',')[index] ?? '').trim().replace(/^"|"$/g, ''))
    .filter((code) => code.length > 0);
}

export async function importCodes(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  campaignId: string,
  csv: string,
  meta: { actor: Actor; requestId?: string | undefined },
) {
  const codes = parseCodes(csv);
  if (codes.length === 0)
    throw new AppError(
      'validation_failed',
      'No codes found: send one code per line, or a CSV with a "code" column.',
    );
  const bad = codes.findIndex((c) => !/^[\w-]{4,64}$/.test(c));
  if (bad >= 0) {
    throw new AppError(
      'validation_failed',
      `Code ${bad + 1} is not a valid code (4 to 64 letters, digits, "-" or "_"); nothing was imported.`,
    );
  }
  return deps.db.transaction().execute(async (tx) => {
    const campaign = await tx
      .selectFrom('campaigns')
      .select(['id', 'status'])
      .where('id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!campaign) throw notFound('A campaign with this id');
    if (['finished', 'cancelled'].includes(campaign.status)) {
      throw new AppError('conflict', `The campaign is ${campaign.status}; codes can no longer be added.`);
    }
    let added = 0;
    for (let i = 0; i < codes.length; i += 1000) {
      const chunk = [...new Set(codes.slice(i, i + 1000))];
      const result = await tx
        .insertInto('activation_codes')
        .values(
          chunk.map((code) => ({
            campaign_id: campaignId,
            code_sealed: deps.crypto.encrypt(code, CODE_CONTEXT),
            code_idx: deps.crypto.blindIndex('activation_code', code),
          })),
        )
        .onConflict((oc) => oc.columns(['campaign_id', 'code_idx']).doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    const total = await tx
      .selectFrom('activation_codes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.activation_codes_imported',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { added, duplicates: codes.length - added },
    });
    return { added, duplicates: codes.length - added, total: Number(total.n) };
  });
}

/**
 * The activation code assigned to a person of an incident (the latest, if several campaigns gave one),
 * decrypted; null when none was. The caller audits the read.
 */
export async function assignedActivationCode(
  db: Executor,
  crypto: Pick<PiiCrypto, 'decrypt'>,
  incidentId: string,
  pn: number,
): Promise<string | null> {
  const row = await db
    .selectFrom('activation_codes')
    .innerJoin('campaigns', 'campaigns.id', 'activation_codes.campaign_id')
    .select(['activation_codes.code_sealed'])
    .where('campaigns.incident_id', '=', incidentId)
    .where('activation_codes.assigned_pn', '=', pn)
    .orderBy('activation_codes.assigned_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? crypto.decrypt(row.code_sealed, CODE_CONTEXT) : null;
}

/**
 * Gives each of these people of the campaign a code of their own, if they have none yet (one statement;
 * SKIP LOCKED on free codes, so engines side by side never share one; a unique index per person), and
 * returns everyone's code, decrypted. People left without one (the pool ran out) are missing from the map.
 */
export async function assignActivationCodes(
  db: Executor,
  crypto: Pick<PiiCrypto, 'decrypt'>,
  campaignId: string,
  pns: number[],
): Promise<Map<number, string>> {
  if (pns.length === 0) return new Map();
  await sql`
    WITH need AS (
      SELECT pn, row_number() OVER (ORDER BY pn) AS k FROM unnest(${pns}::int[]) AS pn
      WHERE NOT EXISTS (SELECT 1 FROM activation_codes a WHERE a.campaign_id = ${campaignId} AND a.assigned_pn = pn)
    ), free AS (
      SELECT id, row_number() OVER (ORDER BY id) AS k FROM (
        SELECT id FROM activation_codes WHERE campaign_id = ${campaignId} AND assigned_pn IS NULL
        ORDER BY id LIMIT (SELECT count(*) FROM need) FOR UPDATE SKIP LOCKED
      ) f
    )
    UPDATE activation_codes a SET assigned_pn = need.pn, assigned_at = now()
    FROM free JOIN need USING (k) WHERE a.id = free.id`.execute(db);
  const rows = await db
    .selectFrom('activation_codes')
    .select(['assigned_pn', 'code_sealed'])
    .where('campaign_id', '=', campaignId)
    .where('assigned_pn', 'in', pns)
    .execute();
  const codes = new Map<number, string>();
  for (const r of rows) codes.set(r.assigned_pn!, await crypto.decrypt(r.code_sealed, CODE_CONTEXT));
  return codes;
}
