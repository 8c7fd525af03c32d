import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../incidents/helpers.ts';
import { importRows, type PeopleApiSetup, setupPeopleApi } from './people-api-helpers.ts';

let s: PeopleApiSetup;
beforeAll(async () => {
  s = await setupPeopleApi();
  await importRows(
    s,
    'C1,ann.lee@example.com,+12025550101,Ann Lee,536-22-1001,4111111111111111,US,CA',
    'C2,bob.ray@example.com,,Bob Ray,,,DE,',
  );
});
afterAll(() => s?.t.close());

const find = (client: PeopleApiSetup['agent'], value: string, kind = 'email') =>
  client.post(`/api/incidents/${s.incidentId}/people/find`, { kind, value });

describe('people search and "verify before disclosure"', () => {
  // Pins: an agent bypassing the inbox's verification step by typing a requester's email (or phone) into
  // the people search and reading what leaked about them (categories, risk, jurisdiction) unverified.
  it('tells an agent only whether someone matched, never what leaked', async () => {
    for (const [value, kind] of [
      ['ANN.LEE@example.com', 'email'],
      ['(202) 555-0101', 'phone'],
    ] as const) {
      const response = await s.agent.post(`/api/incidents/${s.incidentId}/people/find`, {
        kind,
        value,
        defaultCountry: 'US',
      });
      const body = ok<Record<string, unknown>>(response);
      expect(body).toEqual({ people: [], affected: true, isLimited: true });
      for (const leaked of ['payment_card', 'national_id', 'US-CA', 'high', 'riskTier', 'categories']) {
        expect(response.body).not.toContain(leaked);
      }
    }
    expect(ok(await find(s.agent, 'nobody@example.com'))).toEqual({
      people: [],
      affected: false,
      isLimited: true,
    });
  });

  it('answers the same limited way to other roles without people:read_pii (comms, auditor)', async () => {
    for (const client of [s.comms, s.auditor]) {
      expect(ok(await find(client, 'ann.lee@example.com'))).toEqual({
        people: [],
        affected: true,
        isLimited: true,
      });
    }
  });

  it('still shows the matched people to roles that may read personal data', async () => {
    for (const client of [s.responder, s.legal]) {
      const body = ok<{ people: Array<{ categories: string[] }>; affected: boolean; isLimited: boolean }>(
        await find(client, 'ann.lee@example.com'),
      );
      expect(body.isLimited).toBe(false);
      expect(body.affected).toBe(true);
      expect(body.people).toHaveLength(1);
      expect(body.people[0]!.categories).toContain('payment_card');
    }
  });

  it('audits every search, saying whether exposure was shown, never the value searched', async () => {
    const rows = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'people.searched')
      .orderBy('seq')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const limited = rows.filter((r) => (r.details as { exposureShown?: boolean }).exposureShown === false);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(rows)).not.toMatch(/ann\.lee|5550101|nobody/i);
  });
});
