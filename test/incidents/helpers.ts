import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { IncidentDetail, TimelineEvent } from '../../src/shared/contracts/incidents.ts';
import { as, type SignedInUser, type TestApp } from '../support/app.ts';

/** A signed-in user's HTTP client on the test app (inject, cookie + CSRF). */
export function clientFor(t: TestApp, user: SignedInUser) {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: as(user),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: unknown = {}) => call('POST', url, payload),
    patch: (url: string, payload: unknown) => call('PATCH', url, payload),
    put: (url: string, payload: unknown) => call('PUT', url, payload),
  };
}
export type Client = ReturnType<typeof clientFor>;

/** The JSON body of a response that must have the given status (the body is shown when it does not). */
export function ok<T = unknown>(response: LightMyRequestResponse, status = 200): T {
  expect(response.statusCode, response.body).toBe(status);
  return response.json() as T;
}

export interface Problem {
  code: string;
  detail: string;
  fields?: Array<{ path: string; message: string }>;
}

export function problem(response: LightMyRequestResponse, status: number, code: string): Problem {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const body = response.json() as Problem;
  expect(body.code).toBe(code);
  return body;
}

export const isoDaysAgo = (days: number, from = Date.now()) =>
  new Date(from - days * 86_400_000).toISOString();

export async function createIncident(
  client: Client,
  body: Record<string, unknown> = {},
): Promise<{ id: string; status: string }> {
  return ok(await client.post('/api/incidents', { title: 'Test breach', awareAt: isoDaysAgo(1), ...body }));
}

export async function detailOf(client: Client, id: string): Promise<IncidentDetail> {
  return ok<IncidentDetail>(await client.get(`/api/incidents/${id}`));
}

export async function timelineOf(client: Client, id: string): Promise<TimelineEvent[]> {
  return ok<{ events: TimelineEvent[] }>(await client.get(`/api/incidents/${id}/timeline`)).events;
}

export async function auditRows(t: TestApp, action: string, targetId: string) {
  return t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'target_id', 'details', 'outcome'])
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
}
