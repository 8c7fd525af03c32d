import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeopleHarness, type PeopleHarness } from './helpers.ts';

/**
 * Each person's facts (exposure, risk, jurisdiction and whether it is disputed, locale, reachability, record
 * count) are folded in Node as the records stream past (resolve-save.ts), and record_people is rebuilt in a
 * fresh table swapped in for the incident's partition. Both must say exactly what the plain SQL over
 * record_people and source_records says, after a first import and after one that merges people.
 */
let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h?.close());

/** The facts as the SQL aggregation computes them: the reference the Node fold must match. */
async function factsBySql(incidentId: string) {
  const rows = await sql<Record<string, unknown>>`
    SELECT rp.pn, bit_or(s.categories) AS categories,
      coalesce((array_agg(coalesce(s.region, s.country) ORDER BY s.rn DESC)
        FILTER (WHERE s.country IS NOT NULL OR s.region IS NOT NULL))[1], 'unknown') AS jurisdiction,
      count(DISTINCT coalesce(s.region, s.country)) > 1 AS jurisdiction_disputed,
      (array_agg(s.locale ORDER BY s.rn DESC) FILTER (WHERE s.locale IS NOT NULL))[1] AS locale,
      bool_or(s.has_email) AS reachable_email, bool_or(s.has_phone) AS reachable_phone,
      bool_or(s.has_postal) AS reachable_postal, count(*)::int AS record_count
    FROM record_people rp JOIN source_records s ON s.incident_id = rp.incident_id AND s.rn = rp.rn
    WHERE rp.incident_id = ${incidentId}::uuid GROUP BY rp.pn ORDER BY rp.pn`.execute(h.ctx.db);
  return rows.rows;
}

async function factsStored(incidentId: string) {
  const rows = await sql<Record<string, unknown>>`
    SELECT pn, categories, jurisdiction, jurisdiction_disputed, locale, reachable_email, reachable_phone,
      reachable_postal, record_count
    FROM people WHERE incident_id = ${incidentId}::uuid ORDER BY pn`.execute(h.ctx.db);
  return rows.rows;
}

async function partitionIndexes(incidentId: string) {
  const name = `record_people_${incidentId.replace(/-/g, '')}`;
  const rows = await sql<{ indexdef: string }>`
    SELECT indexdef FROM pg_indexes WHERE tablename = ${name} ORDER BY indexdef`.execute(h.ctx.db);
  const attached = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_inherits WHERE inhrelid = to_regclass(${name})`.execute(h.ctx.db);
  return {
    indexes: rows.rows.map((r) => r.indexdef.replace(/^.* USING /, '')),
    attached: attached.rows[0]!.n,
  };
}

describe("people's facts", () => {
  it('match the SQL aggregation after a first import and after one that merges people', async () => {
    const incident = await h.createIncident();
    const mapping = {
      email: 'email',
      phone: 'phone',
      state: 'region',
      lang: 'locale',
      card: 'category:payment_card',
      street: 'address_line1',
      zip: 'postal_code',
    } as const;
    await h.importText(
      incident,
      'first.csv',
      [
        'email,phone,state,lang,card,street,zip',
        'ann@example.com,,CA,en-US,,1 Main St,94110',
        'ann@example.com,(415) 555-0101,NY,,,,',
        'bob@example.com,,TX,es,4111 1111 1111 1111,,',
        ',(212) 555-0199,,fr,,,',
        'cid@example.com,,,,,,',
      ].join('\n'),
      { mapping, defaultCountry: 'US' },
    );
    expect(await factsStored(incident)).toEqual(await factsBySql(incident));
    const first = await factsStored(incident);
    expect(first).toHaveLength(4);
    // Ann: two records, two states (disputed), the newer one's state, the only locale she gave.
    expect(first[0]).toMatchObject({
      jurisdiction: 'US-NY',
      jurisdiction_disputed: true,
      locale: 'en-US',
      reachable_email: true,
      reachable_phone: true,
      reachable_postal: true,
      record_count: 2,
    });
    expect(await partitionIndexes(incident)).toEqual({
      attached: 1,
      indexes: ['btree (incident_id, pn)', 'btree (incident_id, rn)'],
    });
    const rowsOf = async () =>
      (
        await sql<{ pn: number; id: string; created_at: Date; updated_at: Date }>`
          SELECT pn, id, created_at, updated_at FROM people WHERE incident_id = ${incident}::uuid ORDER BY pn`.execute(
          h.ctx.db,
        )
      ).rows;
    const before = await rowsOf();

    // The phone-only record and Bob are the same person by this file; Cid gains a record in Texas.
    await h.importText(
      incident,
      'second.csv',
      ['email,phone,state,lang', 'bob@example.com,(212) 555-0199,TX,', 'cid@example.com,,TX,de'].join('\n'),
      { mapping: { email: 'email', phone: 'phone', state: 'region', lang: 'locale' }, defaultCountry: 'US' },
    );
    const second = await factsStored(incident);
    expect(second).toEqual(await factsBySql(incident));
    expect(second).toHaveLength(3);
    expect(second.find((p) => p.record_count === 3)).toMatchObject({ locale: 'fr', jurisdiction: 'US-TX' });
    // Ann, untouched by the second file, is the same row: same id, created_at and updated_at. Bob keeps his
    // id (his number survived the merge) and his changed facts moved his updated_at.
    const after = await rowsOf();
    expect(after[0]).toEqual(before[0]);
    const bob = before.find((p) => p.pn === after[1]!.pn)!;
    expect(after[1]!.id).toBe(bob.id);
    expect(after[1]!.updated_at.getTime()).toBeGreaterThan(bob.updated_at.getTime());
    expect(await partitionIndexes(incident)).toEqual({
      attached: 1,
      indexes: ['btree (incident_id, pn)', 'btree (incident_id, rn)'],
    });
  });
});
