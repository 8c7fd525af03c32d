import { afterAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/server/platform/http/route-table.ts';
import { createTestApp } from '../support/app.ts';
import { labelOf } from './matrix-helpers.ts';

/**
 * Every JSON route under /api declares a response schema for its success answer, generated from the route
 * table the app builds: the schema is what filters an answer, so a route without one sends whatever its
 * handler returns (a sealed column, a hash, a field added to a row tomorrow). A route added later is covered
 * without anyone touching this file.
 */
const t = await createTestApp();
afterAll(() => t.close());

/** Not JSON: files, the API description itself. Each one says what it sends instead. */
const notJson: Record<string, string> = {
  'GET /api/audit/export': 'JSON lines download',
  'GET /api/imports/:id/issues.csv': 'CSV download',
  'GET /api/incidents/:id/obligations/report': 'PDF or JSON file download',
  'GET /api/incidents/:id/notice-site/preview': 'HTML page shown in the console preview frame',
  'GET /api/inbox/threads/:id/attachments/:attachmentId': 'file download',
  'GET /api/openapi.json': 'the OpenAPI document generated from the schemas',
};
/** Provider webhooks answer in the provider's own terms (Twilio's TwiML, a bare status). */
const isWebhook = (route: RouteEntry) => route.url.startsWith('/api/hooks/');

const apiRoutes = t.routes.filter((route) => route.url.startsWith('/api/'));
const hasSuccessSchema = (route: RouteEntry) => route.responses.some((code) => /^2(\d\d|xx)$/i.test(code));

describe('response schemas', () => {
  it('are read from the real route table', () => {
    expect(apiRoutes.length).toBeGreaterThan(50);
    expect(apiRoutes.filter(hasSuccessSchema).map(labelOf)).toEqual(
      expect.arrayContaining(['GET /api/users', 'GET /api/inbox/threads/:id']),
    );
  });

  // Pins: an endpoint returning a raw row (sealed payloads, blind indexes, token hashes) because nothing
  // filtered its answer.
  it.each(
    apiRoutes
      .filter((route) => !isWebhook(route) && !(labelOf(route) in notJson))
      .map((route) => [labelOf(route), route] as const),
  )('%s declares its 2xx answer', (label, route) => {
    expect(hasSuccessSchema(route), `${label} has no response schema for its success answer`).toBe(true);
  });

  it('lists only routes that exist', () => {
    const labels = new Set(t.routes.map(labelOf));
    for (const label of Object.keys(notJson)) expect(labels.has(label), label).toBe(true);
  });
});
