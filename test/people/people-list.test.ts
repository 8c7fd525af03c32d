import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeoplePageDto } from '../../src/shared/contracts/people.ts';
import { categories } from '../../src/shared/taxonomy.ts';
import { ok, problem } from '../incidents/helpers.ts';
import { importRows, type PeopleApiSetup, setupPeopleApi } from './people-api-helpers.ts';

let s: PeopleApiSetup;
beforeAll(async () => {
  s = await setupPeopleApi();
  // customer,email,phone,name,ssn,card,country,state
  await importRows(
    s,
    'C1,ann.lee@example.com,+12025550101,Ann Lee,536-22-1001,4111111111111111,US,CA',
    'C2,bob.ray@example.com,,Bob Ray,,,DE,',
    'C3,,+12025550103,Cy Cole,,,US,CA',
    'C4,dee@example.org,,Dee Dunn,,4111111111111111,US,NY',
    'C5,,,Eve Ekk,536-22-1005,,FR,',
    'C6,fay@example.com,,Fay Fox,,,DE,',
  );
});
afterAll(() => s?.t.close());

const list = (client: PeopleApiSetup['agent'], query: Record<string, string | number> = {}) =>
  client.get(
    `/api/incidents/${s.incidentId}/people?${new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString()}`,
  );

describe('the list of affected people', () => {
  it('pages by person number with a cursor, counts the total on the first page, and is never cached', async () => {
    const first = await list(s.responder, { limit: 4 });
    expect(first.headers['cache-control']).toBe('no-store');
    const page1 = ok<PeoplePageDto>(first);
    expect(page1.total).toBe(6);
    expect(page1.people).toHaveLength(4);
    expect(page1.nextAfter).toBe(page1.people[3]!.pn);
    const page2 = ok<PeoplePageDto>(await list(s.responder, { limit: 4, after: page1.nextAfter! }));
    expect(page2.total).toBeNull();
    expect(page2.people).toHaveLength(2);
    expect(page2.nextAfter).toBeNull();
    const pns = [...page1.people, ...page2.people].map((p) => p.pn);
    expect(pns).toEqual([...pns].sort((a, b) => a - b));
    expect(new Set(pns).size).toBe(6);
  });

  it('shows identifiers masked to roles that may read personal data, and no value in the clear', async () => {
    const response = await list(s.responder);
    const page = ok<PeoplePageDto>(response);
    const masked = page.people.map((p) => p.masked);
    expect(masked).toContainEqual({ email: 'a•••@example.com', phone: '•••• 0101' });
    expect(masked).toContainEqual({ email: null, phone: '•••• 0103' });
    expect(masked).toContainEqual({ email: 'd•••@example.org', phone: null });
    expect(response.body).not.toMatch(/ann\.lee|bob\.ray|5550101|Ann Lee|536-22/);
  });

  it('shows no identifiers, not even masked, to roles without people:read_pii', async () => {
    for (const client of [s.agent, s.comms, s.auditor]) {
      const page = ok<PeoplePageDto>(await list(client));
      expect(page.people).toHaveLength(6);
      expect(page.people.every((p) => p.masked === null)).toBe(true);
    }
  });

  it('filters by exposed category, jurisdiction, risk tier and reachability, alone and together', async () => {
    const emailsOf = async (query: Record<string, string>) => {
      const page = ok<PeoplePageDto>(await list(s.responder, query));
      expect(page.total).toBe(page.people.length);
      return page.people.map((p) => p.masked?.email ?? p.masked?.phone ?? `#${p.pn}`).sort();
    };
    expect(await emailsOf({ category: 'payment_card' })).toEqual(['a•••@example.com', 'd•••@example.org']);
    expect(await emailsOf({ jurisdiction: 'DE' })).toEqual(['b•••@example.com', 'f•••@example.com']);
    expect(await emailsOf({ risk: 'high' })).toHaveLength(3);
    expect(await emailsOf({ reach: 'phone' })).toEqual(['a•••@example.com', '•••• 0103']);
    expect(await emailsOf({ reach: 'none' })).toHaveLength(1);
    expect(await emailsOf({ category: 'payment_card', jurisdiction: 'US-NY' })).toEqual(['d•••@example.org']);
    expect(await emailsOf({ category: 'national_id', reach: 'email' })).toEqual(['a•••@example.com']);
    expect(await emailsOf({ category: 'biometric' })).toEqual([]);
  });

  it('finds people far along the person numbers when a filter is rare (past the index window)', async () => {
    const far = [70_000, 150_000];
    const bit = 1 << categories.indexOf('genetic');
    for (const pn of far) {
      await s.t.ctx.db
        .insertInto('people')
        .values({
          incident_id: s.incidentId,
          pn,
          categories: bit,
          risk_tier: 'high',
          jurisdiction: 'US-CA',
          reachable_email: false,
          reachable_phone: false,
          reachable_postal: false,
          record_count: 1,
        })
        .execute();
    }
    try {
      const page1 = ok<PeoplePageDto>(await list(s.agent, { category: 'genetic', limit: 1 }));
      expect(page1.people.map((p) => p.pn)).toEqual([70_000]);
      expect(page1.total).toBe(2);
      const page2 = ok<PeoplePageDto>(
        await list(s.agent, { category: 'genetic', limit: 1, after: page1.nextAfter! }),
      );
      expect(page2.people.map((p) => p.pn)).toEqual([150_000]);
      expect(page2.nextAfter).toBeNull();
      // Common filters still come in order across the window's edge.
      const all = ok<PeoplePageDto>(await list(s.agent, { risk: 'high', limit: 200 }));
      expect(all.people.map((p) => p.pn).slice(-2)).toEqual(far);
    } finally {
      await s.t.ctx.db.deleteFrom('people').where('pn', 'in', far).execute();
    }
  });

  it('audits every page view, with whether identifiers were shown, and no personal data', async () => {
    const before = await s.t.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'people.list_viewed')
      .executeTakeFirstOrThrow();
    ok(await list(s.responder, { jurisdiction: 'DE' }));
    ok(await list(s.agent, { jurisdiction: 'DE' }));
    const rows = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id', 'details'])
      .where('action', '=', 'people.list_viewed')
      .orderBy('seq')
      .execute();
    expect(rows.length).toBe(Number(before.n) + 2);
    expect(rows.at(-2)).toMatchObject({
      target_id: s.incidentId,
      details: { people: 2, identifiersShown: true, filters: ['jurisdiction'] },
    });
    expect(rows.at(-1)!.details).toMatchObject({ identifiersShown: false });
    expect(JSON.stringify(rows)).not.toMatch(/@example|•••/);
  });

  it('refuses a filter it does not know, with a clear error', async () => {
    problem(await list(s.responder, { category: 'shoe_size' }), 400, 'validation_failed');
    problem(await list(s.responder, { reach: 'pigeon' }), 400, 'validation_failed');
  });
});
