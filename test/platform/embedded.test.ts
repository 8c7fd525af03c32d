import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, runCandor } from './helpers.ts';

/**
 * The default install: no DATABASE_URL, so Candor runs its own PostgreSQL under CANDOR_DATA_DIR (as the
 * OS user "postgres" when run as root). Pins the promise of `npm install && npm start` on a fresh machine.
 */
describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  const temp = makeTempDir();
  // mkdtemp makes a private (0700) folder: as root, Candor must grant the user "postgres" passage itself.
  const env = { CANDOR_DATA_DIR: path.join(temp.dir, 'data'), LOG_LEVEL: 'warn' };
  afterAll(() => temp.remove());

  it('creates the cluster and the key file on first start, and migrates', async () => {
    const result = await runCandor(['migrate'], env);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/applied: 0001_foundation, 0002_incidents_population/);
    expect(fs.existsSync(path.join(env.CANDOR_DATA_DIR, 'pg', 'PG_VERSION'))).toBe(true);
    // pins: key material readable by other local users
    expect(fs.statSync(path.join(env.CANDOR_DATA_DIR, 'keys.json')).mode & 0o077).toBe(0);
  }, 120_000);

  it('lets two processes share the cluster, and the last one out stops it', async () => {
    const [a, b] = await Promise.all([
      runCandor(['admin', 'create', '--email', 'first@example.test', '--json'], env),
      runCandor(['admin', 'create', '--email', 'second@example.test', '--json'], env),
    ]);
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    expect(JSON.parse(a.stdout).setupUrl).toContain('/setup#token=');
    expect(JSON.parse(b.stdout).setupUrl).toContain('/setup#token=');

    const listed = await runCandor(['user', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const emails = (JSON.parse(listed.stdout) as Array<{ email: string }>).map((u) => u.email).sort();
    expect(emails).toEqual(['first@example.test', 'second@example.test']);

    // Nobody uses the cluster any more: it must have been stopped, not left running.
    const pidFile = path.join(env.CANDOR_DATA_DIR, 'pg', 'postmaster.pid');
    for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(pidFile)).toBe(false);
  }, 120_000);
});
