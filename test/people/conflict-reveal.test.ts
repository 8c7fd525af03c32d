import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictRevealDto, ConflictSummaryDto } from '../../src/shared/contracts/people.ts';
import { ok, problem } from '../incidents/helpers.ts';
import { importRows, type PeopleApiSetup, setupPeopleApi } from './people-api-helpers.ts';

let s: PeopleApiSetup;
let conflictId: string;
beforeAll(async () => {
  s = await setupPeopleApi();
  // Same email, two customer ids and two national ids: a conflict to decide.
  await importRows(
    s,
    'C100001,ann.lee@example.com,+12025550101,Ann Lee,536-22-1001,,US,CA',
    'C200002,ann.lee@example.com,,Anne Leigh,536-22-9999,,US,NY',
  );
  const list = ok<{ conflicts: ConflictSummaryDto[] }>(
    await s.responder.get(`/api/incidents/${s.incidentId}/conflicts`),
  );
  conflictId = list.conflicts[0]!.id;
});
afterAll(() => s?.t.close());

const conflicts = (client: PeopleApiSetup['agent']) => client.get(`/api/incidents/${s.incidentId}/conflicts`);

describe('conflict cards', () => {
  it('show both records’ identifiers masked to roles that may read personal data, audited', async () => {
    const response = await conflicts(s.responder);
    const [conflict] = ok<{ conflicts: ConflictSummaryDto[] }>(response).conflicts;
    expect(conflict).toMatchObject({ shared: 'email', differing: 'customer_id' });
    const sides = [conflict!.a.masked, conflict!.b.masked];
    expect(sides).toContainEqual({
      name: 'A••• L•••',
      email: 'a•••@example.com',
      phone: '•••• 0101',
      customerId: '•••01',
      nationalId: '•••1001',
      dateOfBirth: null,
      place: 'CA, US',
    });
    expect(sides.map((x) => x?.customerId).sort()).toEqual(['•••01', '•••02']);
    expect(response.body).not.toMatch(/ann\.lee|Anne|C100001|536-22|5550101/);
    const audit = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'people.conflicts_viewed')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('show no identifiers at all to roles without people:read_pii', async () => {
    for (const client of [s.agent, s.comms, s.auditor]) {
      const [conflict] = ok<{ conflicts: ConflictSummaryDto[] }>(await conflicts(client)).conflicts;
      expect(conflict!.a.masked).toBeUndefined();
      expect(conflict!.b.masked).toBeUndefined();
    }
  });

  it('reveal both records in full on request, uncached, audited with who and which fields', async () => {
    const response = await s.responder.post(`/api/conflicts/${conflictId}/reveal`, {});
    expect(response.headers['cache-control']).toBe('no-store');
    const revealed = ok<ConflictRevealDto>(response);
    const customerIds = [revealed.a.customerId, revealed.b.customerId].sort();
    expect(customerIds).toEqual(['C100001', 'C200002']);
    expect([revealed.a.email, revealed.b.email]).toEqual(['ann.lee@example.com', 'ann.lee@example.com']);
    expect([revealed.a.name, revealed.b.name].sort()).toEqual(['Ann Lee', 'Anne Leigh']);
    const row = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id', 'details'])
      .where('action', '=', 'people.conflict_revealed')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      actor_id: s.responderUser.id,
      target_id: conflictId,
      details: {
        incidentId: s.incidentId,
        fields: ['name', 'email', 'phone', 'customerId', 'nationalId', 'place'],
      },
    });
    expect(JSON.stringify(row)).not.toMatch(/ann\.lee|C100001|536-22/);
  });

  // Pins: an agent (or comms, an auditor) reading the raw identifiers of two records through the reveal.
  it('refuse the reveal to roles without people:read_pii, and answer not found for an unknown conflict', async () => {
    for (const client of [s.agent, s.comms, s.auditor]) {
      problem(await client.post(`/api/conflicts/${conflictId}/reveal`, {}), 403, 'forbidden');
    }
    problem(
      await s.legal.post('/api/conflicts/00000000-0000-4000-8000-000000000000/reveal', {}),
      404,
      'not_found',
    );
  });
});
