import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/server/modules/auth/index.ts';
import {
  as,
  createSignedInUser,
  createTestApp,
  csrfOf,
  sessionCookieFrom,
  type TestApp,
} from '../support/app.ts';
import { dumpDatabase, plaintextForms, usableDumpMethods, withClient } from './helpers.ts';

/** Needles that must appear nowhere; a label for each so a failure says which secret leaked. */
type Needles = Record<string, string>;

function leaksIn(haystack: string, needles: Needles): string[] {
  const lower = haystack.toLowerCase();
  return Object.entries(needles)
    .filter(([, value]) => plaintextForms(value).some((form) => lower.includes(form.toLowerCase())))
    .map(([label]) => label);
}

describe('logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // pins: personal data and credentials reaching log storage (shipped, retained, read by more people)
  it('carry no personal data or secret through invitation, setup, enrollment and sign-in', async () => {
    const admin = await createSignedInUser(t, 'admin');
    const needles: Needles = {
      email: 'zelda.quartermain@example.test',
      emailLocalPart: 'quartermain',
      password: 'Xylophone-Quartz-Meadow-8841',
      wrongPassword: 'Wrong-Guess-Zeppelin-5512',
      bodyPhone: '+31 6 5550 8127',
      bodyEmail: 'olaf.vantongeren@example.test',
      malformedJsonEmail: 'ingrid.halvorsen@example.test',
    };

    const invite = await t.app.inject({
      method: 'POST',
      url: '/api/users/invite',
      headers: as(admin),
      payload: { email: needles.email, role: 'responder', displayName: 'Zelda Quartermain' },
    });
    expect(invite.statusCode).toBe(200);
    needles.setupToken = new URL(invite.json().setupUrl).hash.replace('#token=', '');
    needles.displayName = 'Zelda Quartermain';

    const setup = await t.app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { token: needles.setupToken, password: needles.password },
    });
    expect(setup.statusCode).toBe(200);
    let cookie = sessionCookieFrom(setup)!;
    needles.setupSessionCookie = cookie.split('=')[1]!;
    const csrf = await csrfOf(t, cookie);
    needles.csrfToken = csrf;
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enroll/start',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    const totpSecret: string = start.json().secret;
    needles.totpSecret = totpSecret;
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enroll/confirm',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { code: totpCode(totpSecret) },
    });
    expect(confirm.statusCode).toBe(200);
    cookie = sessionCookieFrom(confirm)!;
    needles.sessionCookie = cookie.split('=')[1]!;
    for (const [i, code] of (confirm.json().recoveryCodes as string[]).entries()) {
      needles[`recoveryCode${i}`] = code;
    }

    const wrongSignIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: needles.email, password: needles.wrongPassword },
    });
    expect(wrongSignIn.statusCode).toBe(401);
    const invalidBody = await t.app.inject({
      method: 'POST',
      url: '/api/users/invite',
      headers: as(admin),
      payload: { email: needles.bodyEmail, phone: needles.bodyPhone, role: 'no-such-role' },
    });
    expect(invalidBody.statusCode).toBe(400);
    const malformedJson = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: `{"email":"${needles.malformedJsonEmail}","password":`,
    });
    expect(malformedJson.statusCode).toBe(400);

    // The capture works: the requests above were logged, by route.
    const logs = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(10);
    expect(logs).toContain('/api/auth/login');
    expect(logs).toContain('/api/users/invite');
    expect(leaksIn(logs, needles)).toEqual([]);

    // The net under the rule: keys that may carry personal data are redacted wherever they sit; and the
    // search above does find a value that reaches the logs.
    const before = t.logs.length;
    t.ctx.logger.info({ email: needles.email, person: { phone: needles.bodyPhone } }, 'redaction probe');
    t.ctx.logger.info(`control ${needles.bodyEmail}`);
    expect(leaksIn(t.logs.slice(before).join(''), needles)).toEqual(['bodyEmail']);
  });
});

describe('a database dump', () => {
  let t: TestApp;
  const people = {
    name: 'Maria Ostrowska',
    email: 'maria.ostrowska@example.test',
    phone: '+48 601 555 0199',
    nationalId: '85061512345',
    otherName: 'Tadeusz Wróblewski-Kowal',
    otherNationalId: '123-45-6789',
  };
  const controls = {
    text: 'control.plaintext.canary@example.test',
    bytes: 'control.bytea.canary@example.test',
  };
  let totpSecret: string;

  beforeAll(async () => {
    t = await createTestApp();
    totpSecret = (await createSignedInUser(t, 'admin')).totpSecret;
    await withClient(t.database.url, async (c) => {
      await c.query(
        'CREATE TABLE pii_probe (id serial PRIMARY KEY, kind text, value_enc bytea, value_idx bytea, note text, raw bytea)',
      );
      for (const [kind, value] of Object.entries(people)) {
        await c.query('INSERT INTO pii_probe (kind, value_enc, value_idx) VALUES ($1, $2, $3)', [
          kind,
          t.ctx.crypto.encrypt(value, `pii_probe.${kind}`),
          t.ctx.crypto.blindIndex(kind, value.toLowerCase()),
        ]);
      }
      // Controls: stored in plaintext on purpose, so the search below is shown to find what is there.
      await c.query(`INSERT INTO pii_probe (kind, note, raw) VALUES ('control', $1, $2)`, [
        controls.text,
        Buffer.from(controls.bytes),
      ]);
    });
  });
  afterAll(() => t.close());

  // pins: a stolen backup or database dump exposing the people it describes
  it('holds no plaintext personal data or TOTP secret, while plaintext controls are found', async () => {
    const methods = await usableDumpMethods(t.database.url);
    expect(methods).toContain('sql');
    for (const method of methods) {
      const dump = await dumpDatabase(t.database.url, method);
      expect(dump, method).toContain('pii_probe');
      expect(leaksIn(dump, controls), method).toEqual(['text', 'bytes']);
      expect(leaksIn(dump, { ...people, totpSecret }), method).toEqual([]);
      const stored = await t.ctx.db
        .selectFrom('users')
        .select('totp_secret')
        .where('totp_secret', 'is not', null)
        .execute();
      expect(stored).toHaveLength(1);
      expect(await t.ctx.crypto.decrypt(stored[0]!.totp_secret!, 'users.totp_secret')).toBe(totpSecret);
    }
  });
});
