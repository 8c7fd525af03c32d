import { sql } from 'kysely';
import type { VariantRule } from '../../../shared/contracts/campaigns.ts';
import type { RiskTier } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { audienceOf } from '../people/index.ts';
import { variantCase } from './variants.ts';

/**
 * The exposure most common among the people a variant reaches (their categories bitmask, then the most
 * common jurisdiction and risk tier among those): the sample person of a preview has it, so what legal reads
 * is what most of that variant's people get. Aggregates only; nobody's identity is read.
 */
export async function typicalExposure(
  db: Executor,
  incidentId: string,
  variants: Array<{ id: string; isDefault: boolean; rule: VariantRule }>,
  variantId: string,
): Promise<{ categories: number; jurisdiction: string; risk: RiskTier; alike: number } | null> {
  const chosen = variantCase(variants);
  const top = await sql<{ categories: number; n: string }>`
    SELECT p.categories, count(*)::text AS n FROM ${audienceOf(db, incidentId)} p
    WHERE ${chosen} = ${variantId}::uuid
    GROUP BY p.categories ORDER BY count(*) DESC, p.categories LIMIT 1`.execute(db);
  const best = top.rows[0];
  if (!best) return null;
  const where = await sql<{ jurisdiction: string; risk_tier: RiskTier }>`
    SELECT p.jurisdiction, p.risk_tier FROM ${audienceOf(db, incidentId)} p
    WHERE p.categories = ${best.categories}
      AND ${chosen} = ${variantId}::uuid
    GROUP BY p.jurisdiction, p.risk_tier ORDER BY count(*) DESC, p.jurisdiction LIMIT 1`.execute(db);
  const place = where.rows[0]!;
  return {
    categories: Number(best.categories),
    jurisdiction: place.jurisdiction,
    risk: place.risk_tier,
    alike: Number(best.n),
  };
}
