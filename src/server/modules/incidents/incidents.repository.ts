import type { Executor } from '../../db/database.ts';

/**
 * Incidents' internal titles by id, for staff screens of other modules (the support inbox names the incident
 * a thread belongs to). Ids with no incident are left out.
 */
export async function incidentTitles(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('incidents').select(['id', 'title']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.title]));
}
