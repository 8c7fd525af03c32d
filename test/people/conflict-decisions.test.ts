import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeopleModule } from '../../src/server/modules/people/index.ts';
import { advisoryLockClasses } from '../../src/server/platform/advisory-locks.ts';
import type { JobDefinition } from '../../src/server/platform/jobs/job-definition.ts';
import { startJobRunner } from '../../src/server/platform/jobs/job-runner.ts';
import type { StaffMailer } from '../../src/server/platform/mail/staff-mailer.ts';
import type { ConflictSummaryDto, PeopleResolutionDto } from '../../src/shared/contracts/people.ts';
import { auditRows, createIncident, ok, timelineOf } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { waitFor } from './helpers.ts';
import { type PeopleApiSetup, peopleHeader, peopleMapping, setupPeopleApi } from './people-api-helpers.ts';

/**
 * Conflict decisions on an incident of millions of records (issue 21): the decision is recorded at once and
 * the incident's people are resolved again by the job `people.resolve-again`, whose state the console polls.
 * Here the job is taken from graphile-worker's queue by hand (as the runner would), so each step is seen.
 */
const JOB = 'people.resolve-again';
const importLock = advisoryLockClasses.importPerIncident;
const noMail: StaffMailer = { mode: 'outbox', send: async () => {}, close() {} };

let s: PeopleApiSetup;
let resolveAgainJob: JobDefinition;
beforeAll(async () => {
  s = await setupPeopleApi();
  resolveAgainJob = createPeopleModule(s.t.ctx).jobs.find((job) => job.name === JOB)!;
});
afterAll(() => s?.t.close());

/** An incident with `pairs` conflicts (same email, different customer ids) and one bystander. */
async function incidentWithConflicts(pairs: number): Promise<{ incidentId: string; conflictIds: string[] }> {
  const { id: incidentId } = await createIncident(s.responder, { title: 'Big breach' });
  const rows = ['Z999999,bystander@example.com,,By Stander,,,US,TX'];
  for (let i = 0; i < pairs; i++) {
    rows.push(`A10000${i},pair${i}@example.com,,First ${i},,,US,CA`);
    rows.push(`B20000${i},pair${i}@example.com,,Second ${i},,,US,NY`);
  }
  await importPeople(s.t, incidentId, csv(peopleHeader, ...rows), peopleMapping);
  const list = ok<{ conflicts: ConflictSummaryDto[] }>(
    await s.responder.get(`/api/incidents/${incidentId}/conflicts`),
  );
  expect(list.conflicts).toHaveLength(pairs);
  return { incidentId, conflictIds: list.conflicts.map((c) => c.id) };
}

const audited = async (action: string, targetId: string) => (await auditRows(s.t, action, targetId)).length;

const decide = (conflictId: string, decision: 'merge' | 'keep_apart') =>
  s.responder.post(`/api/conflicts/${conflictId}/decision`, { decision });

const peopleCount = async (incidentId: string) =>
  ok<{ people: number }>(await s.responder.get(`/api/incidents/${incidentId}/people/stats`)).people;

const resolution = async (incidentId: string) =>
  ok<PeopleResolutionDto>(await s.agent.get(`/api/incidents/${incidentId}/people/resolution`));

async function queuedJobs(incidentId: string) {
  const { rows } = await sql<{ payload: unknown; run_at: Date; is_locked: boolean }>`
    SELECT j.payload, j.run_at, j.locked_at IS NOT NULL AS is_locked
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${JOB} AND j.key = ${`${JOB}:${incidentId}`}`.execute(s.t.ctx.db);
  return rows;
}

/** Takes the incident's queued job off the queue, as the runner does, and runs it. */
async function runQueuedJob(incidentId: string) {
  const [job] = await queuedJobs(incidentId);
  expect(job, 'no re-resolution job is queued for the incident').toBeDefined();
  await sql`SELECT graphile_worker.remove_job(${`${JOB}:${incidentId}`})`.execute(s.t.ctx.db);
  return resolveAgainJob.run({ payload: job!.payload as Record<string, unknown>, mailer: noMail });
}

/**
 * Holds a resolution where it counts the people it wrote (its transaction waits on an advisory lock the
 * test holds), so a test can look at the state and decide while it runs.
 */
async function holdResolutions() {
  const key = 73_170_043;
  const client = new pg.Client({ connectionString: s.t.database.url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [key]);
  await client.query(`
    CREATE FUNCTION test_hold() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock_shared(${key}); RETURN NULL; END $$;
    CREATE TRIGGER test_hold BEFORE INSERT ON people_cells FOR EACH STATEMENT EXECUTE FUNCTION test_hold();`);
  let isReleased = false;
  return {
    waitForRun: () =>
      waitFor('a resolution to wait at the hold', async () => {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks
           WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = $1`,
          [key],
        );
        return rows[0]!.n > 0 ? true : undefined;
      }),
    async release() {
      if (isReleased) return;
      isReleased = true;
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
      await client.query('DROP TRIGGER test_hold ON people_cells; DROP FUNCTION test_hold();');
      await client.end();
    },
  };
}

describe('a merge decision', () => {
  it('returns before people are resolved again: recorded, audited, the re-resolution queued', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(1);
    expect(await peopleCount(incidentId)).toBe(3);
    expect(await resolution(incidentId)).toMatchObject({ state: 'none', people: null });

    const decided = ok<ConflictSummaryDto>(await decide(conflictIds[0]!, 'merge'));
    expect(decided).toMatchObject({ id: conflictIds[0], status: 'merged' });
    expect(decided.decidedBy).toBeTruthy();
    // Nothing resolved in the request: the people are as before, the job waits in the queue.
    expect(await peopleCount(incidentId)).toBe(3);
    expect(await resolution(incidentId)).toMatchObject({ state: 'queued', phase: null, people: null });
    expect(await queuedJobs(incidentId)).toEqual([
      expect.objectContaining({ payload: { incidentId }, is_locked: false }),
    ]);
    expect(await audited('people.conflict_merged', conflictIds[0]!)).toBe(1);
    expect(await audited('people.resolved', incidentId)).toBe(0);
  });

  it('is re-resolved by the job: queued → running (with its phase) → done with the new people count', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(1);
    ok(await decide(conflictIds[0]!, 'merge'));
    const hold = await holdResolutions();
    let run: ReturnType<typeof runQueuedJob> | undefined;
    try {
      run = runQueuedJob(incidentId);
      await hold.waitForRun();
      const running = await waitFor('the phase to be recorded', async () => {
        const state = await resolution(incidentId);
        return state.phase === 'counting people' ? state : undefined;
      });
      expect(running).toMatchObject({ state: 'running', isFollowUpQueued: false, people: null });
      expect(running.startedAt).not.toBeNull();
      // Readers still see the people from before, until the run commits.
      expect(await peopleCount(incidentId)).toBe(3);
    } finally {
      await hold.release();
      await run?.catch(() => {});
    }
    expect(await run).toEqual({ people: 2, conflicts: 0 });
    const done = await resolution(incidentId);
    expect(done).toMatchObject({ state: 'done', phase: null, people: 2, error: null });
    expect(done.finishedAt).not.toBeNull();
    expect(await peopleCount(incidentId)).toBe(2);
    expect(await audited('people.resolved', incidentId)).toBe(1);
    expect((await timelineOf(s.responder, incidentId)).map((e) => e.summary)).toContain(
      'People re-resolved after conflict decisions: 2 affected people.',
    );
  });

  it('taken several in a row makes one pending run that covers them all', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(3);
    expect(await peopleCount(incidentId)).toBe(7);
    for (const id of conflictIds) ok(await decide(id, 'merge'));
    expect(await queuedJobs(incidentId)).toHaveLength(1);
    expect(await runQueuedJob(incidentId)).toEqual({ people: 4, conflicts: 0 });
    expect(await resolution(incidentId)).toMatchObject({ state: 'done', people: 4 });
    expect(await audited('people.resolved', incidentId)).toBe(1);
    // A job left over (enqueued again by the minute's sweep, say) finds nothing asked and changes nothing.
    await sql`SELECT graphile_worker.add_job(${JOB}::text, json_build_object('incidentId', ${incidentId}::text),
      job_key => ${`${JOB}:${incidentId}`}::text)`.execute(s.t.ctx.db);
    expect(await runQueuedJob(incidentId)).toBeUndefined();
    expect(await audited('people.resolved', incidentId)).toBe(1);
  });

  it('taken while a run is under way leaves one more run, and the state is done only after it', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(2);
    ok(await decide(conflictIds[0]!, 'merge'));
    const hold = await holdResolutions();
    let first: ReturnType<typeof runQueuedJob> | undefined;
    try {
      first = runQueuedJob(incidentId);
      await hold.waitForRun();
      ok(await decide(conflictIds[1]!, 'merge'));
      expect(await resolution(incidentId)).toMatchObject({ state: 'running', isFollowUpQueued: true });
    } finally {
      await hold.release();
      await first?.catch(() => {});
    }
    // The first run saw only the first merge; the state says another run is pending.
    expect(await first).toEqual({ people: 4, conflicts: 1 });
    expect(await resolution(incidentId)).toMatchObject({ state: 'queued', people: 4 });
    expect(await runQueuedJob(incidentId)).toEqual({ people: 3, conflicts: 0 });
    expect(await resolution(incidentId)).toMatchObject({ state: 'done', people: 3 });
  });

  it('whose run fails records the failure with a message for staff; trying again re-resolves', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(1);
    ok(await decide(conflictIds[0]!, 'merge'));
    // The disk fills up while people are written (SQLSTATE 53100).
    await sql`
      CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100'; END $$;
      CREATE TRIGGER test_disk_full BEFORE INSERT ON people_cells
        FOR EACH STATEMENT EXECUTE FUNCTION test_disk_full();`.execute(s.t.ctx.db);
    try {
      await expect(runQueuedJob(incidentId)).rejects.toThrow('could not extend file');
    } finally {
      await sql`DROP TRIGGER test_disk_full ON people_cells; DROP FUNCTION test_disk_full();`.execute(
        s.t.ctx.db,
      );
    }
    const failed = await resolution(incidentId);
    expect(failed).toMatchObject({ state: 'failed', phase: null, people: null });
    expect(failed.error).toContain('PostgreSQL error 53100');
    expect(failed.error).toContain('Try again');
    expect(failed.error).not.toContain('could not extend file');
    // Rolled back whole: the people are those from before the decision.
    expect(await peopleCount(incidentId)).toBe(3);

    // An agent may watch, not run it again.
    expect((await s.agent.post(`/api/incidents/${incidentId}/people/resolution`, {})).statusCode).toBe(403);
    const again = ok<PeopleResolutionDto>(
      await s.responder.post(`/api/incidents/${incidentId}/people/resolution`, {}),
    );
    expect(again).toMatchObject({ state: 'queued', error: null });
    expect(await audited('people.resolution_requested', incidentId)).toBe(1);
    expect(await runQueuedJob(incidentId)).toEqual({ people: 2, conflicts: 0 });
    expect(await resolution(incidentId)).toMatchObject({ state: 'done', people: 2 });
  });

  it('runs one at a time in a process: another incident waits its turn, without holding a runner', async () => {
    const first = await incidentWithConflicts(1);
    const second = await incidentWithConflicts(1);
    ok(await decide(first.conflictIds[0]!, 'merge'));
    ok(await decide(second.conflictIds[0]!, 'merge'));
    const hold = await holdResolutions();
    let run: ReturnType<typeof runQueuedJob> | undefined;
    try {
      run = runQueuedJob(first.incidentId);
      await hold.waitForRun();
      expect(await runQueuedJob(second.incidentId)).toBeUndefined();
      expect(await resolution(second.incidentId)).toMatchObject({
        state: 'queued',
        phase: 'waiting for another re-resolution to finish',
      });
      const [later] = await queuedJobs(second.incidentId);
      expect(later!.run_at.getTime()).toBeGreaterThan(Date.now() + 5_000);
    } finally {
      await hold.release();
      await run?.catch(() => {});
    }
    expect(await run).toEqual({ people: 2, conflicts: 0 });
    expect(await runQueuedJob(second.incidentId)).toEqual({ people: 2, conflicts: 0 });
  });

  it('waits, without holding a runner, while an import of the incident holds its lock', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(1);
    ok(await decide(conflictIds[0]!, 'merge'));
    const importer = new pg.Client({ connectionString: s.t.database.url });
    await importer.connect();
    try {
      // The import lock, as an import takes it.
      await importer.query('SELECT pg_advisory_lock($1, hashtext($2))', [importLock, incidentId]);
      expect(await runQueuedJob(incidentId)).toBeUndefined();
      expect(await resolution(incidentId)).toMatchObject({
        state: 'queued',
        phase: 'waiting for an import of this incident to finish',
      });
      const [later] = await queuedJobs(incidentId);
      expect(later!.run_at.getTime()).toBeGreaterThan(Date.now() + 5_000);
    } finally {
      await importer.end();
    }
    expect(await runQueuedJob(incidentId)).toEqual({ people: 2, conflicts: 0 });
  });
});

describe('a keep-apart decision', () => {
  it('changes nobody, so it is recorded and nothing is re-resolved', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(1);
    const decided = ok<ConflictSummaryDto>(await decide(conflictIds[0]!, 'keep_apart'));
    expect(decided.status).toBe('kept_apart');
    expect(await queuedJobs(incidentId)).toEqual([]);
    expect(await resolution(incidentId)).toMatchObject({ state: 'none' });
    expect(await peopleCount(incidentId)).toBe(3);
  });
});

describe('the job runner', () => {
  it('runs the re-resolution a decision enqueued, and enqueues again one a stopped process lost', async () => {
    const { incidentId, conflictIds } = await incidentWithConflicts(2);
    const jobs = createPeopleModule(s.t.ctx).jobs;
    const runner = await startJobRunner({ db: s.t.ctx.db, logger: s.t.ctx.logger, mailer: noMail }, jobs);
    try {
      ok(await decide(conflictIds[0]!, 'merge'));
      await waitFor('the runner to re-resolve', async () =>
        (await resolution(incidentId)).state === 'done' ? true : undefined,
      );
      expect(await resolution(incidentId)).toMatchObject({ state: 'done', people: 4 });

      // A run that a stopped process left 'running', its job gone: the minute's sweep enqueues it again.
      ok(await decide(conflictIds[1]!, 'merge'));
      await waitFor('the second run', async () =>
        (await resolution(incidentId)).people === 3 ? true : undefined,
      );
      await s.t.ctx.db
        .updateTable('people_resolutions')
        .set({ state: 'running', updated_at: sql<Date>`now() - interval '10 minutes'` })
        .where('incident_id', '=', incidentId)
        .execute();
      const sweep = jobs.find((job) => job.name === 'people.resume-resolutions')!;
      // Alive while someone holds the incident's lock (a long phase): left alone.
      const holder = new pg.Client({ connectionString: s.t.database.url });
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [importLock, incidentId]);
      expect(await sweep.run({ payload: {}, mailer: noMail })).toMatchObject({ requeued: 0 });
      await holder.end();
      expect(await sweep.run({ payload: {}, mailer: noMail })).toMatchObject({ requeued: 1 });
      await waitFor('the interrupted run to end', async () =>
        (await resolution(incidentId)).state === 'done' ? true : undefined,
      );
      expect(await resolution(incidentId)).toMatchObject({ state: 'done', people: 3 });
    } finally {
      await runner.stop();
    }
    // No personal data in the logs of the runs.
    expect(s.t.logs.join('')).not.toMatch(/pair\d@example\.com|First \d|Second \d/);
  }, 60_000);
});
