import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeWorkerUtils, runMigrations, Logger as WorkerLogger } from 'graphile-worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRegistry } from '../../src/server/jobs/registry.ts';
import { startServer } from '../../src/server/main.ts';
import type { JobDefinition } from '../../src/server/platform/jobs/job-definition.ts';
import { startJobRunner } from '../../src/server/platform/jobs/job-runner.ts';
import { createServerModules } from '../../src/server/wiring.ts';
import { startWorker } from '../../src/server/worker.ts';
import { spawnCandor, waitFor } from '../people/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The one job runner (graphile-worker) that `serve` and `worker` both start, on real PostgreSQL. Waiting is
 * by polling for an outcome, never by timing: these tests pin what runs, not how fast.
 */
let t: TestApp;
const silentWorkerLogger = new WorkerLogger(() => () => {});
const noMail = { mode: 'outbox' as const, send: async () => {}, close() {} };

beforeAll(async () => {
  t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' });
  // graphile-worker's schema, so a test can record that the last ticks were missed before a runner starts.
  await runMigrations({ connectionString: t.database.url, logger: silentWorkerLogger });
});
afterAll(() => t.close());

/** Makes `names` look as if no process ran them at the last few minute ticks (every process was stopped). */
async function missLastTicks(names: readonly string[], minutes: number): Promise<void> {
  await sql`
    INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
    SELECT name, now() - interval '1 day', date_trunc('minute', now()) - make_interval(mins => ${minutes})
    FROM unnest(${names}::text[]) AS name
    ON CONFLICT (identifier) DO UPDATE SET last_execution = EXCLUDED.last_execution`.execute(t.ctx.db);
}

async function pendingRuns(name: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = ${name}`.execute(t.ctx.db);
  return rows[0]!.n;
}

describe('recurring jobs', () => {
  it('run once per tick across two runners on the same database, one run at a time', async () => {
    const runs: Array<{ runner: string; tick: string }> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const tick = (runner: string): JobDefinition => ({
      name: 'test.tick',
      description: 'ticked',
      trigger: { kind: 'cron', cron: '* * * * *', catchUpMs: 10 * 60_000 },
      async run({ payload }) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // Long enough for the other runner to try the same tick while this one runs.
        await sleep(50);
        runs.push({ runner, tick: (payload._cron as { ts: string }).ts });
        inFlight--;
        return undefined;
      },
    });
    await missLastTicks(['test.tick'], 5);
    const deps = { db: t.ctx.db, logger: t.ctx.logger, mailer: noMail };
    const runners = await Promise.all([startJobRunner(deps, [tick('a')]), startJobRunner(deps, [tick('b')])]);
    try {
      // Both runners catch up on the five missed ticks; the latest one must run, and nothing twice.
      const latestMissed = await waitFor('the latest missed tick to run', async () => {
        const { rows } = await sql<{ last: Date }>`
          SELECT last_execution AS last FROM graphile_worker._private_known_crontabs
          WHERE identifier = 'test.tick'`.execute(t.ctx.db);
        const last = rows[0]!.last.toISOString();
        const isDone = runs.some((r) => r.tick >= last) && (await pendingRuns('test.tick')) === 0;
        return isDone ? last : undefined;
      });
      const ticks = runs.map((r) => r.tick);
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(ticks.at(-1)! >= latestMissed).toBe(true);
      expect(maxInFlight).toBe(1);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
  }, 60_000);
});

describe('a lone `serve`', () => {
  it('purges expired sessions, spent setup links and ended rate-limit windows', async () => {
    const gone = await createSignedInUser(t, 'admin');
    const kept = await createSignedInUser(t, 'admin');
    const { db } = t.ctx;
    const userId = async (email: string) =>
      (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const goneId = await userId(gone.email);
    const keptId = await userId(kept.email);
    await db
      .updateTable('sessions')
      .set({ expires_at: sql`now() - interval '1 minute'` })
      .where('user_id', '=', goneId)
      .execute();
    await db
      .updateTable('setup_links')
      .set({ used_at: sql`now() - interval '31 days'` })
      .where('user_id', '=', goneId)
      .execute();
    const endedKey = randomBytes(32);
    const liveKey = randomBytes(32);
    await db
      .insertInto('rate_limits')
      .values([
        { key: endedKey, hits: 3, window_ends: sql`now() - interval '1 second'` },
        { key: liveKey, hits: 3, window_ends: sql`now() + interval '1 hour'` },
      ])
      .execute();
    const count = async (table: 'sessions' | 'setup_links', user: string) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('user_id', '=', user)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const hasKey = async (key: Buffer) =>
      (await db.selectFrom('rate_limits').select('key').where('key', '=', key).executeTakeFirst()) !==
      undefined;

    // Every process was stopped at the last tick: the first `serve` to start runs each job once.
    const names = jobRegistry(t.ctx, createServerModules(t.ctx)).map((job) => job.name);
    await missLastTicks(names, 2);
    const server = await startServer(t.ctx);
    try {
      await waitFor('the purge', async () =>
        (await count('sessions', goneId)) === 0 &&
        (await count('setup_links', goneId)) === 0 &&
        !(await hasKey(endedKey))
          ? true
          : undefined,
      );
      expect(await count('sessions', keptId)).toBe(1);
      expect(await count('setup_links', keptId)).toBe(1);
      expect(await hasKey(liveKey)).toBe(true);
      expect(t.logs.join('')).toContain('removed expired sessions and spent setup links');
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('a failing job', () => {
  // A careless payload or a PostgreSQL error's detail can hold personal data: neither may reach the logs.
  it('is retried, and logged with its name, run and attempt but no personal data', async () => {
    const email = `ana.${randomBytes(3).toString('hex')}@example.test`;
    let attempts = 0;
    const flaky: JobDefinition = {
      name: 'test.flaky',
      description: 'flaky job done',
      trigger: { kind: 'on-demand' },
      maxAttempts: 3,
      async run() {
        attempts++;
        if (attempts === 1) {
          throw Object.assign(new Error('duplicate key value violates unique constraint "x_email_idx"'), {
            code: '23505',
            detail: `Key (email)=(${email}) already exists.`,
          });
        }
        return { done: 1 };
      },
    };
    const runner = await startJobRunner({ db: t.ctx.db, logger: t.ctx.logger, mailer: noMail }, [flaky]);
    const utils = await makeWorkerUtils({ connectionString: t.database.url, logger: silentWorkerLogger });
    try {
      const { jobId } = await runner.addJob('test.flaky', { personId: 7, email });
      const failed = await waitFor('the first attempt to fail', async () => {
        const { rows } = await sql<{ attempts: number; last_error: string | null; run_at: Date }>`
          SELECT attempts, last_error, run_at FROM graphile_worker.jobs WHERE id = ${jobId}`.execute(
          t.ctx.db,
        );
        return rows[0]?.last_error ? rows[0] : undefined;
      });
      expect(failed.attempts).toBe(1);
      // The retry waits out its back-off; bring it forward rather than wait.
      await utils.rescheduleJobs([jobId], { runAt: new Date() });
      await waitFor('the retry to succeed', async () =>
        attempts === 2 && (await pendingRuns('test.flaky')) === 0 ? true : undefined,
      );
      const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      const failure = lines.find((l) => l.job === 'test.flaky' && l.msg === 'job failed; it will be retried');
      expect(failure).toMatchObject({ jobId, attempt: 1, maxAttempts: 3, err: { errorCode: '23505' } });
      expect(lines.find((l) => l.job === 'test.flaky' && l.msg === 'flaky job done')).toMatchObject({
        attempt: 2,
        done: 1,
      });
      expect(t.logs.join('')).not.toContain(email);
      expect(t.logs.join('')).not.toContain(email.split('@')[0]);
    } finally {
      await utils.release();
      await runner.stop();
    }
  }, 60_000);
});

describe('serve and worker', () => {
  it('run the same jobs: every job a module door exports, from the registry', async () => {
    const modules = createServerModules(t.ctx);
    const fromDoors = Object.values(modules).flatMap((module) =>
      'jobs' in module ? module.jobs.map((job) => job.name) : [],
    );
    const server = await startServer(t.ctx);
    const serverWithoutDelivery = await startServer({
      ...t.ctx,
      config: { ...t.ctx.config, CANDOR_DELIVERY_IN_SERVE: false },
    });
    const worker = await startWorker(t.ctx);
    try {
      expect(server.background.jobNames).toEqual(
        jobRegistry(t.ctx, modules)
          .map((j) => j.name)
          .sort(),
      );
      expect(server.background.jobNames).toEqual(expect.arrayContaining(fromDoors));
      expect(fromDoors.length).toBeGreaterThan(0);
      expect(worker.background.jobNames).toEqual(server.background.jobNames);
      expect(serverWithoutDelivery.background.jobNames).toEqual(server.background.jobNames);
      expect([server, serverWithoutDelivery, worker].map((p) => p.background.isDelivering)).toEqual([
        true,
        false,
        true,
      ]);
    } finally {
      await Promise.all([server.stop(), serverWithoutDelivery.stop(), worker.stop()]);
    }
  }, 60_000);

  it('stop on SIGTERM and exit 0 (`candor serve`, `candor worker`)', async () => {
    const env = {
      DATABASE_URL: t.database.url,
      CANDOR_MASTER_KEY: t.ctx.config.CANDOR_MASTER_KEY ?? '',
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    for (const command of ['serve', 'worker']) {
      const child = spawnCandor([command], env);
      let output = '';
      child.child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      // Both install their signal handlers right after this line.
      await waitFor(`candor ${command} to start`, async () =>
        output.includes('"msg":"background work started"') ? true : undefined,
      );
      child.child.kill('SIGTERM');
      const exited = await child.exited;
      expect({ command, code: exited.code, signal: exited.signal }).toEqual({
        command,
        code: 0,
        signal: null,
      });
      expect(exited.stdout).toContain('"msg":"stopping"');
    }
  }, 120_000);
});
