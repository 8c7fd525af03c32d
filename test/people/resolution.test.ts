import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPeopleHarness,
  csv,
  type PeopleHarness,
  peopleOf,
  personByEmail,
  testActor,
} from './helpers.ts';

let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

const conflictsOf = (incidentId: string) =>
  h.ctx.db
    .selectFrom('resolution_conflicts')
    .select(['id', 'shared', 'differing', 'status'])
    .where('incident_id', '=', incidentId)
    .execute();

describe('linking records into people', () => {
  it('merges records that share a customer id', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'crm.csv',
      csv('customer_id,email', 'K1,first.address@example.com', 'K1,second.address@example.com'),
    );
    expect(summary).toMatchObject({ accepted: 2, people: 1, newPeople: 1, conflicts: 0 });
    const person = await personByEmail(h, incident, 'second.address@example.com');
    expect(person.records).toBe(2);
  });

  it('merges records that share a national id, whatever its formatting', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'hr.csv',
      csv('ssn,email', '900-12-3456,one@example.com', '900 12 3456,two@example.com'),
    );
    expect(summary.people).toBe(1);
  });

  it('merges records that share a normalized email when no strong identifier conflicts', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'crm.csv',
      csv('customer_id,email', 'K1,ada@example.com', ',"  ADA@Example.COM "'),
    );
    expect(summary).toMatchObject({ accepted: 2, people: 1, conflicts: 0 });
  });

  it('links transitively: A–B by email and B–C by phone are one person', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'mixed.csv',
      csv(
        'email,phone,country',
        'a.chain@example.com,,US',
        'a.chain@example.com,(415) 555-0142,US',
        ',+1 415 555 0142,US',
        'someone.else@example.com,(415) 555-0143,US',
      ),
    );
    expect(summary).toMatchObject({ accepted: 4, people: 2 });
    const person = await personByEmail(h, incident, 'a.chain@example.com');
    expect(person.records).toBe(3);
    const byPhone = await h.population.find(
      incident,
      { kind: 'phone', value: '415-555-0142', defaultCountry: 'US' },
      { actor: testActor },
    );
    expect(byPhone.map((p) => p.id)).toEqual([person.id]);
  });

  // pins invariant 3: a shared family mailbox must not fuse two customers (one would be told the other's data)
  it('keeps apart records sharing an email but carrying different customer ids, and queues one conflict', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'crm.csv',
      csv('customer_id,email', 'K1,family@example.com', 'K2,family@example.com'),
    );
    expect(summary).toMatchObject({ accepted: 2, people: 2, conflicts: 1 });
    expect(await conflictsOf(incident)).toMatchObject([
      { shared: 'email', differing: 'customer_id', status: 'open' },
    ]);
    const found = await h.population.find(
      incident,
      { kind: 'email', value: 'family@example.com' },
      { actor: testActor },
    );
    expect(found).toHaveLength(2);
    expect((await h.population.stats(incident)).conflicts).toBe(1);
  });

  // pins invariant 3 for national ids, and that a chain through a linking identifier cannot bridge a conflict
  it('never joins different national ids, even through a chain of emails and phones', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'chain.csv',
      csv(
        'ssn,email,phone,country',
        '900-00-0001,bridge@example.com,,US',
        ',bridge@example.com,(415) 555-0177,US',
        '900-00-0002,,(415) 555-0177,US',
      ),
    );
    expect(summary).toMatchObject({ accepted: 3, people: 2 });
    expect(await conflictsOf(incident)).toMatchObject([{ differing: 'national_id', status: 'open' }]);
    expect((await personByEmail(h, incident, 'bridge@example.com')).records).toBe(2);
  });

  it('counts as conflicts the pairs it queues, even when both an email and a phone are shared', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'crm.csv',
      csv(
        'customer_id,email,phone,country',
        'K1,twin@example.com,(415) 555-0188,US',
        'K2,twin@example.com,(415) 555-0188,US',
      ),
    );
    const queued = await conflictsOf(incident);
    expect(queued).toHaveLength(1);
    expect(summary.people).toBe(2);
    expect((await h.population.stats(incident)).conflicts).toBe(1);
    expect(summary.conflicts, 'the import reports more conflicts than it queued for review').toBe(
      queued.length,
    );
  });
});

describe('merge decisions', () => {
  const mergeAll = (incidentId: string) =>
    h.ctx.db
      .updateTable('resolution_conflicts')
      .set({ status: 'merged', decided_by: 'population-test', decided_at: new Date() })
      .where('incident_id', '=', incidentId)
      .execute();

  it("a 'merged' decision joins the two sides at the next resolution", async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'crm.csv',
      csv('customer_id,email', 'K1,shared@example.com', 'K2,shared@example.com'),
    );
    expect((await peopleOf(h, incident)).length).toBe(2);
    await mergeAll(incident);
    const next = await h.importText(incident, 'more.csv', csv('email', 'unrelated@example.com'));
    expect(next.people).toBe(2);
    const merged = await personByEmail(h, incident, 'shared@example.com');
    expect(merged.records).toBe(2);
    const stats = await h.population.stats(incident);
    expect(stats).toMatchObject({ people: 2, records: 3, conflicts: 0 });
  });

  it("a 'merged' decision keeps together the records that share either side's customer id", async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'crm.csv',
      csv(
        'customer_id,email,phone,country',
        'K1,household@example.com,,US',
        'K2,household@example.com,,US',
        'K2,,(415) 555-0160,US',
      ),
    );
    expect((await peopleOf(h, incident)).map((p) => p.records).sort()).toEqual([1, 2]);
    expect(await conflictsOf(incident)).toHaveLength(1);
    await mergeAll(incident);
    await h.importText(incident, 'more.csv', csv('email', 'bystander@example.com'));
    const byK2 = await h.population.find(
      incident,
      { kind: 'customer_id', value: 'K2' },
      { actor: testActor },
    );
    expect(byK2).toHaveLength(1);
    expect(byK2[0]!.records).toBe(3);
    expect((await h.population.stats(incident)).people).toBe(2);
  });
});
