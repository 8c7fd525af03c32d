import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { parseConfig } from '../../src/server/config.ts';
import {
  adoptServerAddress,
  recordServerAddress,
} from '../../src/server/platform/settings/server-address.ts';
import { createPeopleHarness, type PeopleHarness, spawnCandor, waitFor } from '../people/helpers.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { makeTempDir } from './helpers.ts';

/** Rough edges a newcomer hit on the first run, pinned. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('links printed by the CLI lead to the running server', () => {
  let h: PeopleHarness;
  beforeAll(async () => {
    h = await createPeopleHarness();
  });
  afterAll(() => h.close());

  it('`candor admin create` prints the setup link on the port `candor serve` listens on, not 3000', async () => {
    const port = await freePort();
    const server = spawnCandor(['serve'], { ...h.cliEnv, PORT: String(port), LOG_LEVEL: 'warn' });
    try {
      await waitFor('the server to listen', async () => {
        const health = await fetch(`http://127.0.0.1:${port}/api/session`).catch(() => undefined);
        return health ? true : undefined;
      });
      // The CLI runs without PORT or CANDOR_PUBLIC_URL, as in a second terminal.
      const created = await spawnCandor(
        ['admin', 'create', '--email', 'second-terminal@example.test', '--json'],
        h.cliEnv,
      ).exited;
      expect(created.code, created.stderr).toBe(0);
      expect(JSON.parse(created.stdout).setupUrl).toMatch(
        new RegExp(`^http://localhost:${port}/setup#token=`),
      );
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);

  it('keeps CANDOR_PUBLIC_URL and CANDOR_NOTICE_URL when they are set, and adopts what is not', async () => {
    const served = parseConfig({
      ...h.cliEnv,
      PORT: '3456',
      CANDOR_NOTICE_URL: 'https://incident.example',
    });
    await recordServerAddress(h.ctx.db, served);

    const bare = parseConfig({ ...h.cliEnv });
    await adoptServerAddress(h.ctx.db, bare);
    expect([bare.publicUrl, bare.noticeUrl]).toEqual(['http://localhost:3456', 'https://incident.example']);

    const explicit = parseConfig({
      ...h.cliEnv,
      CANDOR_PUBLIC_URL: 'https://breach.example',
    });
    await adoptServerAddress(h.ctx.db, explicit);
    expect([explicit.publicUrl, explicit.noticeUrl]).toEqual([
      'https://breach.example',
      'https://breach.example',
    ]);
  });
});

describe('the console built while the server runs', () => {
  let t: TestApp;
  const temp = makeTempDir();
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    temp.remove();
  });

  it('is served from the next request, without a restart', async () => {
    const webRoot = path.join(temp.dir, 'web');
    const { app } = await buildApp(t.ctx, { webRoot });
    try {
      const before = await app.inject({ method: 'GET', url: '/incidents' });
      expect(before.body).toContain('not built yet');

      fs.mkdirSync(path.join(webRoot, 'assets'), { recursive: true });
      fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Candor</title>');
      fs.writeFileSync(path.join(webRoot, 'assets', 'app-1.js'), 'console.log(1)');

      const page = await app.inject({ method: 'GET', url: '/incidents' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>Candor</title>');
      const asset = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
      expect(asset.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
