import { sql } from 'kysely';
import { highRiskMask, mediumRiskMask, type RiskTier } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';

/**
 * What other modules may know of an incident's people without reading them: how many there are, and which
 * categories of data their records expose. Counts and a bit mask only, never who. They are read from the
 * incident's cells (`people_cells`: people per jurisdiction and exposure), which each resolution rewrites
 * with the people, so a read costs a few hundred rows whatever the incident's size.
 */

/** People per incident; incidents without any are left out. */
export async function peopleCounts(
  db: Executor,
  incidentIds: readonly string[],
): Promise<Map<string, number>> {
  const wanted = [...new Set(incidentIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('people_cells')
    .select(['incident_id', (eb) => eb.fn.sum<string>('people').as('n')])
    .where('incident_id', 'in', wanted)
    .groupBy('incident_id')
    .execute();
  return new Map(rows.map((r) => [r.incident_id, Number(r.n)]));
}

/** The categories (taxonomy bit mask) the incident's people expose together; null while none are imported. */
export async function exposedCategoryMask(db: Executor, incidentId: string): Promise<number | null> {
  const row = await db
    .selectFrom('people_cells')
    .select(sql<number | null>`bit_or(categories)`.as('mask'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return row?.mask === null || row?.mask === undefined ? null : Number(row.mask);
}

/**
 * The incident's people counted by jurisdiction and exposure (categories bit mask): a few hundred cells
 * even for millions of people, what the obligations engine applies the rules to.
 */
export async function peopleByJurisdictionAndExposure(
  db: Executor,
  incidentId: string,
): Promise<Array<{ jurisdiction: string; categories: number; people: number }>> {
  const rows = await db
    .selectFrom('people_cells')
    .select(['jurisdiction', 'categories', (eb) => eb.fn.sum<string>('people').as('people')])
    .where('incident_id', '=', incidentId)
    .groupBy(['jurisdiction', 'categories'])
    .orderBy('jurisdiction')
    .orderBy('categories')
    .execute();
  return rows.map((r) => ({
    jurisdiction: r.jurisdiction,
    categories: r.categories,
    people: Number(r.people),
  }));
}

/**
 * The incident's people as a relation of what a campaign chooses its audience by (`p.incident_id`, `p.pn`,
 * `p.locale`, `p.categories`, `p.risk_tier`, `p.jurisdiction`, `p.reachable_email|phone|postal`): no
 * identifier, nothing sealed. Campaigns count, group and insert recipients over it in one statement, as a
 * subquery PostgreSQL folds into the plan (`selectFrom(audienceOf(db, id).as('p'))`, or in `sql` as
 * `FROM ${audienceOf(db, id)} p`).
 */
export function audienceOf(db: Executor, incidentId: string) {
  return db
    .selectFrom('people')
    .select([
      'incident_id',
      'pn',
      'locale',
      'categories',
      'risk_tier',
      'jurisdiction',
      'reachable_email',
      'reachable_phone',
      'reachable_postal',
    ])
    .where('incident_id', '=', incidentId);
}

/**
 * The incident's people as weighted cells: the columns of `audienceOf` but `pn`, one row per distinct
 * combination with its number of people (`people`). What set-based counts over the audience read (a
 * campaign's reach per variant and channel): a few hundred rows instead of every person.
 */
export function audienceCellsOf(db: Executor, incidentId: string) {
  return db
    .selectFrom('people_cells')
    .select([
      'incident_id',
      'locale',
      'categories',
      sql<RiskTier>`CASE WHEN categories & ${highRiskMask} <> 0 THEN 'high' WHEN categories & ${mediumRiskMask} <> 0 THEN 'medium' ELSE 'low' END`.as(
        'risk_tier',
      ),
      'jurisdiction',
      'reachable_email',
      'reachable_phone',
      'reachable_postal',
      'people',
    ])
    .where('incident_id', '=', incidentId);
}

/** Which channels reach one person of the incident (what the fallback chain steps over); null if unknown. */
export async function personReach(
  db: Executor,
  incidentId: string,
  pn: number,
): Promise<{ email: boolean; sms: boolean; letter: boolean } | null> {
  const row = await db
    .selectFrom('people')
    .select(['reachable_email', 'reachable_phone', 'reachable_postal'])
    .where('incident_id', '=', incidentId)
    .where('pn', '=', pn)
    .executeTakeFirst();
  return row ? { email: row.reachable_email, sms: row.reachable_phone, letter: row.reachable_postal } : null;
}

/** What an incident shows of its people (the incidents module's `PeopleFacts`, handed over at wiring). */
export const incidentPeopleFacts = { counts: peopleCounts, exposedMask: exposedCategoryMask };
