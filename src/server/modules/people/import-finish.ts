import fs from 'node:fs';
import { dbOnClient, poolOf } from '../../db/database.ts';
import type { ImportStatus } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { appendTimeline } from '../incidents/index.ts';
import { conflictsByImport } from './import-conflicts.ts';
import { stagingTable } from './import-parse.ts';
import { type ImportSummary, type ProgressReporter, summaryOf } from './import-progress.ts';
import type { ImportDeps as Deps, ImportRequest } from './import-request.ts';
import { resolveIncident } from './resolve.ts';

/** The imports row as read back (`loadImport`). */
export type ImportRow = NonNullable<Awaited<ReturnType<typeof loadImport>>>;

export function loadImport(deps: Pick<Deps, 'db'>, importId: string) {
  return deps.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirst();
}

/** An upload is deleted once its import ends (done or failed): the sealed file and its description. */
export async function removeUpload(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
  await fs.promises.rm(`${file}.json`, { force: true });
}

/**
 * The end of an import, once its rows are parsed: attach its records, resolve the incident's people, and
 * record what happened (summary, audit, timeline), in one transaction that a crash resumes at resolution.
 */
export async function finishImport(
  deps: Deps,
  importId: string,
  request: ImportRequest,
  progress: ProgressReporter,
  unmapped: string[],
): Promise<ImportSummary> {
  const pool = poolOf(deps.db);
  const read = await pool.connect();
  const write = await pool.connect();
  try {
    // Attach the import's records (building their indexes in one pass) and mark it resolving, committed,
    // so the resolution's reading connection sees them; a crash after this resumes at resolution.
    await write.query('BEGIN');
    const staging = stagingTable(importId);
    const attached = await write.query('SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1)', [
      staging,
    ]);
    if (attached.rowCount === 0) {
      progress.update({ phase: 'resolving', detail: 'indexing records' });
      await write.query(
        `ALTER TABLE source_records_${request.incidentId.replace(/-/g, '')} ATTACH PARTITION ${staging} FOR VALUES IN ('${importId}')`,
      );
      // Fresh statistics, so resolution's joins are planned for a million rows, not an empty table.
      await write.query(`ANALYZE ${staging}`);
    }
    const peopleBefore = await write.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM people WHERE incident_id = $1',
      [request.incidentId],
    );
    await write.query(
      `UPDATE imports SET status = 'resolving', people_before = coalesce(people_before, $2) WHERE id = $1`,
      [importId, peopleBefore.rows[0]!.n],
    );
    await write.query('COMMIT');

    await write.query('BEGIN');
    const result = await resolveIncident(read, write, request.incidentId, (detail) =>
      progress.update({ phase: 'resolving', detail }),
    );
    const tx = dbOnClient(write);
    // Resolution covers the whole incident: its conflict count is the incident's. This file's own are
    // those whose newer record it brought (import-conflicts.ts).
    const { rn_base } = await tx
      .selectFrom('imports')
      .select('rn_base')
      .where('id', '=', importId)
      .executeTakeFirstOrThrow();
    const ownConflicts =
      (await conflictsByImport(tx, request.incidentId, [{ id: importId, rn_base }])).get(importId) ?? 0;
    await tx
      .updateTable('imports')
      .set({
        status: 'done' satisfies ImportStatus,
        people_after: result.people,
        conflicts_found: ownConflicts,
        finished_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', importId)
      .execute();
    const job = (await tx
      .selectFrom('imports')
      .selectAll()
      .where('id', '=', importId)
      .executeTakeFirstOrThrow()) as ImportRow;
    await recordAudit(tx, {
      actor: request.actor,
      action: 'import.completed',
      requestId: request.requestId,
      target: { type: 'import', id: importId },
      details: {
        incidentId: request.incidentId,
        rows: Number(job.rows_total),
        accepted: Number(job.accepted),
        rejected: Number(job.rejected),
        people: result.people,
        conflicts: ownConflicts,
        incidentConflicts: result.conflicts,
      },
    });
    await appendTimeline(tx, {
      incidentId: request.incidentId,
      kind: 'import',
      actor: request.actor,
      summary: `Import of ${job.file_name} finished: ${Number(job.accepted).toLocaleString('en-US')} records accepted, ${Number(job.rejected).toLocaleString('en-US')} rejected; ${result.people.toLocaleString('en-US')} affected people; ${ownConflicts.toLocaleString('en-US')} conflicts from this file (${result.conflicts.toLocaleString('en-US')} in the incident to review). Obligations recomputed.`,
      details: {
        importId,
        accepted: Number(job.accepted),
        rejected: Number(job.rejected),
        people: result.people,
      },
    });
    await write.query('COMMIT');
    await tx.destroy();
    if (job.is_upload && job.source_path) await removeUpload(job.source_path);
    progress.update({ phase: 'done' });
    return summaryOf(job, unmapped, false);
  } catch (error) {
    await write.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    read.release();
    write.release();
  }
}
