import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackRoutes } from '../../src/server/platform/http/route-table.ts';
import { can, canCredential, permissions, type Role, roles } from '../../src/shared/permissions.ts';
import { createSignedInUser, createTestApp, type SignedInUser } from '../support/app.ts';
import {
  auditRowsFor,
  type Credentials,
  callRoute,
  createBearerToken,
  createTokenOwner,
  expectDeniedAndAudited,
  expectNotRefused,
  expectProblem,
  type GuardedRoute,
  isGuarded,
  labelOf,
  openExtraSession,
} from './matrix-helpers.ts';

/**
 * The authorization matrix, generated from the route table the app itself builds: every route × every
 * role, once with a signed-in session and once with an API token. A route added tomorrow is covered
 * without anyone touching this file.
 */
const t = await createTestApp();
afterAll(() => t.close());

const guardedRoutes = t.routes.filter(isGuarded);
const publicRoutes = t.routes.filter((route) => !isGuarded(route));

describe('the route table', () => {
  it('is the real one: it lists the app’s routes and each is registered', () => {
    const labels = t.routes.map(labelOf);
    expect(labels).toEqual(expect.arrayContaining(['POST /api/auth/login', 'POST /api/users/invite']));
    expect(guardedRoutes.length).toBeGreaterThan(15);
    expect(new Set(labels).size).toBe(labels.length);
    for (const route of t.routes) {
      expect(t.app.hasRoute({ method: route.method as 'GET', url: route.url }), labelOf(route)).toBe(true);
    }
  });

  it.each(t.routes.map((route) => [labelOf(route), route.access] as const))(
    '%s declares a known permission, or is public with a reason',
    (_, access) => {
      if ('public' in access) {
        expect(access.public).toBe(true);
        expect(access.reason.trim().length).toBeGreaterThan(3);
      } else {
        expect(Object.keys(permissions)).toContain(access.permission);
      }
    },
  );

  // Pins: a new endpoint shipped without any access declaration, i.e. open to the internet by omission.
  it('refuses to register a route without config.access', () => {
    const app = Fastify();
    const table = trackRoutes(app);
    app.get('/declared', { config: { access: { permission: 'users:read' } } }, async () => 'ok');
    expect(() => app.get('/forgotten', async () => 'open')).toThrow(/declares no access/);
    expect(() => app.post('/forgotten-too', { config: {} }, async () => 'open')).toThrow(/config\.access/);
    expect(table.map(labelOf)).toEqual(['GET /declared']);
  });
});

describe('without a cookie or a token', () => {
  // Pins: reaching a staff endpoint anonymously (forgotten guard, guard skipped for some method or path).
  it.each(guardedRoutes.map((route) => [labelOf(route), route] as const))(
    '%s answers 401 unauthenticated',
    async (_, route) => {
      const response = await callRoute(t, route);
      expectProblem(response, 401, 'unauthenticated');
    },
  );

  // Pins: a made-up or revoked-looking bearer token being taken for a principal.
  it.each(guardedRoutes.map((route) => [labelOf(route), route] as const))(
    '%s answers 401 to an unknown bearer token',
    async (_, route) => {
      const response = await callRoute(t, route, { authorization: `Bearer cnd_${'x'.repeat(43)}` });
      expectProblem(response, 401, 'unauthenticated');
    },
  );

  it('public routes stay reachable (no accidental guard on sign-in or health checks)', async () => {
    for (const route of publicRoutes) {
      const response = await callRoute(t, route);
      // Provider webhooks authenticate by their own signature: unsigned, they answer 401 themselves, but
      // never with the session guard's problem.
      if (route.url.startsWith('/api/hooks/')) {
        expect(response.statusCode, labelOf(route)).toBe(401);
        expect(response.body, labelOf(route)).not.toContain('unauthenticated');
        continue;
      }
      expect(response.statusCode, labelOf(route)).not.toBe(401);
      expect(response.statusCode, labelOf(route)).not.toBe(403);
    }
  });
});

interface MatrixCase {
  name: string;
  role: Role;
  route: GuardedRoute;
  isAllowed: boolean;
}

function casesFor(kind: string): MatrixCase[] {
  const credential = kind ? 'token' : 'session';
  return roles.flatMap((role) =>
    guardedRoutes.map((route) => {
      const isAllowed = canCredential(credential, role, route.access.permission);
      return {
        name: `${role}${kind} → ${labelOf(route)} is ${isAllowed ? 'allowed' : 'refused'}`,
        role,
        route,
        isAllowed,
      };
    }),
  );
}

async function checkCase(
  c: MatrixCase,
  credentials: Credentials,
  actorType: 'user' | 'api_token',
): Promise<void> {
  const response = await callRoute(t, c.route, credentials);
  if (!c.isAllowed) {
    await expectDeniedAndAudited(t, response, c.route.access.permission, actorType);
    return;
  }
  expectNotRefused(response);
  const requestId = response.headers['x-request-id'] as string;
  const denials = (await auditRowsFor(t, requestId)).filter((row) => row.action === 'access.denied');
  expect(denials).toEqual([]);
}

describe('each role with a signed-in session', () => {
  const users = {} as Record<Role, SignedInUser>;
  beforeAll(async () => {
    for (const role of roles) users[role] = await createSignedInUser(t, role);
  });

  it('every role has at least one refused route, except admin (the matrix is not vacuous)', () => {
    for (const role of roles) {
      const refused = guardedRoutes.filter((route) => !can(role, route.access.permission));
      expect(refused.length > 0, role).toBe(role !== 'admin');
    }
  });

  // Pins: privilege escalation by calling an endpoint the console merely hides from a role.
  for (const c of casesFor('')) {
    it(c.name, async () => {
      await checkCase(c, await openExtraSession(t, users[c.role]), 'user');
    });
  }
});

describe('each role with an API token', () => {
  const tokens = {} as Record<Role, Credentials>;
  beforeAll(async () => {
    const ownerId = await createTokenOwner(t);
    for (const role of roles) tokens[role] = await createBearerToken(t, role, ownerId);
  });

  // Pins: a narrowly scoped automation token used beyond its role (tokens carry their own role).
  for (const c of casesFor(' token')) {
    it(c.name, async () => {
      await checkCase(c, tokens[c.role], 'api_token');
    });
  }
});
