import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBootstrapLinkIfEmpty, totpCode } from '../../src/server/modules/auth/index.ts';
import { isCommonPassword } from '../../src/server/modules/auth/passwords.ts';
import { hashToken } from '../../src/server/modules/auth/secrets.ts';
import { as, createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';
import {
  ago,
  auditOf,
  freshIp,
  linkToken,
  login,
  reauthenticate,
  sessionStatus,
  withSession,
} from './helpers.ts';

const STRONG = 'violet staple orbit canyon';

function setup(t: TestApp, payload: { token: string; password: string; email?: string }) {
  return t.app.inject({ method: 'POST', url: '/api/auth/setup', payload, remoteAddress: freshIp() });
}

function inspect(t: TestApp, token: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/setup/inspect',
    payload: { token },
    remoteAddress: freshIp(),
  });
}

/** Someone holding a session but no authenticator yet. */
const visitor = (email: string): SignedInUser => ({
  id: '',
  email,
  password: STRONG,
  totpSecret: '',
  cookie: '',
  csrfToken: '',
});

const linkRow = (t: TestApp, token: string) =>
  t.ctx.db
    .selectFrom('setup_links')
    .select(['used_at', 'purpose'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirstOrThrow();

/** Enrolls an authenticator on a session at stage 'enroll'; returns the response of the confirmation. */
async function enroll(t: TestApp, user: SignedInUser) {
  const start = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/enroll/start', headers: as(user) });
  const { secret } = start.json() as { secret: string };
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/api/auth/mfa/enroll/confirm',
    headers: as(user),
    payload: { code: totpCode(secret) },
  });
  return { secret, confirm };
}

describe('invitations', () => {
  let t: TestApp;
  let admin: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createSignedInUser(t, 'admin');
  });
  afterAll(() => t.close());

  async function invite(email: string, role = 'responder') {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users/invite',
      headers: as(admin),
      payload: { email, role },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { user: { id: string }; setupUrl: string };
    return { userId: body.user.id, token: linkToken(body.setupUrl), response };
  }

  // pins: a setup link used twice (taken from a forwarded email or browser history)
  it('works once, then answers 410 link_invalid', async () => {
    const { token, userId, response } = await invite('once@example.test');
    expect(await auditOf(t, response)).toMatchObject([{ action: 'user.invited', target_id: userId }]);
    expect((await inspect(t, token)).json()).toEqual({
      email: 'once@example.test',
      role: 'responder',
      purpose: 'setup',
    });
    const first = await setup(t, { token, password: STRONG });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stage: 'enroll' });
    expect(await auditOf(t, first)).toMatchObject([{ action: 'auth.setup_link_used', target_id: userId }]);

    const second = await setup(t, { token, password: 'another strong passphrase' });
    expect(second.statusCode).toBe(410);
    expect(second.json().code).toBe('link_invalid');
    expect((await inspect(t, token)).statusCode).toBe(410);
    expect((await login(t, 'once@example.test', 'another strong passphrase')).statusCode).toBe(401);
  });

  // pins: an old invitation link used after its lifetime
  it('refuses an expired link', async () => {
    const { token, userId } = await invite('late@example.test');
    await t.ctx.db
      .updateTable('setup_links')
      .set({ expires_at: ago('1 minute') })
      .where('token_hash', '=', hashToken(token))
      .execute();
    const response = await setup(t, { token, password: STRONG });
    expect(response.statusCode).toBe(410);
    expect(response.json().code).toBe('link_invalid');
    expect((await inspect(t, token)).statusCode).toBe(410);
    const user = await t.ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', userId)
      .executeTakeFirst();
    expect(user?.password_hash).toBeNull();
  });

  // pins: a superseded invitation link still working
  it('voids the earlier link when the user is invited again', async () => {
    const first = await invite('twice@example.test');
    const second = await invite('twice@example.test');
    expect((await setup(t, { token: first.token, password: STRONG })).statusCode).toBe(410);
    expect((await setup(t, { token: second.token, password: STRONG })).statusCode).toBe(200);
  });

  // pins: setup link of an account disabled in the meantime
  it('refuses the link of a disabled user', async () => {
    const { token, userId } = await invite('gone@example.test');
    const disable = await t.app.inject({
      method: 'POST',
      url: `/api/users/${userId}/disable`,
      headers: as(admin),
    });
    expect(disable.statusCode).toBe(200);
    expect((await setup(t, { token, password: STRONG })).statusCode).toBe(410);
  });

  // pins: weak passwords that are easy to guess online or crack offline
  it('refuses an 11-character password with weak_password and leaves the link unspent', async () => {
    const { token } = await invite('short@example.test');
    const response = await setup(t, { token, password: 'eleven char' });
    expect(response.statusCode).toBe(400);
    expect((await linkRow(t, token)).used_at).toBeNull();
    expect(response.json().code).toBe('weak_password');
  });

  // pins: passwords from breach lists
  it('refuses a common password with weak_password and leaves the link unspent', async () => {
    const { token } = await invite('common@example.test');
    expect(isCommonPassword('password1234')).toBe(true);
    for (const password of ['password1234', 'PASSWORD1234', 'common@example.test']) {
      const response = await setup(t, { token, password });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('weak_password');
    }
    expect((await linkRow(t, token)).used_at).toBeNull();
    expect((await setup(t, { token, password: STRONG })).statusCode).toBe(200);
  });

  // pins: an invited account used before it has a second factor
  it('keeps an invited user at stage enroll until the authenticator is set up', async () => {
    const { token } = await invite('fresh@example.test', 'admin');
    const response = await setup(t, { token, password: STRONG });
    const user = await withSession(t, visitor('fresh@example.test'), response);
    for (const [method, url] of [
      ['GET', '/api/users'],
      ['GET', '/api/tokens'],
      ['POST', '/api/users/invite'],
    ] as const) {
      const refused = await t.app.inject({ method, url, headers: as(user) });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('mfa_required');
    }
    const { confirm } = await enroll(t, user);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().recoveryCodes).toHaveLength(10);
    const active = await withSession(t, user, confirm);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: as(active) })).statusCode).toBe(
      200,
    );
  });

  // pins: MFA takeover through an enrollment session left open before the owner enrolled
  it('does not let another enrollment session replace the authenticator once it is set up', async () => {
    const { token, userId } = await invite('racer@example.test');
    const owner = await withSession(
      t,
      visitor('racer@example.test'),
      await setup(t, { token, password: STRONG }),
    );
    const stale = await withSession(t, visitor('racer@example.test'), await login(t, owner.email, STRONG));
    expect((await enroll(t, owner)).confirm.statusCode).toBe(200);
    const enrolled = () =>
      t.ctx.db.selectFrom('users').select('totp_secret').where('id', '=', userId).executeTakeFirstOrThrow();
    const before = await enrolled();

    // The owner's enrollment ended every other session; the stale one can neither start nor confirm.
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enroll/start',
      headers: as(stale),
    });
    expect(start.statusCode).toBe(401);
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enroll/confirm',
      headers: as(stale),
      payload: { code: '123456' },
    });
    expect(confirm.statusCode).toBe(401);
    expect((await enrolled()).totp_secret).toEqual(before.totp_secret);
  });
});

describe('the bootstrap link', () => {
  // pins: a second bootstrap (anyone with console access becoming admin)
  it('creates the first admin on an empty installation, and is not issued again', async () => {
    const t = await createTestApp();
    try {
      const link = await issueBootstrapLinkIfEmpty(t.ctx);
      expect(link).not.toBeNull();
      const token = linkToken(link!.setupUrl);
      expect((await inspect(t, token)).json()).toEqual({ email: null, role: 'admin', purpose: 'bootstrap' });

      const response = await setup(t, { token, email: 'First@Example.test', password: STRONG });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ stage: 'enroll' });
      const users = await t.ctx.db.selectFrom('users').select(['email', 'role']).execute();
      expect(users).toEqual([{ email: 'first@example.test', role: 'admin' }]);

      expect(await issueBootstrapLinkIfEmpty(t.ctx)).toBeNull();
      expect((await setup(t, { token, email: 'second@example.test', password: STRONG })).statusCode).toBe(
        410,
      );
    } finally {
      await t.close();
    }
  });

  // pins: a leaked bootstrap link used after the installation got its admin
  it('refuses an unused bootstrap link once an admin exists', async () => {
    const t = await createTestApp();
    try {
      const link = await issueBootstrapLinkIfEmpty(t.ctx);
      await createSignedInUser(t, 'admin');
      const response = await setup(t, {
        token: linkToken(link!.setupUrl),
        email: 'intruder@example.test',
        password: STRONG,
      });
      expect(response.statusCode).toBe(410);
      expect(response.json().code).toBe('link_invalid');
      const intruder = await t.ctx.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'intruder@example.test')
        .executeTakeFirst();
      expect(intruder).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('MFA reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // pins: an authenticator reset by a hijacked admin session, or that leaves the old credentials working
  it('needs re-authentication, clears MFA, password and sessions, and the link re-enrolls', async () => {
    const admin = await createSignedInUser(t, 'admin');
    const user = await createSignedInUser(t, 'responder');
    const reset = () =>
      t.app.inject({ method: 'POST', url: `/api/users/${user.id}/reset-mfa`, headers: as(admin) });

    const refused = await reset();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('reauth_required');
    expect(await sessionStatus(t, user.cookie)).toBe(200);

    await reauthenticate(t, admin);
    const response = await reset();
    expect(response.statusCode).toBe(200);
    expect(await auditOf(t, response)).toMatchObject([{ action: 'user.mfa_reset', target_id: user.id }]);
    const row = await t.ctx.db
      .selectFrom('users')
      .select(['totp_secret', 'password_hash', 'totp_last_step'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret: null, password_hash: null, totp_last_step: null });
    const count = (table: 'sessions' | 'recovery_codes') =>
      t.ctx.db.selectFrom(table).select('id').where('user_id', '=', user.id).execute();
    expect(await count('sessions')).toEqual([]);
    expect(await count('recovery_codes')).toEqual([]);
    expect(await sessionStatus(t, user.cookie)).toBe(401);
    expect((await login(t, user.email, user.password)).statusCode).toBe(401);

    const token = linkToken(response.json().setupUrl);
    expect((await linkRow(t, token)).purpose).toBe('reset');
    const fresh = await withSession(t, user, await setup(t, { token, password: STRONG }));
    const { secret, confirm } = await enroll(t, fresh);
    expect(confirm.statusCode).toBe(200);
    expect(secret).not.toBe(user.totpSecret);
    const active = await withSession(t, user, confirm);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: as(active) })).statusCode).toBe(
      200,
    );
  });
});
