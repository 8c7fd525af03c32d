import { dbOnClient, poolOf } from '../../db/database.ts';
import { advisoryLockClasses } from '../../platform/advisory-locks.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { appendTimeline } from '../incidents/index.ts';
import type { ImportDeps as Deps } from './import-request.ts';
import { resolveIncident } from './resolve.ts';

const LOCK_CLASS = advisoryLockClasses.importPerIncident;

/** Re-runs identity resolution for an incident (after a conflict decision), under the import lock. */
export async function resolveAgain(
  deps: Deps,
  incidentId: string,
  meta: { actor: Actor; requestId?: string | undefined },
) {
  const pool = poolOf(deps.db);
  const lock = await pool.connect();
  const read = await pool.connect();
  const write = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, incidentId]);
    await write.query('BEGIN');
    const result = await resolveIncident(read, write, incidentId);
    const tx = dbOnClient(write);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.resolved',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { people: result.people, conflicts: result.conflicts },
    });
    await appendTimeline(tx, {
      incidentId,
      kind: 'import',
      actor: meta.actor,
      summary: `People re-resolved after a conflict decision: ${result.people.toLocaleString('en-US')} affected people.`,
      details: { people: result.people, conflicts: result.conflicts },
    });
    await write.query('COMMIT');
    await tx.destroy();
    return result;
  } catch (error) {
    await write.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, incidentId]).catch(() => {});
    for (const client of [lock, read, write]) client.release();
  }
}
