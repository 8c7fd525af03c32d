import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exposedCategoryMask,
  peopleByJurisdictionAndExposure,
  peopleCounts,
} from '../../src/server/modules/people/index.ts';
import { createPeopleHarness, type PeopleHarness } from './helpers.ts';

/**
 * Other modules read an incident's people as cells (people per jurisdiction and exposure) that each
 * resolution rewrites with the people, instead of counting millions of rows on every read (the minute's
 * deadline reminders did). The cells must agree with the people after every import and re-resolution.
 */
let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h?.close());

async function countedFromPeople(incidentId: string) {
  const rows = await sql<{ jurisdiction: string; categories: number; n: string }>`
    SELECT jurisdiction, categories, count(*)::text AS n FROM people WHERE incident_id = ${incidentId}::uuid
    GROUP BY jurisdiction, categories ORDER BY jurisdiction, categories`.execute(h.ctx.db);
  return rows.rows.map((r) => ({
    jurisdiction: r.jurisdiction,
    categories: r.categories,
    people: Number(r.n),
  }));
}

describe("an incident's cells", () => {
  it('agree with its people after each import, including one that merges people', async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'first.csv',
      'email,name,state,ssn\nann@example.com,Ann Lee,CA,536-22-1001\nbob@example.com,Bob Ray,NY,\n',
      {
        mapping: { email: 'email', name: 'full_name', state: 'region', ssn: 'national_id' },
        defaultCountry: 'US',
      },
    );
    expect(await peopleByJurisdictionAndExposure(h.ctx.db, incident)).toEqual(
      await countedFromPeople(incident),
    );
    expect((await peopleCounts(h.ctx.db, [incident])).get(incident)).toBe(2);

    // Ann again (merged into her person, now with a card too) and someone new in Texas.
    await h.importText(
      incident,
      'second.csv',
      'email,card,state\nann@example.com,4111 1111 1111 1111,CA\ncid@example.com,,TX\n',
      { mapping: { email: 'email', card: 'category:payment_card', state: 'region' }, defaultCountry: 'US' },
    );
    const cells = await peopleByJurisdictionAndExposure(h.ctx.db, incident);
    expect(cells).toEqual(await countedFromPeople(incident));
    expect(cells.reduce((sum, c) => sum + c.people, 0)).toBe(3);
    expect((await peopleCounts(h.ctx.db, [incident])).get(incident)).toBe(3);
    const [mask] = (
      await sql<{
        mask: number;
      }>`SELECT bit_or(categories) AS mask FROM people WHERE incident_id = ${incident}::uuid`.execute(
        h.ctx.db,
      )
    ).rows;
    expect(await exposedCategoryMask(h.ctx.db, incident)).toBe(Number(mask!.mask));
  });

  it('are empty for an incident without people', async () => {
    const incident = await h.createIncident();
    expect(await peopleByJurisdictionAndExposure(h.ctx.db, incident)).toEqual([]);
    expect((await peopleCounts(h.ctx.db, [incident])).has(incident)).toBe(false);
    expect(await exposedCategoryMask(h.ctx.db, incident)).toBeNull();
  });
});
