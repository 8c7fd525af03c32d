import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { findPersonPn } from '../../src/server/modules/people/index.ts';
import { type Client, clientFor, createIncident, ok } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';
import { publishNotice, submitForm } from './helpers.ts';
import { drainSiteMessages } from './messenger.ts';

/**
 * More of what the notice-site tests share: a published site with two affected people, raw form posts
 * from chosen addresses, waiting for the site's sender to settle, and reads of what the site stored.
 */

/** The affected people every site here starts with. */
export const ann = {
  email: 'ann.lee@example.com',
  phone: '+12025550101',
  name: 'Ann Lee',
  ssn: '536-22-1001',
};
export const bob = { email: 'bob@example.com', name: 'Bob Ray' };

export interface Site {
  t: TestApp;
  comms: Client;
  legal: Client;
  responder: Client;
  admin: Client;
  incidentId: string;
  slug: string;
}

/** A test app with an incident, its affected people imported and its notice published. */
export async function createSite(
  env: Record<string, string> = {},
  options: { publish?: boolean } = {},
): Promise<Site> {
  const t = await createTestApp(env);
  const [comms, legal, responder, admin] = await Promise.all(
    (['comms', 'legal', 'responder', 'admin'] as const).map(async (role) =>
      clientFor(t, await createSignedInUser(t, role)),
    ),
  );
  const incidentId = (await createIncident(responder!, { title: 'Shop breach' })).id;
  await importAffected(t, incidentId);
  const slug =
    options.publish === false
      ? ok<{ slug: string }>(await comms!.get(`/api/incidents/${incidentId}/notice-site`)).slug
      : await publishNotice(comms!, legal!, incidentId);
  return { t, comms: comms!, legal: legal!, responder: responder!, admin: admin!, incidentId, slug };
}

export async function importAffected(t: TestApp, incidentId: string): Promise<void> {
  await importPeople(
    t,
    incidentId,
    csv(
      'email,phone,name,ssn,country,state',
      `${ann.email},${ann.phone},${ann.name},${ann.ssn},US,CA`,
      `${bob.email},,${bob.name},,US,NY`,
    ),
    {
      email: 'email',
      phone: 'phone',
      name: 'full_name',
      ssn: 'national_id',
      country: 'country',
      state: 'region',
    },
  );
}

let ipCounter = 0;
/** A client address in a network (/24) no other call returned, so rate limits of one test touch no other. */
export function freshIp(): string {
  ipCounter += 1;
  return `100.${64 + Math.floor(ipCounter / 250)}.${ipCounter % 250}.9`;
}

/** POSTs a form as a browser would (urlencoded), with no GET before it. */
export function postForm(
  t: TestApp,
  url: string,
  fields: Record<string, string>,
  options: { ip?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: options.ip ?? freshIp(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    payload: new URLSearchParams(fields).toString(),
  });
}

export function getPage(
  t: TestApp,
  url: string,
  options: { ip?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'GET',
    url,
    remoteAddress: options.ip ?? freshIp(),
    headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
  });
}

/** "Am I affected?" from a fresh address (or the one given). */
export function lookup(site: Site, identifier: string, ip = freshIp()): Promise<LightMyRequestResponse> {
  return submitForm(site.t, `/n/${site.slug}/lookup`, { identifier }, { ip });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The form token of the form posting to `action` (pages with several forms). */
export function formTokenFor(html: string, action: string): string {
  const match = new RegExp(
    `action="${escapeRe(action)}"[^>]*>\\s*<input type="hidden" name="form" value="([^"]+)"`,
  ).exec(html);
  if (!match) throw new Error(`no form posting to ${action}`);
  return match[1]!;
}

/** The page with every per-request form token blanked: what must be byte-identical across answers. */
export const withoutFormTokens = (html: string) =>
  html.replace(/name="form" value="[^"]*"/g, 'name="form" value=""');

/** Every Set-Cookie of a response. */
export function setCookies(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  return Array.isArray(header) ? header : header ? [header] : [];
}

/** `name=value` of the cookie a response sets, for the next request's Cookie header. */
export function cookieFrom(response: LightMyRequestResponse, name = 'candor_me'): string {
  const found = setCookies(response).find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`the response sets no ${name} cookie`);
  return found.split(';')[0]!;
}

/**
 * Sends everything the site enqueued and waits for the app's own sender (kicked by the request) to finish
 * what it claimed, so the outbox holds every message due now.
 */
export async function settleSiteMessages(t: TestApp): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await drainSiteMessages(t);
    const busy = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM outbound_messages
      WHERE state = 'pending' AND (next_attempt_at <= now() OR lease_until > now())`.execute(t.ctx.db);
    if (Number(busy.rows[0]!.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('site messages did not settle');
}

/** The site's queue of messages of an incident, oldest first. */
export async function queuedMessages(t: TestApp, incidentId: string) {
  return t.ctx.db
    .selectFrom('outbound_messages')
    .select(['id', 'kind', 'state', 'outcome'])
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
}

export async function queuedCount(t: TestApp, incidentId: string): Promise<number> {
  return (await queuedMessages(t, incidentId)).length;
}

/** The `people.id` of the affected person with that email (audit rows name people by it). */
export async function personIdOf(t: TestApp, incidentId: string, email: string): Promise<string> {
  const pn = await findPersonPn(t.ctx.db, t.ctx.crypto, incidentId, { email });
  if (pn === null) throw new Error('no such person');
  const row = await t.ctx.db
    .selectFrom('people')
    .select('id')
    .where('incident_id', '=', incidentId)
    .where('pn', '=', pn)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function pnOf(t: TestApp, incidentId: string, email: string): Promise<number> {
  const pn = await findPersonPn(t.ctx.db, t.ctx.crypto, incidentId, { email });
  if (pn === null) throw new Error('no such person');
  return pn;
}

/** A delivery of some campaign of the incident, as the delivery engine leaves it (the code printed on it). */
export async function insertDelivery(
  t: TestApp,
  incidentId: string,
  pn: number,
  verificationCode: string,
  state: 'pending' | 'sent' | 'delivered' | 'failed' = 'sent',
): Promise<void> {
  const campaignId = randomUUID();
  await sql`
    INSERT INTO deliveries (incident_id, campaign_id, pn, channel, step, state, message_id, verification_code, sent_at)
    VALUES (${incidentId}::uuid, ${campaignId}::uuid, ${pn}, 'email', 0, ${state},
            ${`<${campaignId}.${pn}.email@test>`}, ${verificationCode}, ${state === 'pending' ? null : new Date()})`.execute(
    t.ctx.db,
  );
}

/** Totals of the staff stats. */
export async function statsOf(client: Client, incidentId: string) {
  return ok<{
    totals: Record<string, number>;
    subscriptions: { pending: number; confirmed: number; unsubscribed: number };
    feedback: { count: number; average: number | null; distribution: number[] };
    messages: { pending: number; sent: number; failed: number; skipped: number };
  }>(await client.get(`/api/incidents/${incidentId}/notice-site/stats`));
}

/** Visible text of an HTML page (tags dropped, entities for the characters the site escapes decoded). */
export function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
