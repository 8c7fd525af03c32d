import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { totpCode } from '../../src/server/modules/auth/index.ts';
import { hashToken } from '../../src/server/modules/auth/secrets.ts';
import { as, csrfOf, type SignedInUser, sessionCookieFrom, type TestApp } from '../support/app.ts';

/**
 * Helpers for the auth tests. Sign-in, MFA and setup routes are limited to 10 requests a minute per client
 * address and per route, so each call here comes from its own address unless told otherwise.
 */
let addresses = 0;
export function freshIp(): string {
  addresses++;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
}

/** The code of the step after the current one: enrollment (createSignedInUser) spent the current step. */
export const nextCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

/** Six digits that are none of the codes the server accepts around now. */
export function wrongCode(secret: string): string {
  const accepted = new Set([-60, -30, 0, 30, 60].map((s) => totpCode(secret, Date.now() + s * 1000)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!accepted.has(code)) return code;
  }
}

export function login(t: TestApp, email: string, password: string, ip = freshIp()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });
}

/** The password step only: the returned user carries a session at stage 'password' (or 'enroll'). */
export async function passwordStep(t: TestApp, user: SignedInUser, ip = freshIp()): Promise<SignedInUser> {
  const response = await login(t, user.email, user.password, ip);
  if (response.statusCode !== 200) throw new Error(`password step failed: ${response.body}`);
  return withSession(t, user, response);
}

export function verifySecondFactor(
  t: TestApp,
  pending: SignedInUser,
  payload: { code: string } | { recoveryCode: string },
  ip = freshIp(),
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/mfa/verify',
    headers: as(pending),
    payload,
    remoteAddress: ip,
  });
}

/** Both steps; the returned user carries the new, active session. */
export async function signIn(
  t: TestApp,
  user: SignedInUser,
  payload: { code: string } | { recoveryCode: string } = { code: nextCode(user.totpSecret) },
): Promise<SignedInUser> {
  const ip = freshIp();
  const pending = await passwordStep(t, user, ip);
  const response = await verifySecondFactor(t, pending, payload, ip);
  if (response.statusCode !== 200) throw new Error(`second factor failed: ${response.body}`);
  return withSession(t, user, response);
}

export async function withSession(
  t: TestApp,
  user: SignedInUser,
  response: LightMyRequestResponse,
): Promise<SignedInUser> {
  const cookie = sessionCookieFrom(response);
  if (!cookie) throw new Error(`no session cookie in: ${response.body}`);
  return { ...user, cookie, csrfToken: await csrfOf(t, cookie) };
}

export function reauthRequest(t: TestApp, user: SignedInUser, payload: { password: string; code: string }) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/reauth',
    headers: as(user),
    payload,
    remoteAddress: freshIp(),
  });
}

/** Re-authenticates with the password and the next step's code; throws if refused. */
export async function reauthenticate(t: TestApp, user: SignedInUser): Promise<void> {
  const response = await reauthRequest(t, user, { password: user.password, code: nextCode(user.totpSecret) });
  if (response.statusCode !== 200) throw new Error(`reauth failed: ${response.body}`);
}

/** The status of GET /api/auth/session with this cookie: 200 while the session lives. */
export async function sessionStatus(t: TestApp, cookie: string): Promise<number> {
  const response = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  return response.statusCode;
}

/** The SHA-256 the sessions table keeps for a `candor_session=…` cookie. */
export const tokenHashOf = (cookie: string) => hashToken(cookie.slice(cookie.indexOf('=') + 1));

/** `now() - interval`, for moving timestamps back instead of waiting. */
export const ago = (interval: string) => sql<Date>`now() - ${interval}::interval`;

export const linkToken = (setupUrl: string) => new URL(setupUrl).hash.replace('#token=', '');

/** An error body without its request id, so two answers can be compared whole. */
export function problemOf(response: LightMyRequestResponse): Record<string, unknown> {
  const { requestId: _requestId, ...rest } = response.json() as Record<string, unknown>;
  return rest;
}

export const requestIdOf = (response: LightMyRequestResponse) => String(response.headers['x-request-id']);

/** The audit entries one request wrote. */
export function auditOf(t: TestApp, response: LightMyRequestResponse) {
  return t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'actor_type', 'actor_id', 'target_type', 'target_id', 'details'])
    .where('request_id', '=', requestIdOf(response))
    .orderBy('seq')
    .execute();
}
