import * as nodeCrypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { throttleKey } from '../../src/server/modules/auth/throttle.ts';
import { currentStep, matchTotp, newTotpSecret, totpCode } from '../../src/server/modules/auth/totp.ts';
import { as, createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';
import {
  auditOf,
  freshIp,
  login,
  nextCode,
  passwordStep,
  problemOf,
  signIn,
  verifySecondFactor,
  wrongCode,
} from './helpers.ts';

// Pass-through, so the TOTP check's use of timingSafeEqual can be counted.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const GENERIC = 'The email or password is not right. Check both and try again.';

describe('the password step', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('opens a session at stage password, and the second factor makes it active', async () => {
    const user = await createSignedInUser(t, 'responder');
    const ip = freshIp();
    const first = await login(t, user.email, user.password, ip);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stage: 'password' });
    const pending = await passwordStep(t, user, ip);
    const second = await verifySecondFactor(t, pending, { code: nextCode(user.totpSecret) }, ip);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ stage: 'active' });
    const entries = await auditOf(t, second);
    expect(entries).toMatchObject([
      { action: 'auth.sign_in', outcome: 'success', details: { method: 'totp' } },
    ]);
  });

  // pins: account enumeration through sign-in answers
  it('answers a wrong password and an unknown email identically, and audits both', async () => {
    const user = await createSignedInUser(t, 'responder');
    const wrong = await login(t, user.email, 'not the password at all');
    const unknown = await login(t, 'nobody-here@example.test', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(problemOf(wrong)).toMatchObject({ code: 'invalid_credentials', detail: GENERIC });
    expect(problemOf(unknown)).toEqual(problemOf(wrong));
    expect(await auditOf(t, wrong)).toMatchObject([
      {
        action: 'auth.sign_in',
        outcome: 'failure',
        target_id: user.id,
        details: { reason: 'wrong_password' },
      },
    ]);
    expect(await auditOf(t, unknown)).toMatchObject([
      { action: 'auth.sign_in', outcome: 'failure', target_id: null, details: { reason: 'unknown_account' } },
    ]);
  });

  // pins: MFA bypass with the password alone
  it('refuses the API to a session that has only passed the password', async () => {
    const user = await createSignedInUser(t, 'admin');
    const pending = await passwordStep(t, user);
    const response = await t.app.inject({ method: 'GET', url: '/api/users', headers: as(pending) });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('mfa_required');
  });

  // pins: a disabled account signing in (and telling that it exists)
  it('refuses a disabled user with the generic message', async () => {
    const user = await createSignedInUser(t, 'responder');
    await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    const disabled = await login(t, user.email, user.password);
    const unknown = await login(t, 'nobody-else@example.test', user.password);
    expect(disabled.statusCode).toBe(401);
    expect(problemOf(disabled)).toEqual(problemOf(unknown));
    expect(disabled.cookies.find((c) => c.name === 'candor_session')).toBeUndefined();
    expect(await auditOf(t, disabled)).toMatchObject([
      { action: 'auth.sign_in', outcome: 'failure', details: { reason: 'disabled' } },
    ]);
  });
});

describe('password lockout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function failFiveTimes(email: string, ip: string) {
    for (let i = 0; i < 5; i++) {
      expect((await login(t, email, `wrong password ${i}`, ip)).statusCode).toBe(401);
    }
  }

  // pins: online password guessing against one account; and enumeration through the lockout
  it('locks after five wrong passwords, even the right one, and the same for an unknown email', async () => {
    const user = await createSignedInUser(t, 'responder');
    await failFiveTimes(user.email, freshIp());
    const locked = await login(t, user.email, user.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.cookies.find((c) => c.name === 'candor_session')).toBeUndefined();

    await failFiveTimes('ghost@example.test', freshIp());
    const ghost = await login(t, 'ghost@example.test', user.password);
    expect(ghost.statusCode).toBe(429);
    expect(Number(ghost.headers['retry-after'])).toBeGreaterThan(0);
    expect(problemOf(ghost)).toEqual(problemOf(locked));
  });

  // pins: a lock that never ends; and a lock whose expiry forgets the failures (no back-off)
  it('lets the right password in after the lock, and locks longer after the next failure', async () => {
    const endLock = (email: string) =>
      t.ctx.db
        .updateTable('sign_in_throttle')
        .set({ locked_until: new Date(Date.now() - 1000) })
        .where('key_hash', '=', throttleKey.signIn(email))
        .executeTakeFirstOrThrow();
    const patient = await createSignedInUser(t, 'responder');
    await failFiveTimes(patient.email, freshIp());
    await endLock(patient.email);
    expect((await login(t, patient.email, patient.password)).statusCode).toBe(200);

    const stubborn = await createSignedInUser(t, 'responder');
    await failFiveTimes(stubborn.email, freshIp());
    await endLock(stubborn.email);
    expect((await login(t, stubborn.email, 'still not it')).statusCode).toBe(401);
    const relocked = await login(t, stubborn.email, stubborn.password);
    expect(relocked.statusCode).toBe(429);
    expect(Number(relocked.headers['retry-after'])).toBeGreaterThan(60);
  });

  // pins: password spraying from one address across many accounts
  it('limits sign-in attempts per client address', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await login(t, `spray-${i}@example.test`, 'Summer2024!!', ip)).statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(problemOf(await login(t, 'spray-y@example.test', 'x', ip))).toMatchObject({
      code: 'rate_limited',
    });
    const other = await login(t, 'spray-x@example.test', 'Summer2024!!');
    expect(other.statusCode).toBe(401);
  });
});

describe('the second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function signOut(user: { cookie: string; csrfToken: string }) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: user.cookie, 'x-csrf-token': user.csrfToken },
    });
    expect(response.statusCode).toBe(204);
  }

  // pins: TOTP replay (a code seen over a shoulder or in a proxy log used again)
  it('refuses a code that was already accepted', async () => {
    const user = await createSignedInUser(t, 'responder');
    const code = nextCode(user.totpSecret);
    await signOut(await signIn(t, user, { code }));
    const pending = await passwordStep(t, user);
    const replay = await verifySecondFactor(t, pending, { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('code_reused');
    expect(await auditOf(t, replay)).toMatchObject([
      { action: 'auth.sign_in', outcome: 'failure', details: { reason: 'code_replayed' } },
    ]);
    const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: as(pending) });
    expect(users.json().code).toBe('mfa_required');
  });

  // pins: a widened acceptance window (codes guessed or kept for later)
  it('refuses codes three steps before or after now', async () => {
    const user = await createSignedInUser(t, 'responder');
    const pending = await passwordStep(t, user);
    for (const offset of [-90_000, 90_000]) {
      const response = await verifySecondFactor(t, pending, {
        code: totpCode(user.totpSecret, Date.now() + offset),
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('invalid_credentials');
    }
  });

  // pins: recovery-code replay
  it('accepts a recovery code once', async () => {
    const admin = await createSignedInUser(t, 'admin');
    const reauth = await t.app.inject({
      method: 'POST',
      url: '/api/auth/reauth',
      headers: as(admin),
      payload: { password: admin.password, code: nextCode(admin.totpSecret) },
      remoteAddress: freshIp(),
    });
    expect(reauth.statusCode).toBe(200);
    const regenerated = await t.app.inject({
      method: 'POST',
      url: '/api/auth/recovery-codes/regenerate',
      headers: as(admin),
    });
    const recoveryCode = (regenerated.json() as { recoveryCodes: string[] }).recoveryCodes[0]!;

    const active = await signIn(t, admin, { recoveryCode: recoveryCode.toUpperCase() });
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: as(active) });
    expect(session.json()).toMatchObject({ stage: 'active', unusedRecoveryCodes: 9 });
    await signOut(active);

    const pending = await passwordStep(t, admin);
    const again = await verifySecondFactor(t, pending, { recoveryCode });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('code_reused');
  });

  // pins: brute force of the six-digit code
  it('locks the second factor after five wrong codes, even for the right one', async () => {
    const user = await createSignedInUser(t, 'responder');
    const pending = await passwordStep(t, user);
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const response = await verifySecondFactor(t, pending, { code: wrongCode(user.totpSecret) }, ip);
      expect(response.json().code).toBe('invalid_credentials');
    }
    const locked = await verifySecondFactor(t, pending, { code: nextCode(user.totpSecret) });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: as(pending) });
    expect(users.json().code).toBe('mfa_required');
  });
});

describe('matchTotp', () => {
  const secret = newTotpSecret();
  // The middle of a step, so ±30 s lands squarely in the neighbouring steps.
  const now = (currentStep(Date.now()) * 30 + 15) * 1000;
  const step = currentStep(now);
  const codeAt = (offsetSteps: number) => totpCode(secret, now + offsetSteps * 30_000);

  it('accepts the previous, current and next step and returns which one matched', () => {
    expect(matchTotp(secret, codeAt(-1), now)).toBe(step - 1);
    expect(matchTotp(secret, codeAt(0), now)).toBe(step);
    expect(matchTotp(secret, codeAt(1), now)).toBe(step + 1);
  });

  // pins: codes kept from earlier or computed ahead
  it('refuses two steps away and any other code', () => {
    const window = new Set([-1, 0, 1].map(codeAt));
    for (const offset of [-3, -2, 2, 3]) {
      const code = codeAt(offset);
      if (!window.has(code)) expect(matchTotp(secret, code, now)).toBeNull();
    }
    expect(matchTotp(secret, wrongCode(secret), Date.now())).toBeNull();
    expect(matchTotp(secret, '', now)).toBeNull();
  });

  // pins: timing side channel on the code comparison
  it('compares every candidate in constant time, without stopping at the first match', () => {
    const spy = vi.mocked(nodeCrypto.timingSafeEqual);
    spy.mockClear();
    expect(matchTotp(secret, codeAt(-1), now)).toBe(step - 1);
    expect(spy).toHaveBeenCalledTimes(3);
    for (const [expected, given] of spy.mock.calls) {
      expect(Buffer.from(given as Uint8Array).toString()).toBe(codeAt(-1));
      expect((expected as Uint8Array).length).toBe(6);
    }
  });
});
