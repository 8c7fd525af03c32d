import { runMigrations, Logger as WorkerLogger } from 'graphile-worker';
import { sql } from 'kysely';
import { type Db, type Executor, poolOf } from '../../db/database.ts';

/**
 * Enqueueing a job in the caller's transaction, so the job commits (or not) with the change that asked for
 * it: `runner.addJob` (job-runner.ts) uses a connection of its own and would enqueue work for a change that
 * then rolls back. Modules call this instead of graphile-worker's SQL.
 */
export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  maxAttempts?: number;
  /**
   * One pending job per key: enqueueing again with the same key updates the waiting job in place ('replace');
   * a running one keeps running and the new one waits behind it.
   */
  jobKey?: string;
}

export async function enqueueInTransaction(
  tx: Executor,
  name: string,
  payload: Record<string, string | number | boolean | null>,
  options: EnqueueOptions = {},
): Promise<void> {
  // No named queue: a process that dies mid-run would keep a queue locked for hours (graphile-worker's
  // lock timeout).
  await sql`SELECT graphile_worker.add_job(
      ${name}::text,
      ${JSON.stringify(payload)}::json,
      run_at => now() + ${options.delayMs ?? 0}::int * interval '1 millisecond',
      max_attempts => ${options.maxAttempts ?? 25}::int,
      job_key => ${options.jobKey ?? null}::text,
      job_key_mode => 'replace')`.execute(tx);
}

const silentWorkerLogger = new WorkerLogger(() => () => {});

/**
 * graphile-worker's schema holds the queue. The job runner installs it when `serve` or `worker` starts, but
 * a request may come first (a server still starting, a database used without a runner), so callers of
 * `enqueueInTransaction` call this before their transaction; graphile-worker's migrations are safe to run
 * from several processes at once.
 */
export async function ensureJobQueue(db: Db): Promise<void> {
  const { rows } = await sql<{ isReady: boolean }>`
    SELECT to_regprocedure('graphile_worker.add_job(text,json,text,timestamptz,integer,text,integer,text[],text)')
      IS NOT NULL AS "isReady"`.execute(db);
  if (rows[0]?.isReady) return;
  // Through a pool of its own that it closes, as the job runner does (graphile-worker changes the
  // listeners of a pool it is lent).
  const url = poolOf(db).options.connectionString;
  if (!url) throw new Error('Installing the job queue needs the database connection string.');
  await runMigrations({ connectionString: url, logger: silentWorkerLogger });
}
