import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { type Config, parseConfig } from '../../src/server/config.ts';
import { issueSetupLink, totpCode } from '../../src/server/modules/auth/index.ts';
import { recordAudit } from '../../src/server/platform/audit/audit-log.ts';
import type { PlatformContext } from '../../src/server/platform/context.ts';
import { createPiiCrypto } from '../../src/server/platform/crypto/data-keys.ts';
import { loadMasterKeys } from '../../src/server/platform/crypto/master-keys.ts';
import type { RouteEntry } from '../../src/server/platform/http/route-table.ts';
import { createLogger } from '../../src/server/platform/logging/logger.ts';
import type { Role } from '../../src/shared/permissions.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/**
 * A real Candor app on a fresh database, driven with inject(). `logs` holds every log line the app
 * wrote, for assertions that personal data never reaches them.
 */
export interface TestApp {
  app: FastifyInstance;
  routes: RouteEntry[];
  ctx: PlatformContext;
  database: TestDatabase;
  logs: string[];
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const masterKey = randomBytes(32).toString('base64');
  const config: Config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    CANDOR_MASTER_KEY: masterKey,
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, callback) {
        logs.push(chunk.toString());
        callback();
      },
    }),
  });
  const { ring } = loadMasterKeys({ masterKey });
  const crypto = await createPiiCrypto(database.db, ring);
  const ctx: PlatformContext = { config, db: database.db, logger, crypto, masterKeys: ring };
  const { app, routes } = await buildApp(ctx, { webRoot: '/nonexistent' });
  return {
    app,
    routes,
    ctx,
    database,
    logs,
    async close() {
      await app.close();
      crypto.close();
      await database.drop();
    },
  };
}

export interface SignedInUser {
  id: string;
  email: string;
  password: string;
  totpSecret: string;
  cookie: string;
  csrfToken: string;
}

/** Extracts `candor_session=…` from a response's Set-Cookie. */
export function sessionCookieFrom(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  const found = all.find((c) => c.startsWith('candor_session='));
  return found?.split(';')[0];
}

/**
 * Creates a user of the given role through the real flow (setup link → password → MFA enrollment) and
 * returns a fully signed-in session. Uses the time step after enrollment for nothing: enrollment spends
 * the current step.
 */
export async function createSignedInUser(
  t: TestApp,
  role: Role,
  email = `${role}-${randomBytes(3).toString('hex')}@example.test`,
): Promise<SignedInUser> {
  const password = `correct horse battery ${randomBytes(4).toString('hex')}`;
  const user = await t.ctx.db
    .insertInto('users')
    .values({ email, role })
    .returning('id')
    .executeTakeFirstOrThrow();
  const link = await t.ctx.db.transaction().execute(async (tx) => {
    const issued = await issueSetupLink(tx, t.ctx.config, user.id, 'setup');
    await recordAudit(tx, {
      actor: { type: 'system', id: null, label: 'test' },
      action: 'user.invited',
      target: { type: 'user', id: user.id },
    });
    return issued;
  });
  const token = new URL(link.setupUrl).hash.replace('#token=', '');
  const setup = await t.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { token, password } });
  if (setup.statusCode !== 200) throw new Error(`setup failed: ${setup.body}`);
  let cookie = sessionCookieFrom(setup)!;
  let csrfToken = await csrfOf(t, cookie);
  const start = await t.app.inject({
    method: 'POST',
    url: '/api/auth/mfa/enroll/start',
    headers: { cookie, 'x-csrf-token': csrfToken },
  });
  const { secret } = start.json() as { secret: string };
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/api/auth/mfa/enroll/confirm',
    headers: { cookie, 'x-csrf-token': csrfToken },
    payload: { code: totpCode(secret) },
  });
  if (confirm.statusCode !== 200) throw new Error(`enrollment failed: ${confirm.body}`);
  cookie = sessionCookieFrom(confirm)!;
  csrfToken = await csrfOf(t, cookie);
  return { id: user.id, email, password, totpSecret: secret, cookie, csrfToken };
}

export async function csrfOf(t: TestApp, cookie: string): Promise<string> {
  const response = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  if (response.statusCode !== 200) throw new Error(`session lookup failed: ${response.body}`);
  return (response.json() as { csrfToken: string }).csrfToken;
}

/** Headers for a signed-in user's request (cookie + CSRF token). */
export function as(user: SignedInUser) {
  return { cookie: user.cookie, 'x-csrf-token': user.csrfToken };
}
