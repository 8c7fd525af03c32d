import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/server/db/migrate.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createEmptyDatabase } from '../support/database.ts';
import { type CliResult, newMasterKey, runCandor, withClient } from './helpers.ts';

const names = listMigrations().map((m) => m.name);

describe('`candor migrate` on an empty database', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let env: Record<string, string>;
  let concurrent: CliResult[];
  const appliedRows = () =>
    withClient(database.url, async (c) => {
      const { rows } = await c.query<{ name: string; n: string }>(
        'SELECT name, count(*) AS n FROM schema_migrations GROUP BY name ORDER BY name',
      );
      return rows.map((r) => [r.name, Number(r.n)]);
    });

  beforeAll(async () => {
    database = await createEmptyDatabase();
    env = { DATABASE_URL: database.url, CANDOR_MASTER_KEY: newMasterKey() };
    // Two machines deploying at the same moment.
    concurrent = await Promise.all([runCandor(['migrate'], env), runCandor(['migrate'], env)]);
  });
  afterAll(() => database.drop());

  it('lets two processes started together both succeed, applying each migration once', async () => {
    expect(concurrent.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    expect(await appliedRows()).toEqual(names.map((name) => [name, 1]));
    const dataKeys = await withClient(database.url, (c) =>
      c.query('SELECT purpose FROM data_keys WHERE is_active ORDER BY purpose'),
    );
    expect(dataKeys.rows.map((r) => r.purpose)).toEqual(['blind_index', 'encryption']);
  });

  it('reports the migrations it applied (exactly one of the two processes applied them)', () => {
    const reports = concurrent.map((r) => r.stdout.trim());
    expect(reports.filter((line) => line === `applied: ${names.join(', ')}`)).toHaveLength(1);
    expect(reports.filter((line) => line === 'the database is up to date')).toHaveLength(1);
  });

  it('says the database is up to date when run again, and changes nothing', async () => {
    const again = await runCandor(['migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('the database is up to date');
    expect(await appliedRows()).toEqual(names.map((name) => [name, 1]));
  });
});

describe('/readyz', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is ready when every migration is applied, and 503 naming the one that is not', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'reachable', pendingMigrations: [] });

    const missing = names.at(-1)!;
    await t.ctx.db.deleteFrom('schema_migrations').where('name', '=', missing).execute();
    const pending = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(pending.statusCode).toBe(503);
    expect(pending.json()).toEqual({
      status: 'not_ready',
      database: 'reachable',
      pendingMigrations: [missing],
    });
  });
});
