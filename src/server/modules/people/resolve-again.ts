import { sql } from 'kysely';
import type { PeopleResolutionDto } from '../../../shared/contracts/people.ts';
import { type Db, dbOnClient, type Executor, poolOf } from '../../db/database.ts';
import { advisoryLockClasses } from '../../platform/advisory-locks.ts';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import { enqueueInTransaction, ensureJobQueue } from '../../platform/jobs/enqueue.ts';
import { appendTimeline } from '../incidents/index.ts';
import type { ImportDeps as Deps } from './import-request.ts';
import { resolveIncident } from './resolve.ts';

/**
 * Re-resolving an incident's people after conflict decisions, in the background (issue 21: on millions of
 * records it takes minutes, so never inside the decision's request). The state per incident is the row of
 * `people_resolutions` (migration 0018): a decision bumps `requested` and enqueues the job in its own
 * transaction; a run covers the requests up to the one it started at (`covered`), so decisions taken before
 * it starts share it, and decisions taken while it runs leave one more run pending (the job key is the
 * incident's, so they are one job whatever their number).
 *
 * The job takes the incident's import lock, as imports do, without waiting for it: while an import holds
 * it, the job puts itself back a few seconds later instead of holding a runner slot for the import's length.
 * It does the same while another re-resolution runs in its process (people.jobs.ts): each holds per-record
 * state and a core, and three of the pool's connections.
 */
export const RESOLVE_AGAIN_JOB = 'people.resolve-again';
/** One attempt: a failure is recorded for staff, who try again from the console (or decide again). */
export const RESOLVE_AGAIN_ATTEMPTS = 1;
const RETRY_WHILE_WAITING_MS = 10_000;
/** A queued or running row not touched for this long lost its job (a process stopped): enqueued again. */
const STALLED_AFTER = '2 minutes';
const LOCK_CLASS = advisoryLockClasses.importPerIncident;

/**
 * Records that the incident's people must be resolved again and enqueues the job, in the caller's
 * transaction (the decision's), so neither exists without the other. Call `ensureJobQueue` before.
 */
export async function requestResolution(tx: Executor, incidentId: string): Promise<void> {
  await sql`
    INSERT INTO people_resolutions AS r (incident_id, state) VALUES (${incidentId}, 'queued')
    ON CONFLICT (incident_id) DO UPDATE SET
      requested = r.requested + 1,
      requested_at = now(),
      updated_at = now(),
      state = CASE WHEN r.state = 'running' THEN 'running' ELSE 'queued' END,
      phase = CASE WHEN r.state = 'running' THEN r.phase END,
      error = NULL`.execute(tx);
  await enqueueResolution(tx, incidentId, 0);
}

function enqueueResolution(db: Executor, incidentId: string, delayMs: number): Promise<void> {
  return enqueueInTransaction(
    db,
    RESOLVE_AGAIN_JOB,
    { incidentId },
    { delayMs, maxAttempts: RESOLVE_AGAIN_ATTEMPTS, jobKey: `${RESOLVE_AGAIN_JOB}:${incidentId}` },
  );
}

export { ensureJobQueue };

/** Puts the job back a few seconds later, saying what it waits for, instead of holding a runner slot. */
export async function deferResolution(db: Db, incidentId: string, waitingFor: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('people_resolutions')
      .set({ phase: waitingFor, updated_at: new Date() })
      .where('incident_id', '=', incidentId)
      .where('state', '=', 'queued')
      .execute();
    await enqueueResolution(tx, incidentId, RETRY_WHILE_WAITING_MS);
  });
}

export type ResolutionRun =
  | { outcome: 'done'; people: number; conflicts: number }
  | { outcome: 'waiting' }
  | { outcome: 'nothing_asked' };

/** The job's work: one run for the incident, under its import lock; a failure is recorded, then thrown. */
export async function runResolution(deps: Deps, incidentId: string): Promise<ResolutionRun> {
  const pool = poolOf(deps.db);
  const lock = await pool.connect();
  try {
    const taken = await lock.query<{ isTaken: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS "isTaken"',
      [LOCK_CLASS, incidentId],
    );
    if (!taken.rows[0]?.isTaken) {
      // An import of this incident is running (it resolves too, but may have started before the decision).
      await deferResolution(deps.db, incidentId, 'waiting for an import of this incident to finish');
      return { outcome: 'waiting' };
    }
    const onLock = dbOnClient(lock);
    try {
      return await resolveUnderLock(deps, incidentId, onLock);
    } finally {
      await onLock.destroy();
      await lock
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, incidentId])
        .catch(() => {});
    }
  } finally {
    lock.release();
  }
}

/**
 * `onLock` is the connection that holds the lock, idle otherwise: the state moves through it, so a run
 * takes three connections of the pool (lock, read, write), never a fourth while holding those.
 */
async function resolveUnderLock(deps: Deps, incidentId: string, onLock: Db): Promise<ResolutionRun> {
  // Guarded: a job whose requests an earlier run already covered has nothing to do. A 'running' row here
  // (the lock is ours) is a run that a stopped process left: it starts over.
  const started = await onLock
    .updateTable('people_resolutions')
    .set({
      state: 'running',
      phase: 'starting',
      covered: sql<number>`requested`,
      started_at: new Date(),
      error: null,
      updated_at: new Date(),
    })
    .where('incident_id', '=', incidentId)
    .where((eb) => eb.or([eb('state', 'in', ['queued', 'running']), eb('requested', '>', eb.ref('covered'))]))
    .returning('covered')
    .executeTakeFirst();
  if (!started) return { outcome: 'nothing_asked' };
  const covered = Number(started.covered);
  const progress = phaseRecorder(deps, onLock, incidentId, covered);
  const pool = poolOf(deps.db);
  const read = await pool.connect();
  const write = await pool.connect();
  const tx = dbOnClient(write);
  let failure: Error | undefined;
  try {
    await write.query('BEGIN');
    const result = await resolveIncident(read, write, incidentId, progress.record);
    await progress.settled();
    // In the transaction that rewrites the people, so the count shown as done is the one committed.
    await tx
      .updateTable('people_resolutions')
      .set({
        state: sql<'queued' | 'done'>`CASE WHEN requested > covered THEN 'queued' ELSE 'done' END`,
        phase: null,
        people: result.people,
        finished_at: new Date(),
        updated_at: new Date(),
      })
      .where('incident_id', '=', incidentId)
      .where('covered', '=', covered)
      .execute();
    await recordAudit(tx, {
      actor: systemActor,
      action: 'people.resolved',
      target: { type: 'incident', id: incidentId },
      details: { people: result.people, conflicts: result.conflicts, reason: 'conflict decisions' },
    });
    await appendTimeline(tx, {
      incidentId,
      kind: 'import',
      actor: systemActor,
      summary: `People re-resolved after conflict decisions: ${result.people.toLocaleString('en-US')} affected people.`,
      details: { people: result.people, conflicts: result.conflicts },
    });
    await write.query('COMMIT');
    return { outcome: 'done', people: result.people, conflicts: result.conflicts };
  } catch (error) {
    failure = error instanceof Error ? error : new Error('re-resolution failed');
    await write.query('ROLLBACK').catch(() => {});
    await progress.settled();
    await onLock
      .updateTable('people_resolutions')
      .set({
        state: sql<'queued' | 'failed'>`CASE WHEN requested > covered THEN 'queued' ELSE 'failed' END`,
        phase: null,
        error: failureMessage(error),
        finished_at: new Date(),
        updated_at: new Date(),
      })
      .where('incident_id', '=', incidentId)
      .where('covered', '=', covered)
      .execute()
      .catch((recordError: unknown) =>
        deps.logger.error({ err: recordError, incidentId }, 'could not record a failed re-resolution'),
      );
    throw error;
  } finally {
    await tx.destroy();
    // A client interrupted mid-COPY is not handed back to the pool.
    read.release(failure);
    write.release(failure);
  }
}

/**
 * resolveIncident reports its phases synchronously; each is written in its own statement, in order, on the
 * lock's connection beside the resolution's transaction (best effort: a lost phase never stops the run).
 */
function phaseRecorder(deps: Deps, onLock: Db, incidentId: string, covered: number) {
  let written: Promise<void> = Promise.resolve();
  return {
    record(phase: string) {
      written = written.then(async () => {
        await onLock
          .updateTable('people_resolutions')
          .set({ phase, updated_at: new Date() })
          .where('incident_id', '=', incidentId)
          .where('covered', '=', covered)
          .where('state', '=', 'running')
          .execute()
          .catch((error: unknown) =>
            deps.logger.warn({ err: error, incidentId }, 'could not record the re-resolution phase'),
          );
      });
    },
    settled: () => written,
  };
}

/** For staff: what happened and what to do; the cause goes to the log with the job, never into the row. */
function failureMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? ` (PostgreSQL error ${code})` : '';
  return (
    `Re-resolving people stopped with an error${detail}; the people shown are from before your decisions. ` +
    `Try again; if it fails again, the server log names the cause under the job ${RESOLVE_AGAIN_JOB}.`
  );
}

/**
 * Queued or running re-resolutions whose job was lost (every process stopped during a run) are enqueued
 * again; a run whose incident lock is held is alive (one phase can last minutes) and is left alone.
 * Enqueueing one that is in fact alive would be harmless: the extra job finds nothing asked.
 */
export async function requeueStalledResolutions(db: Db): Promise<number> {
  const stalled = await db
    .selectFrom('people_resolutions')
    .select(['incident_id', 'state'])
    .where('state', 'in', ['queued', 'running'])
    .where('updated_at', '<', sql<Date>`now() - ${STALLED_AFTER}::interval`)
    .execute();
  let requeued = 0;
  for (const row of stalled) {
    if (row.state === 'running' && !(await isLockFree(db, row.incident_id))) continue;
    await enqueueResolution(db, row.incident_id, 0);
    requeued++;
  }
  return requeued;
}

async function isLockFree(db: Db, incidentId: string): Promise<boolean> {
  const client = await poolOf(db).connect();
  try {
    const probe = await client.query<{ isFree: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS "isFree"',
      [LOCK_CLASS, incidentId],
    );
    const isFree = probe.rows[0]?.isFree === true;
    if (isFree) await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, incidentId]);
    return isFree;
  } finally {
    client.release();
  }
}

/** What the console shows: the incident's re-resolution, or 'none' when no decision ever asked for one. */
export async function resolutionState(db: Executor, incidentId: string): Promise<PeopleResolutionDto> {
  const row = await db
    .selectFrom('people_resolutions')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);
  if (!row) {
    return {
      state: 'none',
      phase: null,
      isFollowUpQueued: false,
      requestedAt: null,
      startedAt: null,
      finishedAt: null,
      people: null,
      error: null,
    };
  }
  return {
    state: row.state,
    phase: row.phase,
    isFollowUpQueued: row.state === 'running' && Number(row.requested) > Number(row.covered),
    requestedAt: iso(row.requested_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    people: row.people === null ? null : Number(row.people),
    error: row.error,
  };
}
