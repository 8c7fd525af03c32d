import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAR_SITE_DATA } from '../../src/server/platform/http/security-headers.ts';
import { clientFor, ok } from '../incidents/helpers.ts';
import { submitForm } from '../notice-site/helpers.ts';
import { ann, createSite, personIdOf, type Site } from '../notice-site/more-helpers.ts';
import { createSignedInUser, type SignedInUser } from '../support/app.ts';
import { callRoute, concretePath, labelOf, nextClientIp, openExtraSession } from './matrix-helpers.ts';

/**
 * Headers every response must carry, checked over the whole route table so a new route cannot forget them:
 * - Cache-Control: no-store on every /api answer. Attack pinned: an API answer with personal data (an inbox
 *   thread, a person's exposure) kept by the browser's disk cache or a shared proxy, and read back by the
 *   next person at a shared computer or from the proxy, after the agent signed out.
 * - Permissions-Policy denying camera, microphone, geolocation, payment, USB… on every response. Attack
 *   pinned: injected script (or a framed page) asking for the device or payment features in our origin.
 * - Clear-Site-Data on staff sign-out. Attack pinned: a signed-out console leaving cached API answers,
 *   cookies and local storage behind on a shared computer.
 * - No 'unsafe-inline' styles on the public notice site. Attack pinned: markup injected into a public page
 *   restyling it (a fake form on top, text hidden) where only escaping stood in the way.
 */
let site: Site;
let admin: SignedInUser;
beforeAll(async () => {
  site = await createSite();
  admin = await createSignedInUser(site.t, 'admin');
});
afterAll(async () => site?.t.close());

const expectNoStore = (response: LightMyRequestResponse, label: string) =>
  expect(response.headers['cache-control'], `${label} → ${response.statusCode}`).toBe('no-store');

const deniedFeatures = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'bluetooth'];
function expectPermissionsPolicy(response: LightMyRequestResponse, label: string) {
  const policy = String(response.headers['permissions-policy'] ?? '');
  for (const feature of deniedFeatures) expect(policy, label).toContain(`${feature}=()`);
}

function styleSrc(response: LightMyRequestResponse): string[] {
  const csp = String(response.headers['content-security-policy'] ?? '');
  const directive = csp.split(';').find((d) => d.trim().startsWith('style-src'));
  return directive ? directive.trim().split(/\s+/).slice(1) : [];
}

describe('Cache-Control on the API', () => {
  const apiRoutes = () => site.t.routes.filter((r) => r.url === '/api' || r.url.startsWith('/api/'));

  it('is no-store on every /api route of the route table, refused or not', async () => {
    expect(apiRoutes().length).toBeGreaterThan(50);
    for (const route of apiRoutes()) {
      const response = await callRoute(site.t, route);
      expectNoStore(response, labelOf(route));
      expectPermissionsPolicy(response, labelOf(route));
    }
  });

  it('is no-store on every GET an admin makes, on this incident and on records that do not exist', async () => {
    for (const route of apiRoutes().filter((r) => r.method === 'GET')) {
      const url = route.url.startsWith('/api/incidents/:id')
        ? concretePath(route.url.replace(':id', site.incidentId))
        : concretePath(route.url);
      const response = await site.t.app.inject({
        method: 'GET',
        url,
        headers: await openExtraSession(site.t, admin),
        remoteAddress: nextClientIp(),
      });
      expectNoStore(response, `GET ${url}`);
    }
  });

  it('is no-store on a person and on an inbox thread, the answers that carry personal data', async () => {
    const client = clientFor(site.t, admin);
    const personId = await personIdOf(site.t, site.incidentId, ann.email);
    const person = await client.get(`/api/incidents/${site.incidentId}/people/${personId}`);
    expect(person.statusCode, person.body).toBe(200);
    expectNoStore(person, 'person');

    await submitForm(site.t, `/n/${site.slug}/contact`, {
      name: 'Ann',
      email: ann.email,
      message: 'Was my card number in it?',
    });
    const list = ok<{ threads: Array<{ id: string }> }>(await client.get('/api/inbox/threads'));
    expect(list.threads.length).toBeGreaterThan(0);
    expectNoStore(await client.get('/api/inbox/threads'), 'thread list');
    const thread = await client.get(`/api/inbox/threads/${list.threads[0]!.id}`);
    expect(thread.statusCode, thread.body).toBe(200);
    expectNoStore(thread, 'thread');
  });

  it('is no-store for an /api address that does not exist', async () => {
    expectNoStore(await site.t.app.inject({ method: 'GET', url: '/api/no-such-thing' }), '/api 404');
  });
});

describe('Permissions-Policy', () => {
  it('is on console pages, public notice pages, feeds and errors too', async () => {
    for (const url of ['/', '/incidents/42', `/n/${site.slug}`, `/n/${site.slug}/feed.atom`, '/n/nope']) {
      expectPermissionsPolicy(await site.t.app.inject({ method: 'GET', url }), url);
    }
  });
});

describe('Clear-Site-Data on staff sign-out', () => {
  it.each(['/api/auth/logout', '/api/auth/logout-all'])('is sent by %s', async (url) => {
    const user = await createSignedInUser(site.t, 'agent');
    const response = await site.t.app.inject({
      method: 'POST',
      url,
      headers: await openExtraSession(site.t, user),
      remoteAddress: nextClientIp(),
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(response.headers['clear-site-data']).toBe(CLEAR_SITE_DATA);
    expect(CLEAR_SITE_DATA).toBe('"cache", "cookies", "storage"');
  });

  it('is not sent by other answers (it would sign people out of the notice site as well)', async () => {
    const session = await site.t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: await openExtraSession(site.t, admin),
    });
    expect(session.statusCode).toBe(200);
    expect(session.headers['clear-site-data']).toBeUndefined();
  });
});

describe('inline styles', () => {
  it('are not allowed on the public notice site, which needs none', async () => {
    for (const path of ['', '/lookup', '/verify', '/contact', '/subscribe']) {
      const url = `/n/${site.slug}${path}`;
      const page = await site.t.app.inject({ method: 'GET', url, remoteAddress: nextClientIp() });
      expect(page.statusCode, url).toBe(200);
      expect(styleSrc(page), url).toEqual(["'self'"]);
      expect(page.body, url).not.toMatch(/<style|\sstyle=/i);
      const sheet = /<link rel="stylesheet" href="([^"]+)">/.exec(page.body)?.[1];
      expect(sheet, url).toMatch(/^\/n\/_assets\/site\.[0-9a-f]{10}\.1f5fbf\.css$/);
    }
    const notFound = await site.t.app.inject({ method: 'GET', url: '/n/no-such-notice' });
    expect(styleSrc(notFound)).toEqual(["'self'"]);
    expect(notFound.body).not.toMatch(/<style|\sstyle=/i);
  });

  it('come from a cacheable stylesheet carrying the brand colour', async () => {
    const page = await site.t.app.inject({ method: 'GET', url: `/n/${site.slug}` });
    const sheet = /<link rel="stylesheet" href="([^"]+)">/.exec(page.body)![1]!;
    const css = await site.t.app.inject({ method: 'GET', url: sheet });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('immutable');
    expect(css.body).toContain('--brand:#1f5fbf');
    const red = await site.t.app.inject({ method: 'GET', url: sheet.replace('1f5fbf', 'aa0000') });
    expect(red.body).toContain('--brand:#aa0000');
    for (const bad of [
      'site.css',
      sheet.replace('1f5fbf', 'zz0000').split('/').pop()!,
      'x.0123456789.1f5fbf.css',
    ]) {
      expect((await site.t.app.inject({ method: 'GET', url: `/n/_assets/${bad}` })).statusCode, bad).toBe(
        404,
      );
    }
  });

  it('are still allowed for the console, whose component library sets style attributes at runtime', async () => {
    const console = await site.t.app.inject({ method: 'GET', url: '/incidents/42' });
    expect(styleSrc(console)).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe('the full set of security headers', () => {
  // Pins every header a browser hardens itself with (what Helmet used to send): a change in how they are
  // computed (once at start, for speed) must not drop one from any kind of answer.
  const expected = (styleSrc: string) => ({
    'content-security-policy': `default-src 'self';script-src 'self';style-src ${styleSrc};img-src 'self' data:;font-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'`,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  });
  const pick = (response: LightMyRequestResponse) =>
    Object.fromEntries(Object.keys(expected('')).map((name) => [name, response.headers[name]]));

  it('is on the notice page (also when revalidated), its forms, feed and 404, the API and the console', async () => {
    const notice = await site.t.app.inject({ method: 'GET', url: `/n/${site.slug}` });
    const revalidated = await site.t.app.inject({
      method: 'GET',
      url: `/n/${site.slug}`,
      headers: { 'if-none-match': String(notice.headers.etag) },
    });
    expect(revalidated.statusCode).toBe(304);
    const serverRendered = {
      notice,
      revalidated,
      lookup: await site.t.app.inject({
        method: 'GET',
        url: `/n/${site.slug}/lookup`,
        remoteAddress: nextClientIp(),
      }),
      feed: await site.t.app.inject({ method: 'GET', url: `/n/${site.slug}/feed.atom` }),
      missing: await site.t.app.inject({ method: 'GET', url: '/n/no-such-notice' }),
      piiInUrl: await site.t.app.inject({ method: 'GET', url: `/n/${site.slug}?email=a@example.com` }),
      api: await site.t.app.inject({ method: 'GET', url: '/api/openapi.json' }),
      refused: await site.t.app.inject({ method: 'GET', url: '/api/users' }),
    };
    for (const [label, response] of Object.entries(serverRendered)) {
      expect(pick(response), label).toEqual(expected("'self'"));
      expectPermissionsPolicy(response, label);
      expect(response.headers['strict-transport-security'], label).toBeUndefined();
    }
    const console = await site.t.app.inject({ method: 'GET', url: '/incidents/42' });
    expect(pick(console)).toEqual(expected("'self' 'unsafe-inline'"));
  });
});
