import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/shared/permissions.ts';
import { as, createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';
import { ago, auditOf, reauthenticate } from './helpers.ts';

describe('API tokens', () => {
  let t: TestApp;
  let admin: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createSignedInUser(t, 'admin');
    await reauthenticate(t, admin);
  });
  afterAll(() => t.close());

  function createToken(by: SignedInUser, role: Role, name = `${role} token`) {
    return t.app.inject({ method: 'POST', url: '/api/tokens', headers: as(by), payload: { name, role } });
  }
  async function newToken(role: Role, by = admin): Promise<{ id: string; token: string }> {
    const response = await createToken(by, role);
    expect(response.statusCode).toBe(200);
    const body = response.json() as { token: string; summary: { id: string } };
    return { id: body.summary.id, token: body.token };
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const getWith = (token: string, url = '/api/users') =>
    t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const revoke = (id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: as(admin) });

  // pins: a hijacked session minting long-lived credentials without the password and a code
  it('needs a fresh re-authentication to create a token', async () => {
    const other = await createSignedInUser(t, 'admin');
    const response = await createToken(other, 'admin');
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('reauth_required');
    const rows = await t.ctx.db
      .selectFrom('api_tokens')
      .select('id')
      .where('created_by', '=', other.id)
      .execute();
    expect(rows).toEqual([]);
  });

  // pins: token disclosure through the API, the database or the logs
  it('shows the token once and stores only its SHA-256', async () => {
    const response = await createToken(admin, 'auditor', 'exporter');
    expect(response.statusCode).toBe(200);
    const { token, summary } = response.json() as { token: string; summary: { id: string } };
    expect(token).toMatch(/^cnd_[A-Za-z0-9_-]{43}$/);

    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: as(admin) });
    expect(list.statusCode).toBe(200);
    expect(list.json().tokens.map((x: { id: string }) => x.id)).toContain(summary.id);
    expect(list.body).not.toContain(token);

    const row = await t.ctx.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', summary.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const { rows } = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM api_tokens t`.execute(
      t.ctx.db,
    );
    const secretPart = token.slice(10);
    for (const { row: text } of rows) expect(text).not.toContain(secretPart);
    const audit = await sql<{ row: string }>`SELECT row_to_json(a)::text AS row FROM audit_log a`.execute(
      t.ctx.db,
    );
    for (const { row: text } of audit.rows) expect(text).not.toContain(secretPart);
    expect(t.logs.join('')).not.toContain(secretPart);
  });

  // pins: privilege beyond the token's role
  it('acts with the role of the token', async () => {
    const { token } = await newToken('auditor');
    const read = await getWith(token, '/api/audit');
    expect(read.statusCode).toBe(200);
    const invite = await t.app.inject({
      method: 'POST',
      url: '/api/users/invite',
      headers: bearer(token),
      payload: { email: 'by-auditor@example.test', role: 'admin' },
    });
    expect(invite.statusCode).toBe(403);
    expect(invite.json().code).toBe('forbidden');
    expect(await auditOf(t, invite)).toMatchObject([
      { action: 'access.denied', outcome: 'denied', actor_type: 'api_token' },
    ]);
    const invited = await t.ctx.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'by-auditor@example.test')
      .executeTakeFirst();
    expect(invited).toBeUndefined();
  });

  // pins: a leaked token used for sensitive changes or to mint more tokens
  it('never passes re-authentication, even with the admin role', async () => {
    const { token } = await newToken('admin');
    const target = await createSignedInUser(t, 'comms');
    const changeRole = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${target.id}/role`,
      headers: bearer(token),
      payload: { role: 'admin' },
    });
    expect(changeRole.statusCode).toBe(403);
    expect(changeRole.json().code).toBe('reauth_required');
    const mint = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: bearer(token),
      payload: { name: 'child', role: 'admin' },
    });
    expect(mint.json().code).toBe('reauth_required');
    const role = await t.ctx.db
      .selectFrom('users')
      .select('role')
      .where('id', '=', target.id)
      .executeTakeFirst();
    expect(role?.role).toBe('comms');
  });

  // pins: a revoked token that keeps working
  it('refuses a revoked token, and audits creation and revocation', async () => {
    const created = await createToken(admin, 'auditor');
    const { token, summary } = created.json() as { token: string; summary: { id: string } };
    expect(await auditOf(t, created)).toMatchObject([
      { action: 'api_token.created', actor_type: 'user', actor_id: admin.id, target_id: summary.id },
    ]);
    expect((await getWith(token)).statusCode).toBe(200);

    const revoked = await revoke(summary.id);
    expect(revoked.statusCode).toBe(204);
    expect(await auditOf(t, revoked)).toMatchObject([
      { action: 'api_token.revoked', actor_id: admin.id, target_id: summary.id },
    ]);
    const response = await getWith(token);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('unauthenticated');
    expect((await revoke(summary.id)).statusCode).toBe(404);
  });

  // pins: a token used past its expiry
  it('refuses an expired token', async () => {
    const { id, token } = await newToken('auditor');
    expect((await getWith(token)).statusCode).toBe(200);
    await t.ctx.db
      .updateTable('api_tokens')
      .set({ expires_at: ago('1 minute') })
      .where('id', '=', id)
      .execute();
    expect((await getWith(token)).statusCode).toBe(401);
  });

  // pins: a departed employee's automation keeping access
  it('refuses the tokens of a disabled creator', async () => {
    const leaver = await createSignedInUser(t, 'admin');
    await reauthenticate(t, leaver);
    const { token } = await newToken('auditor', leaver);
    expect((await getWith(token)).statusCode).toBe(200);
    const disable = await t.app.inject({
      method: 'POST',
      url: `/api/users/${leaver.id}/disable`,
      headers: as(admin),
    });
    expect(disable.statusCode).toBe(200);
    expect((await getWith(token)).statusCode).toBe(401);
  });

  // pins: forged or truncated tokens
  it('refuses unknown and malformed tokens', async () => {
    const { token } = await newToken('auditor');
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [flipped, token.slice(4), 'cnd_', `${token}x`]) {
      const response = await getWith(forged);
      expect(response.statusCode).toBe(401);
    }
  });
});
