import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/shared/permissions.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { expectProblem, nextClientIp } from './matrix-helpers.ts';

/** HTTP hygiene every response shares: security headers, problem bodies, limits, health and API docs. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function cspDirectives(response: LightMyRequestResponse): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectBrowserHardening(response: LightMyRequestResponse) {
  const csp = cspDirectives(response);
  // Pins clickjacking: no site may frame the console.
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  // Pins XSS escalation: only our own script files run; injected inline script or eval does not.
  expect(csp.get('script-src')).toEqual(["'self'"]);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  // Pins leaking setup-link or incident URLs to other sites through the Referer header.
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  // Pins MIME sniffing: an uploaded or echoed text body is never run as script.
  expect(response.headers['x-content-type-options']).toBe('nosniff');
}

describe('security headers', () => {
  it('are on API responses, successful or not, and HSTS is absent over http', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const refused = await t.app.inject({ method: 'GET', url: '/api/users' });
    expect(ok.statusCode).toBe(200);
    expect(refused.statusCode).toBe(401);
    for (const response of [ok, refused]) {
      expectBrowserHardening(response);
      // Over plain http a Strict-Transport-Security header would be meaningless or lock out a test install.
      expect(response.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('are on the console page served for deep links', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/incidents/42/timeline' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).not.toMatch(/problem/);
    expectBrowserHardening(page);
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('include HSTS when the public URL is https', async () => {
    const https = await createTestApp({ CANDOR_PUBLIC_URL: 'https://breach.example.com' });
    try {
      const response = await https.app.inject({ method: 'GET', url: '/api/openapi.json' });
      // Pins SSL stripping: after one visit, browsers refuse to reach the console over plain http.
      expect(response.headers['strict-transport-security']).toMatch(/max-age=(\d{8,}|3153[6-9]\d{3})/);
      expect(response.headers['strict-transport-security']).toMatch(/includeSubDomains/);
      expectBrowserHardening(response);
    } finally {
      await https.close();
    }
  });
});

describe('error responses', () => {
  it('refuse a body over CANDOR_BODY_LIMIT with 413 payload_too_large', async () => {
    const small = await createTestApp({ CANDOR_BODY_LIMIT: '2048' });
    try {
      const login = (password: string) =>
        small.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: nextClientIp(),
          payload: { email: 'someone@example.test', password },
        });
      // Pins memory exhaustion with huge JSON bodies on an unauthenticated endpoint.
      expectProblem(await login('x'.repeat(4096)), 413, 'payload_too_large');
      // Under the limit the same request reaches the handler, so the limit is not refusing everything.
      expectProblem(await login('x'.repeat(1000)), 401, 'invalid_credentials');
    } finally {
      await small.close();
    }
  });

  it('answer malformed JSON with 400 bad_request', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: nextClientIp(),
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@example.test", "password": ',
    });
    expectProblem(response, 400, 'bad_request');
  });

  it('answer a schema violation with 400 validation_failed and the offending fields', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: nextClientIp(),
      payload: { email: 'not-an-email', password: 'irrelevant' },
    });
    const problem = expectProblem(response, 400, 'validation_failed');
    expect(problem.fields).toEqual([{ path: 'body.email', message: expect.any(String) }]);
    expect(problem.detail).toContain('body.email');
  });

  it('answer an unknown /api route with 404 problem, never the console page', async () => {
    for (const [method, url] of [
      ['GET', '/api/no-such-thing'],
      ['GET', '/api'],
      ['POST', '/api/users/everyone/delete'],
    ] as const) {
      const response = await t.app.inject({ method, url });
      const problem = expectProblem(response, 404, 'not_found');
      expect(problem.detail).toContain(url);
    }
  });

  it('carry a distinct request id per request, echoed in x-request-id', async () => {
    const first = expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/users' }),
      401,
      'unauthenticated',
    );
    const second = expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/users' }),
      401,
      'unauthenticated',
    );
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.requestId).not.toBe(first.requestId);
  });
});

describe('rate limit on sign-in', () => {
  // Pins password spraying from one address: many accounts, a few guesses each, under the per-account lockout.
  it('answers the 11th sign-in within a minute from one address with 429 rate_limited', async () => {
    const attacker = '203.0.113.7';
    const attempt = (n: number, remoteAddress = attacker) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { email: `victim-${n}@example.test`, password: 'Winter2026!' },
      });
    for (let n = 1; n <= 10; n++) expectProblem(await attempt(n), 401, 'invalid_credentials');
    const blocked = await attempt(11);
    expectProblem(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await attempt(12, nextClientIp()), 401, 'invalid_credentials');
  });
});

describe('health and API description', () => {
  it('GET /healthz answers 200 ok without credentials', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports a reachable, fully migrated database', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'reachable', pendingMigrations: [] });
  });

  it('GET /api/openapi.json is public and describes the API from the Zod contracts', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    const login = doc.paths['/api/auth/login']?.post;
    const loginBody = login?.requestBody?.content?.['application/json']?.schema;
    expect(loginBody?.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(loginBody?.properties?.email?.maxLength).toBe(254);
    expect(doc.paths['/api/users']?.get).toBeDefined();
    const invite = doc.paths['/api/users/invite']?.post?.requestBody?.content?.['application/json']?.schema;
    expect(invite?.properties?.role?.enum).toEqual([...roles]);
    const paths = Object.keys(doc.paths);
    expect(paths).not.toContain('/healthz');
    expect(paths).not.toContain('/readyz');
    expect(paths.every((path) => path.startsWith('/api/'))).toBe(true);
  });
});
