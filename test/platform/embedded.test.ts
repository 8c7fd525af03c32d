import { spawnSync } from 'node:child_process';
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
  const isRoot = process.getuid?.() === 0;
  // mkdtemp makes a private (0700) folder, like a clone in /root: as root, PostgreSQL runs as the user
  // "postgres", who cannot enter it. Candor must manage without opening it up, and without setfacl: the
  // PATH's setfacl only records that it was called (a fresh Debian has no acl package).
  const fakeBin = path.join(temp.dir, 'bin');
  const setfaclCalls = path.join(temp.dir, 'setfacl-called');
  fs.mkdirSync(fakeBin);
  fs.writeFileSync(path.join(fakeBin, 'setfacl'), `#!/bin/sh\necho "$@" >> ${setfaclCalls}\nexit 1\n`, {
    mode: 0o755,
  });
  // Where the cluster goes when the data directory is private: a folder the user "postgres" may enter.
  const systemDir = fs.mkdtempSync('/tmp/candor-pg-home-');
  fs.chmodSync(systemDir, 0o755);
  const env = {
    CANDOR_DATA_DIR: path.join(temp.dir, 'data'),
    CANDOR_EMBEDDED_PG_HOME: systemDir,
    LOG_LEVEL: 'warn',
    PATH: `${fakeBin}:${process.env.PATH}`,
  };
  afterAll(() => {
    temp.remove();
    fs.rmSync(systemDir, { recursive: true, force: true });
  });

  it('creates the cluster and the key file on first start, and migrates', async () => {
    const result = await runCandor(['migrate'], env);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/applied: 0001_foundation, 0002_incidents_population/);
    expect(fs.existsSync(path.join(env.CANDOR_DATA_DIR, 'pg', 'PG_VERSION'))).toBe(true);
    // pins: key material readable by other local users
    expect(fs.statSync(path.join(env.CANDOR_DATA_DIR, 'keys.json')).mode & 0o077).toBe(0);
    expect(fs.existsSync(setfaclCalls)).toBe(false);
  }, 120_000);

  it.runIf(isRoot)(
    'as root, keeps the private folder private and the cluster where "postgres" can reach it',
    () => {
      expect(fs.statSync(temp.dir).mode & 0o777).toBe(0o700);
      const postgresCan = (target: string) =>
        spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', target]).status === 0;
      expect(postgresCan(temp.dir)).toBe(false);
      const link = path.join(env.CANDOR_DATA_DIR, 'pg');
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
      const cluster = fs.realpathSync(link);
      expect(cluster.startsWith(`${systemDir}/clusters/`)).toBe(true);
      expect(fs.statSync(cluster).uid).toBe(Number(spawnSync('id', ['-u', 'postgres']).stdout.toString()));
      expect(fs.statSync(cluster).mode & 0o777).toBe(0o700);
      expect(postgresCan(path.join(cluster, 'PG_VERSION'))).toBe(false); // a file: not executable, but reachable
      expect(
        spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-r', path.join(cluster, 'PG_VERSION')]).status,
      ).toBe(0);
    },
  );

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
