import type { StaffMailer } from '../mail/staff-mailer.ts';

/**
 * A background job, as a module's door exports it (`createXModule(ctx).jobs`). The job runner
 * (`job-runner.ts`, graphile-worker underneath) runs every job of the registry (`src/server/jobs/registry.ts`)
 * in every `serve` and `worker` process; PostgreSQL decides which process runs each occurrence, so a
 * recurring job runs once per schedule tick however many processes there are.
 */
export interface JobDefinition {
  /**
   * `<module>.<what-it-does>`: the task identifier stored with pending runs in `graphile_worker`, so
   * renaming a job orphans its queued runs.
   */
  name: string;
  /** One line for the registry's listing and for the log line of a run that changed something. */
  description: string;
  trigger: JobTrigger;
  /** Attempts before a run is given up (graphile-worker retries with exponential back-off). */
  maxAttempts?: number;
  /**
   * Does the work. Returns counts (rows removed, alerts raised…) that are logged when one is not zero,
   * never personal data. Throwing marks the run failed; it is retried.
   */
  run(context: JobRunContext): Promise<JobCounts | undefined>;
}

export type JobTrigger =
  /**
   * A cron line, in UTC (graphile-worker's crontab syntax: minute hour day month weekday). `catchUpMs`:
   * when no process ran at a tick in that window (every process was stopped), the first process to
   * start runs the job once instead of waiting for the next tick.
   */
  | { kind: 'cron'; cron: string; catchUpMs: number }
  /** Enqueued by code when there is work (`runner.addJob(name, payload)`). */
  | { kind: 'on-demand' };

export type JobCounts = Record<string, number>;

export interface JobRunContext {
  /** The job's payload: ids and numbers only (it is stored in the database and may reach the logs). */
  payload: Readonly<Record<string, unknown>>;
  /** Mail to staff (SMTP pool or the staff outbox), shared by the jobs of one process. */
  mailer: StaffMailer;
}

/** Every minute, with a catch-up window of a quarter hour. */
export const EVERY_MINUTE: JobTrigger = { kind: 'cron', cron: '* * * * *', catchUpMs: 15 * 60_000 };
