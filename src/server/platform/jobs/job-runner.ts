import {
  type CronItem,
  type LogFunctionFactory,
  parseCronItems,
  type Runner,
  run,
  type TaskList,
  Logger as WorkerLogger,
} from 'graphile-worker';
import { createPool, type Db, poolOf } from '../../db/database.ts';
import { type Logger, serializeError } from '../logging/logger.ts';
import type { StaffMailer } from '../mail/staff-mailer.ts';
import type { JobDefinition } from './job-definition.ts';

/**
 * The one job runner of a Candor process (`serve` and `worker` alike), on graphile-worker: jobs are rows in
 * the `graphile_worker` schema (created and migrated by graphile-worker at start, concurrently safe), taken
 * with `SKIP LOCKED`, woken by LISTEN/NOTIFY, retried with exponential back-off.
 *
 * Recurring jobs use graphile-worker's cron: at each tick every process tries to record the tick in
 * `graphile_worker._private_known_crontabs` with a guarded upsert, and only the one that moves
 * `last_execution` enqueues the run. Each recurring job also has its own queue (runs of one job never
 * overlap, across processes) and a job key (a tick that finds the previous run still waiting replaces it
 * instead of piling up; catching up after a stop enqueues one run, not one per missed minute).
 */
export interface JobRunner {
  /** The registered job names (task identifiers), sorted. */
  readonly jobNames: readonly string[];
  /** Enqueues a run of a registered job now (on-demand jobs, or a recurring one out of schedule). */
  addJob(name: string, payload?: Record<string, unknown>): Promise<{ jobId: string }>;
  /** Stops taking jobs, waits for the running ones, releases the connections. */
  stop(): Promise<void>;
}

export interface JobRunnerDeps {
  db: Db;
  logger: Logger;
  mailer: StaffMailer;
}

export interface JobRunnerOptions {
  /** Jobs run at once in this process (graphile-worker's `concurrency`). */
  concurrency?: number;
  /** Shown in pg_stat_activity for the runner's connections. */
  applicationName?: string;
}

export async function startJobRunner(
  deps: JobRunnerDeps,
  jobs: readonly JobDefinition[],
  options: JobRunnerOptions = {},
): Promise<JobRunner> {
  assertUniqueNames(jobs);
  const concurrency = options.concurrency ?? 2;
  // Its own pool: the LISTEN connection stays checked out, and taking jobs must not wait behind requests.
  // Ours rather than graphile-worker's, which does not wait for its pool to end when the runner stops.
  const url = poolOf(deps.db).options.connectionString;
  if (!url) throw new Error('The job runner needs the database connection string.');
  const pgPool = createPool({
    url,
    poolSize: concurrency + 3,
    applicationName: options.applicationName ?? 'candor-jobs',
  });
  // A connection the server drops while checked out fails its next query; the event itself must not
  // crash the process.
  pgPool.on('connect', (client) => client.on('error', () => {}));
  let runner: Runner;
  try {
    runner = await run({
      pgPool,
      concurrency,
      noHandleSignals: true,
      logger: new WorkerLogger(logFactory(deps.logger)),
      taskList: taskListOf(jobs, deps),
      parsedCronItems: parseCronItems(jobs.flatMap(cronItemOf)),
    });
  } catch (error) {
    await pgPool.end();
    throw error;
  }
  const jobNames = jobs.map((job) => job.name).sort();
  let stopping: Promise<void> | undefined;
  return {
    jobNames,
    async addJob(name, payload = {}) {
      const definition = jobs.find((job) => job.name === name);
      if (!definition) throw new Error(`No job is registered as "${name}".`);
      const job = await runner.addJob(
        name,
        payload,
        definition.maxAttempts ? { maxAttempts: definition.maxAttempts } : {},
      );
      return { jobId: job.id };
    },
    stop() {
      stopping ??= runner.stop().finally(() => pgPool.end());
      return stopping;
    },
  };
}

function assertUniqueNames(jobs: readonly JobDefinition[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.name)) throw new Error(`Two jobs are registered as "${job.name}".`);
    seen.add(job.name);
  }
}

function cronItemOf(job: JobDefinition): CronItem[] {
  if (job.trigger.kind !== 'cron') return [];
  return [
    {
      task: job.name,
      identifier: job.name,
      match: job.trigger.cron,
      options: {
        backfillPeriod: job.trigger.catchUpMs,
        queueName: job.name,
        jobKey: job.name,
        jobKeyMode: 'replace',
        ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
      },
    },
  ];
}

/**
 * Each run logs what it changed (counts) or why it failed: the job's name, run id and attempt, and the
 * error through the central serializer (no PostgreSQL `detail`), never the payload.
 */
function taskListOf(jobs: readonly JobDefinition[], deps: JobRunnerDeps): TaskList {
  const tasks: TaskList = {};
  for (const job of jobs) {
    tasks[job.name] = async (payload, helpers) => {
      const run = { job: job.name, jobId: helpers.job.id, attempt: helpers.job.attempts };
      try {
        const counts = await job.run({
          payload: isRecord(payload) ? payload : {},
          mailer: deps.mailer,
        });
        if (counts && Object.values(counts).some((n) => n !== 0)) {
          deps.logger.info({ ...run, ...counts }, job.description);
        }
      } catch (error) {
        const isLast = helpers.job.attempts >= helpers.job.max_attempts;
        deps.logger.error(
          { ...run, maxAttempts: helpers.job.max_attempts, err: error },
          isLast ? 'job failed; no attempt left' : 'job failed; it will be retried',
        );
        throw error;
      }
    };
  }
  return tasks;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * graphile-worker's own lines, through our logger: its metadata (which can hold a job with its payload) is
 * dropped, an error keeps only what `serializeError` keeps, its per-run lines are left to `taskListOf`,
 * and its `info` chatter (each completed run) goes to debug.
 */
function logFactory(logger: Logger): LogFunctionFactory {
  return () => (level, message, meta) => {
    if (meta?.failure === true) return;
    const fields = meta?.error === undefined ? {} : { err: serializeError(meta.error) };
    const name: string = level;
    if (name === 'error') logger.error(fields, message);
    else if (name === 'warning') logger.warn(fields, message);
    else if (name === 'info') logger.debug(fields, message);
    else logger.trace(fields, message);
  };
}
