import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Access } from '../../src/server/platform/http/access.ts';
import type { RouteEntry } from '../../src/server/platform/http/route-table.ts';
import type { ErrorCode } from '../../src/shared/errors.ts';
import type { Permission, Role } from '../../src/shared/permissions.ts';
import type { SignedInUser, TestApp } from '../support/app.ts';

export type GuardedAccess = Exclude<Access, { public: true }>;
export type GuardedRoute = RouteEntry & { access: GuardedAccess };
export type Credentials = Record<string, string>;

export function isGuarded(route: RouteEntry): route is GuardedRoute {
  return !('public' in route.access);
}

export const labelOf = (route: RouteEntry) => `${route.method} ${route.url}`;

let ipCounter = 0;
/**
 * A distinct client address per request, so the per-IP limit (10/min) on the sign-in, MFA and password
 * routes never turns an authorization answer into a 429.
 */
export function nextClientIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** Replaces `:id`-style parameters with random UUIDs (records that do not exist) and wildcards with a name. */
export function concretePath(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, () => randomUUID()).replace(/\*$/, 'probe.js');
}

/** Calls a route the way a client would: `{}` for bodies, CSRF header included in `credentials`. */
export function callRoute(
  t: TestApp,
  route: RouteEntry,
  credentials: Credentials = {},
  ip = nextClientIp(),
): Promise<LightMyRequestResponse> {
  const hasBody = ['POST', 'PATCH', 'PUT'].includes(route.method);
  return t.app.inject({
    method: route.method as 'GET',
    url: concretePath(route.url),
    headers: credentials,
    remoteAddress: ip,
    ...(hasBody ? { payload: {} } : {}),
  });
}

/**
 * A second, fully signed-in session for a user who went through the real sign-in flow, written the way
 * sessions.ts writes one (SHA-256 of the cookie token). Each matrix call gets its own, so sign-out routes
 * cannot end the session the next call needs.
 */
export async function openExtraSession(t: TestApp, user: SignedInUser): Promise<Credentials> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await t.ctx.db
    .insertInto('sessions')
    .values({
      token_hash: createHash('sha256').update(token).digest(),
      user_id: user.id,
      stage: 'active',
      csrf_token: csrfToken,
      expires_at: new Date(Date.now() + 3_600_000),
      user_agent: null,
    })
    .execute();
  return { cookie: `candor_session=${token}`, 'x-csrf-token': csrfToken };
}

/** An active admin who owns the matrix's API tokens (a token dies with its creator's account). */
export async function createTokenOwner(t: TestApp): Promise<string> {
  const owner = await t.ctx.db
    .insertInto('users')
    .values({
      email: `token-owner-${randomBytes(3).toString('hex')}@example.test`,
      role: 'admin',
      status: 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return owner.id;
}

/** An API token of the given role, inserted as api-tokens.service.ts would store it. */
export async function createBearerToken(t: TestApp, role: Role, ownerId: string): Promise<Credentials> {
  const token = `cnd_${randomBytes(32).toString('base64url')}`;
  await t.ctx.db
    .insertInto('api_tokens')
    .values({
      name: `matrix ${role}`,
      token_hash: createHash('sha256').update(token).digest(),
      prefix: token.slice(0, 10),
      role,
      created_by: ownerId,
    })
    .execute();
  return { authorization: `Bearer ${token}` };
}

export async function auditRowsFor(t: TestApp, requestId: string) {
  return t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'actor_type', 'details'])
    .where('request_id', '=', requestId)
    .execute();
}

/** Asserts an RFC 9457 problem with every field our error handler promises, tied to x-request-id. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: ErrorCode) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    type: `https://candor.dev/problems/${code}`,
    title: expect.any(String),
    status,
    code,
    detail: expect.any(String),
    requestId: expect.any(String),
  });
  expect((body.detail as string).length).toBeGreaterThan(0);
  expect(response.headers['x-request-id']).toBe(body.requestId);
  return body;
}

/** What a caller allowed by the route's permission may get back: anything but an authorization refusal. */
export function expectNotRefused(response: LightMyRequestResponse) {
  expect(response.statusCode, response.body).not.toBe(401);
  expect(response.statusCode, response.body).toBeLessThan(500);
  if (response.statusCode === 403) {
    // The only 403 left for a permitted caller is the fresh password + code step on sensitive routes.
    expect((response.json() as { code: string }).code).toBe('reauth_required');
  }
}

export async function expectDeniedAndAudited(
  t: TestApp,
  response: LightMyRequestResponse,
  permission: Permission,
  actorType: 'user' | 'api_token',
) {
  const problem = expectProblem(response, 403, 'forbidden');
  const rows = await auditRowsFor(t, problem.requestId as string);
  expect(rows).toEqual([
    expect.objectContaining({
      action: 'access.denied',
      outcome: 'denied',
      actor_type: actorType,
      details: expect.objectContaining({ permission }),
    }),
  ]);
}
