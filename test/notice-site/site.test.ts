import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientFor, createIncident } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';
import { personalLinkIn, publishNotice, siteOutbox, submitForm } from './helpers.ts';
import { settleSiteMessages } from './more-helpers.ts';

/**
 * The public notice site end to end through HTTP: publication, "am I affected?" answering the same page
 * whatever was typed while the answer goes to the address itself, and the personal page it leads to.
 */
let t: TestApp;
let comms: Client;
let legal: Client;
let incidentId: string;
let slug: string;

beforeAll(async () => {
  t = await createTestApp();
  comms = clientFor(t, await createSignedInUser(t, 'comms'));
  legal = clientFor(t, await createSignedInUser(t, 'legal'));
  const responder = clientFor(t, await createSignedInUser(t, 'responder'));
  incidentId = (await createIncident(responder, { title: 'Shop breach' })).id;
  await importPeople(
    t,
    incidentId,
    csv(
      'email,phone,name,ssn,country,state',
      'ann.lee@example.com,+12025550101,Ann Lee,536-22-1001,US,CA',
      'bob@example.com,,Bob Ray,,US,NY',
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
  slug = await publishNotice(comms, legal, incidentId);
});
afterAll(async () => t?.close());

const lookup = (identifier: string) => submitForm(t, `/n/${slug}/lookup`, { identifier });
const withoutToken = (html: string) => html.replace(/name="form" value="[^"]+"/g, 'name="form" value=""');

describe('the public notice site', () => {
  it('serves the published notice with the standard headings', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/n/${slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toContain('public');
    for (const heading of [
      'What happened',
      'What information was involved',
      'What we are doing',
      'What you can do',
      'For more information',
    ]) {
      expect(page.body).toContain(heading);
    }
    const es = await t.app.inject({
      method: 'GET',
      url: `/n/${slug}`,
      headers: { 'accept-language': 'es-ES,es;q=0.9' },
    });
    expect(es.body).toContain('Qué ocurrió');
  });

  it('answers a lookup with the same page whatever was typed, and writes to the address itself', async () => {
    const affected = await lookup('Ann.Lee@example.com');
    const unaffected = await lookup('nobody@example.com');
    const malformed = await lookup('not an address');
    const phone = await lookup('+1 202 555 0199');
    expect(affected.statusCode).toBe(200);
    for (const other of [unaffected, malformed, phone]) {
      expect(other.statusCode).toBe(affected.statusCode);
      expect(withoutToken(other.body)).toBe(withoutToken(affected.body));
    }
    // The app's own sender may hold the queue's rows: settling waits for them too.
    await settleSiteMessages(t);
    const messages = await siteOutbox(legal, incidentId);
    const toAnn = messages.find((m) => m.to === 'ann.lee@example.com');
    const toNobody = messages.find((m) => m.to === 'nobody@example.com');
    expect(toAnn?.kind).toBe('lookup');
    expect(toNobody?.text).toContain('not among the affected records');
    expect(messages.some((m) => m.to.includes('555 0199') || m.to === '+12025550199')).toBe(false);

    const link = personalLinkIn(toAnn!.text);
    const open = await t.app.inject({ method: 'GET', url: link });
    expect(open.statusCode).toBe(303);
    expect(open.headers.location).toBe(`/n/${slug}/me`);
    const cookie = String(open.headers['set-cookie']).split(';')[0]!;
    const me = await t.app.inject({ method: 'GET', url: `/n/${slug}/me`, headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain('a•••@example.com');
    expect(me.body).not.toContain('ann.lee@example.com');
    expect(me.body).toContain('Social Security number');
  });
});
