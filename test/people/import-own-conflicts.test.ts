import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeopleHarness, csv, type PeopleHarness } from './helpers.ts';

/**
 * An import's summary (CLI, API, audit, timeline) counts the conflicts that file brought, not the
 * incident's total: a clean second file used to report the first file's conflicts as its own.
 */
let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

describe('conflicts per import', () => {
  it('gives a clean second file 0 conflicts, while the incident keeps the first file’s one', async () => {
    const incident = await h.createIncident();
    const first = await h.importText(
      incident,
      'crm.csv',
      csv('customer_id,email', 'K1,family@example.com', 'K2,family@example.com'),
    );
    expect(first.conflicts).toBe(1);
    const second = await h.importText(
      incident,
      'orders.csv',
      csv('customer_id,email', 'K3,solo@example.com'),
    );
    expect(second.conflicts).toBe(0);
    expect((await h.population.stats(incident)).conflicts).toBe(1);

    const events = await h.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'import.completed')
      .where('details', '@>', JSON.stringify({ incidentId: incident }) as never)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => (e.details as { conflicts: number }).conflicts)).toEqual([1, 0]);
  });

  it('counts a conflict for the file that brought the clash', async () => {
    const incident = await h.createIncident();
    await h.importText(incident, 'crm.csv', csv('customer_id,email', 'K1,shared@example.com'));
    const later = await h.importText(incident, 'app.csv', csv('customer_id,email', 'K9,shared@example.com'));
    expect(later.conflicts).toBe(1);
  });
});
