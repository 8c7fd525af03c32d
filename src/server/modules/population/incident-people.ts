import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/**
 * What other modules may know of an incident's people without reading them: how many there are, and which
 * categories of data their records expose. Counts and a bit mask only, never who.
 */

/** People per incident; incidents without any are left out. */
export async function peopleCounts(
  db: Executor,
  incidentIds: readonly string[],
): Promise<Map<string, number>> {
  const wanted = [...new Set(incidentIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('people')
    .select(['incident_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('incident_id', 'in', wanted)
    .groupBy('incident_id')
    .execute();
  return new Map(rows.map((r) => [r.incident_id, Number(r.n)]));
}

/** The categories (taxonomy bit mask) the incident's people expose together; null while none are imported. */
export async function exposedCategoryMask(db: Executor, incidentId: string): Promise<number | null> {
  const row = await db
    .selectFrom('people')
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
    .selectFrom('people')
    .select(['jurisdiction', 'categories', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy(['jurisdiction', 'categories'])
    .execute();
  return rows.map((r) => ({ jurisdiction: r.jurisdiction, categories: r.categories, people: Number(r.n) }));
}
