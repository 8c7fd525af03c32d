import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** Record numbers of one import: rn_base is a multiple of this (import-runner.ts, resolve.ts). */
const IMPORT_SPAN = 2 ** 32;

/**
 * Conflicts each import brought, by import id. Resolution is recomputed for the whole incident, so the
 * count it returns is the incident's, not the import's; `imports.conflicts_found` keeps the import's own
 * as of its end, and lists recount them (a later decision may settle some). A conflict pairs two
 * records `rn_a < rn_b`; imports take increasing `rn_base`, so the newer record `rn_b` names the import
 * that found it: every conflict counts once, for the file that brought the clash. Decided ones count too
 * (the import found them). Walks `resolution_conflicts_rn_b_idx` (0009), one group per import.
 */
export async function conflictsByImport(
  db: Executor,
  incidentId: string,
  imports: ReadonlyArray<{ id: string; rn_base: number | string }>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (imports.length === 0) return counts;
  const rows = await sql<{ k: string; n: string }>`
    SELECT rn_b / ${IMPORT_SPAN}::bigint AS k, count(*) AS n FROM resolution_conflicts
    WHERE incident_id = ${incidentId}::uuid
      AND rn_b >= ${Math.min(...imports.map((i) => Number(i.rn_base)))}::bigint
      AND rn_b < ${Math.max(...imports.map((i) => Number(i.rn_base))) + IMPORT_SPAN}::bigint
    GROUP BY 1`.execute(db);
  const bySpan = new Map(rows.rows.map((r) => [Number(r.k), Number(r.n)]));
  for (const job of imports) counts.set(job.id, bySpan.get(Number(job.rn_base) / IMPORT_SPAN) ?? 0);
  return counts;
}
