import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  createSignedInUser,
  createTestApp,
  type SignedInUser,
  sessionCookieFrom,
  type TestApp,
} from '../support/app.ts';
import {
  ago,
  auditOf,
  freshIp,
  login,
  nextCode,
  passwordStep,
  reauthenticate,
  reauthRequest,
  sessionStatus,
  signIn,
  tokenHashOf,
  verifySecondFactor,
  wrongCode,
} from './helpers.ts';

const sessionCookie = (response: { cookies: Array<{ name: string }> }) =>
  response.cookies.find((c) => c.name === 'candor_session') as
    | { name: string; path?: string; httpOnly?: boolean; sameSite?: string; secure?: boolean }
    | undefined;

describe('session lifetime and cookies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // pins: a session left open on an unattended machine
  it('ends a session idle for more than 30 minutes', async () => {
    const user = await createSignedInUser(t, 'responder');
    const setLastSeen = (interval: string) =>
      t.ctx.db
        .updateTable('sessions')
        .set({ last_seen_at: ago(interval) })
        .where('token_hash', '=', tokenHashOf(user.cookie))
        .executeTakeFirstOrThrow();
    await setLastSeen('29 minutes');
    expect(await sessionStatus(t, user.cookie)).toBe(200);
    await setLastSeen('31 minutes');
    const response = await t.app.inject({ method: 'GET', url: '/api/users', headers: as(user) });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('unauthenticated');
  });

  // pins: a stolen session cookie that is kept alive forever
  it('ends a session past its absolute expiry, however active', async () => {
    const user = await createSignedInUser(t, 'responder');
    await t.ctx.db
      .updateTable('sessions')
      .set({ expires_at: ago('1 second') })
      .where('token_hash', '=', tokenHashOf(user.cookie))
      .executeTakeFirstOrThrow();
    expect(await sessionStatus(t, user.cookie)).toBe(401);
  });

  // pins: session cookie read by scripts or sent on cross-site requests
  it('sets the cookie HttpOnly, SameSite=Lax, Path=/ and not Secure over http', async () => {
    const user = await createSignedInUser(t, 'responder');
    const ip = freshIp();
    const pending = await login(t, user.email, user.password, ip);
    const active = await verifySecondFactor(t, await passwordStep(t, user, ip), {
      code: nextCode(user.totpSecret),
    });
    for (const response of [pending, active]) {
      expect(sessionCookie(response)).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Lax' });
      expect(sessionCookie(response)?.secure).not.toBe(true);
    }
  });

  // pins: session cookie sent in clear text
  it('marks the cookie Secure when the public URL is https', async () => {
    const https = await createTestApp({ CANDOR_PUBLIC_URL: 'https://x.example' });
    try {
      const user = await createSignedInUser(https, 'responder');
      const response = await login(https, user.email, user.password);
      expect(response.statusCode).toBe(200);
      expect(sessionCookie(response)).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    } finally {
      await https.close();
    }
  });

  // pins: session fixation across the second factor
  it('gives the session a new token when it becomes active', async () => {
    const user = await createSignedInUser(t, 'responder');
    const ip = freshIp();
    const pending = await passwordStep(t, user, ip);
    const response = await verifySecondFactor(t, pending, { code: nextCode(user.totpSecret) }, ip);
    expect(response.statusCode).toBe(200);
    const activeCookie = sessionCookieFrom(response)!;
    expect(activeCookie).not.toBe(pending.cookie);
    expect(await sessionStatus(t, pending.cookie)).toBe(401);
    expect(await sessionStatus(t, activeCookie)).toBe(200);
  });

  // pins: sign-out that leaves the session usable
  it('logout ends that session only; logout-all ends every session of the user', async () => {
    const user = await createSignedInUser(t, 'responder');
    const other = await signIn(t, user);
    const third = await createSignedInUser(t, 'responder');

    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: as(user) });
    expect(logout.statusCode).toBe(204);
    expect(await sessionStatus(t, user.cookie)).toBe(401);
    expect(await sessionStatus(t, other.cookie)).toBe(200);

    const again = await passwordStep(t, user);
    const all = await t.app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: as(other) });
    expect(all.statusCode).toBe(204);
    expect(await sessionStatus(t, other.cookie)).toBe(401);
    expect(await sessionStatus(t, again.cookie)).toBe(401);
    const left = await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    expect(left).toEqual([]);
    expect(await sessionStatus(t, third.cookie)).toBe(200);
  });
});

describe('CSRF and re-authentication', () => {
  let t: TestApp;
  let admin: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createSignedInUser(t, 'admin');
  });
  afterAll(() => t.close());

  const invite = (headers: Record<string, string>, email: string) =>
    t.app.inject({ method: 'POST', url: '/api/users/invite', headers, payload: { email, role: 'comms' } });
  const invited = (email: string) =>
    t.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();

  // pins: cross-site request forgery with the session cookie
  it('refuses a cookie-authenticated change without the right CSRF token, and changes nothing', async () => {
    const other = await createSignedInUser(t, 'admin');
    const attempts: Array<Record<string, string>> = [
      { cookie: admin.cookie },
      { cookie: admin.cookie, 'x-csrf-token': 'forged' },
      { cookie: admin.cookie, 'x-csrf-token': other.csrfToken },
    ];
    for (const [i, headers] of attempts.entries()) {
      const response = await invite(headers, `csrf-${i}@example.test`);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('csrf_failed');
      expect(await invited(`csrf-${i}@example.test`)).toBeUndefined();
    }
    const logoutAll = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout-all',
      headers: { cookie: admin.cookie },
    });
    expect(logoutAll.json().code).toBe('csrf_failed');
    expect(await sessionStatus(t, admin.cookie)).toBe(200);
  });

  it('needs no CSRF token for reads, nor for bearer API tokens', async () => {
    const read = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin.cookie } });
    expect(read.statusCode).toBe(200);

    const owner = await createSignedInUser(t, 'admin');
    await reauthenticate(t, owner);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: as(owner),
      payload: { name: 'csrf check', role: 'admin' },
    });
    const bearer = { authorization: `Bearer ${created.json().token}` };
    const response = await invite(bearer, 'by-token@example.test');
    expect(response.statusCode).toBe(200);
    expect(await invited('by-token@example.test')).toBeDefined();
  });

  // pins: a hijacked session making sensitive changes without the password and a code
  it('needs a fresh re-authentication to change a role, and only for five minutes', async () => {
    const user = await createSignedInUser(t, 'admin');
    const target = await createSignedInUser(t, 'comms');
    const changeRole = (role: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${target.id}/role`,
        headers: as(user),
        payload: { role },
      });
    const roleOfTarget = async () =>
      (
        await t.ctx.db
          .selectFrom('users')
          .select('role')
          .where('id', '=', target.id)
          .executeTakeFirstOrThrow()
      ).role;

    const before = await changeRole('legal');
    expect(before.statusCode).toBe(403);
    expect(before.json().code).toBe('reauth_required');

    const badPassword = await reauthRequest(t, user, { password: 'wrong', code: nextCode(user.totpSecret) });
    expect(badPassword.statusCode).toBe(401);
    const badCode = await reauthRequest(t, user, {
      password: user.password,
      code: wrongCode(user.totpSecret),
    });
    expect(badCode.statusCode).toBe(401);
    expect((await changeRole('legal')).json().code).toBe('reauth_required');
    expect(await roleOfTarget()).toBe('comms');

    const ok = await reauthRequest(t, user, { password: user.password, code: nextCode(user.totpSecret) });
    expect(ok.statusCode).toBe(200);
    expect(await auditOf(t, ok)).toMatchObject([{ action: 'auth.reauthenticate', outcome: 'success' }]);
    const after = await changeRole('legal');
    expect(after.statusCode).toBe(200);
    expect(await roleOfTarget()).toBe('legal');

    await t.ctx.db
      .updateTable('sessions')
      .set({ reauthenticated_at: ago('6 minutes') })
      .where('token_hash', '=', tokenHashOf(user.cookie))
      .executeTakeFirstOrThrow();
    const expired = await changeRole('responder');
    expect(expired.statusCode).toBe(403);
    expect(expired.json().code).toBe('reauth_required');
    expect(await roleOfTarget()).toBe('legal');
  });

  // pins: password guessing through re-authentication, using the lockout as an oracle
  it('refuses re-authentication while the second factor is locked, whatever the password', async () => {
    const user = await createSignedInUser(t, 'admin');
    for (let i = 0; i < 5; i++) {
      const response = await reauthRequest(t, user, {
        password: `guess ${i}`,
        code: wrongCode(user.totpSecret),
      });
      expect(response.json().code).toBe('invalid_credentials');
    }
    const wrongPassword = await reauthRequest(t, user, {
      password: 'guess 5',
      code: wrongCode(user.totpSecret),
    });
    const rightPassword = await reauthRequest(t, user, {
      password: user.password,
      code: wrongCode(user.totpSecret),
    });
    expect(rightPassword.json().code).toBe('account_locked');
    expect(wrongPassword.statusCode).toBe(rightPassword.statusCode);
    expect(wrongPassword.json().code).toBe('account_locked');
  });
});

describe('changing the password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const changePassword = (user: SignedInUser, currentPassword: string, newPassword: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: as(user),
      payload: { currentPassword, newPassword },
      remoteAddress: freshIp(),
    });

  // pins: an attacker's session surviving the victim's password change
  it('ends the other sessions of the user and keeps this one', async () => {
    const user = await createSignedInUser(t, 'responder');
    const elsewhere = await signIn(t, user);
    const newPassword = 'a completely new passphrase';
    expect((await changePassword(user, user.password, newPassword)).statusCode).toBe(204);
    expect(await sessionStatus(t, elsewhere.cookie)).toBe(401);
    expect(await sessionStatus(t, user.cookie)).toBe(200);
    expect((await login(t, user.email, user.password)).statusCode).toBe(401);
    expect((await login(t, user.email, newPassword)).statusCode).toBe(200);
  });

  // pins: password guessing through the change-password form of a hijacked session
  it('is refused while the account is locked by wrong current passwords', async () => {
    const user = await createSignedInUser(t, 'responder');
    for (let i = 0; i < 5; i++) {
      expect((await changePassword(user, `guess ${i}`, 'an attacker chosen phrase')).statusCode).toBe(401);
    }
    const locked = await changePassword(user, user.password, 'an attacker chosen phrase');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account_locked');
    expect((await login(t, user.email, user.password)).statusCode).toBe(200);
  });
});
