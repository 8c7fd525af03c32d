import { sql } from 'kysely';
import { advisoryLockClasses } from '../../platform/advisory-locks.ts';
import type { Actor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { type ImportRequest, resumeImport, runImport } from './import-runner.ts';

/**
 * Imports started from the console run in the server process, in the background: the request returns as
 * soon as the import has an id, and the console polls its progress. Imports interrupted by a restart are
 * resumed from their checkpoint at start (and by `candor worker`).
 */
type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'logger'>;

export function createImportJobs(deps: Deps) {
  const running = new Map<string, Promise<unknown>>();

  const track = (importId: string, work: Promise<unknown>) => {
    const done = work
      .catch((error: unknown) => deps.logger.warn({ err: error, importId }, 'import stopped with an error'))
      .finally(() => running.delete(importId));
    running.set(importId, done);
  };

  return {
    /** Starts an import; resolves with its id once known, while the work continues. */
    start(request: ImportRequest): Promise<{ importId: string; isDuplicate: boolean }> {
      return new Promise((resolve, reject) => {
        let isStarted = false;
        const work = runImport(deps, {
          ...request,
          onStarted: (importId, isDuplicate) => {
            isStarted = true;
            resolve({ importId, isDuplicate });
            if (!isDuplicate) track(importId, work);
          },
        });
        work.catch((error: unknown) => {
          if (!isStarted) reject(error);
        });
      });
    },

    /** Resumes imports left unfinished by a stopped process (not those running here or elsewhere). */
    async resumeInterrupted(actor: Actor): Promise<number> {
      const stale = await deps.db
        .selectFrom('imports')
        .select(['id', 'incident_id'])
        .where('status', 'in', ['pending', 'parsing', 'resolving'])
        .where('updated_at', '<', sql<Date>`now() - interval '1 minute'`)
        .execute();
      let resumed = 0;
      for (const job of stale) {
        if (running.has(job.id)) continue;
        // Someone holding the incident's import lock is working on it (here or on another machine).
        const isFree = await deps.db.connection().execute(async (conn) => {
          const probe = await sql<{
            free: boolean;
          }>`SELECT pg_try_advisory_lock(${advisoryLockClasses.importPerIncident}, hashtext(${job.incident_id})) AS free`.execute(
            conn,
          );
          const free = probe.rows[0]?.free === true;
          if (free)
            await sql`SELECT pg_advisory_unlock(${advisoryLockClasses.importPerIncident}, hashtext(${job.incident_id}))`.execute(
              conn,
            );
          return free;
        });
        if (!isFree) continue;
        deps.logger.info({ importId: job.id }, 'resuming an interrupted import');
        track(job.id, resumeImport(deps, job.id, actor));
        resumed++;
      }
      return resumed;
    },

    isRunning: (importId: string) => running.has(importId),

    /** Waits for every running import (tests, graceful shutdown). */
    async drain(): Promise<void> {
      await Promise.all([...running.values()]);
    },
  };
}
export type ImportJobs = ReturnType<typeof createImportJobs>;
