import type pg from 'pg';
import { riskTierOf } from '../../../shared/taxonomy.ts';
import { copyIn, copyNull, copyOut, copyText } from './copy.ts';

/**
 * The end of a resolution: every record's person number written to the incident's `record_people`, and
 * every person's facts (exposure, jurisdiction, locale, reachability, record count) aggregated in the same
 * single pass over the incident's records and written to `people`.
 *
 * Why this shape (issue 21, measured on 300k records): the aggregation used to be a join of record_people
 * and source_records grouped by person in SQL (1.3 s), and record_people was deleted and re-filled through
 * its two indexes (2–4 s: random inserts into the person index). Now Node, which already knows each
 * record's person, folds each record into its person's typed-array slots as the records stream past, and
 * record_people is filled into a fresh table by COPY, indexed once, and swapped in for the incident's
 * partition (0.8 s), inside the resolution's transaction: readers see the old mapping until it commits.
 * The people are written the same way (their upsert through four indexes took 4.3 s).
 */
const EMAIL = 1;
const PHONE = 2;
const POSTAL = 4;

export interface ResolvedRecords {
  incidentId: string;
  /** `incident_id = '<uuid>'`, validated. */
  where: string;
  /** The record's slot (see resolve.ts), or undefined for a record of no attached import. */
  slotOf(rn: number): number | undefined;
  /** The person number of the record in `slot`. */
  personOf(slot: number): number;
  /** The highest person number given. */
  maxPn: number;
}

/** Small dictionaries for the few hundred distinct jurisdictions and locales: people hold their index. */
class Dictionary {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [''];
  id(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }
}

export async function savePeople(
  read: pg.PoolClient,
  write: pg.PoolClient,
  resolved: ResolvedRecords,
): Promise<void> {
  const { incidentId, where } = resolved;
  const size = resolved.maxPn + 1;
  const categories = new Int32Array(size);
  const jurisdiction = new Int32Array(size);
  /** 1 + the slot of the record the jurisdiction came from: the newest record with one wins. */
  const jurisdictionFrom = new Int32Array(size);
  const isDisputed = new Uint8Array(size);
  const locale = new Int32Array(size);
  const localeFrom = new Int32Array(size);
  const reach = new Uint8Array(size);
  const records = new Int32Array(size);
  const jurisdictions = new Dictionary();
  const locales = new Dictionary();

  const fresh = `rpn_${incidentId.replace(/-/g, '')}`;
  await write.query(`DROP TABLE IF EXISTS ${fresh}`);
  // Columns spelled out, not LIKE record_people: LIKE would hold a lock on the parent until commit, and
  // two resolutions doing so would deadlock at their swaps.
  await write.query(
    `CREATE TABLE ${fresh} (incident_id uuid NOT NULL, rn bigint NOT NULL, pn integer NOT NULL)`,
  );

  const lines = async function* () {
    for await (const line of copyOut(
      read,
      `SELECT rn, categories, coalesce(region, country), locale, has_email, has_phone, has_postal
       FROM source_records WHERE ${where}`,
    )) {
      const [rnText, categoryText, place, lang, hasEmail, hasPhone, hasPostal] = line.split('\t') as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const slot = resolved.slotOf(Number(rnText));
      if (slot === undefined)
        throw new Error(`record ${rnText} belongs to no attached import of this incident`);
      const pn = resolved.personOf(slot);
      categories[pn]! |= Number(categoryText);
      if (place !== copyNull) {
        const id = jurisdictions.id(place);
        if (jurisdiction[pn] !== 0 && jurisdiction[pn] !== id) isDisputed[pn] = 1;
        if (slot + 1 > jurisdictionFrom[pn]!) {
          jurisdiction[pn] = id;
          jurisdictionFrom[pn] = slot + 1;
        }
      }
      if (lang !== copyNull && slot + 1 > localeFrom[pn]!) {
        locale[pn] = locales.id(lang);
        localeFrom[pn] = slot + 1;
      }
      reach[pn]! |=
        (hasEmail === 't' ? EMAIL : 0) | (hasPhone === 't' ? PHONE : 0) | (hasPostal === 't' ? POSTAL : 0);
      records[pn]!++;
      yield `${incidentId}\t${rnText}\t${pn}`;
    }
  };
  await copyIn(write, `COPY ${fresh} (incident_id, rn, pn) FROM STDIN`, lines());
  await write.query(`ALTER TABLE ${fresh} ADD CONSTRAINT ${fresh}_pkey PRIMARY KEY (incident_id, rn)`);
  await write.query(`CREATE INDEX ${fresh}_pn ON ${fresh} (incident_id, pn)`);
  // Lets ATTACH skip scanning the table to prove every row belongs to the incident.
  await write.query(
    `ALTER TABLE ${fresh} ADD CONSTRAINT ${fresh}_incident CHECK (incident_id = '${incidentId}')`,
  );
  await write.query(`ANALYZE ${fresh}`);

  await write.query(
    `CREATE TEMP TABLE people_next (pn integer, categories integer, risk_tier text, jurisdiction text,
       jurisdiction_disputed boolean, locale text, reachable_email boolean, reachable_phone boolean,
       reachable_postal boolean, record_count integer) ON COMMIT DROP`,
  );
  await copyIn(
    write,
    'COPY people_next FROM STDIN',
    (function* () {
      for (let pn = 1; pn < size; pn++) {
        if (records[pn] === 0) continue;
        const mask = categories[pn]!;
        const tier = riskTierOf(mask);
        const place = jurisdiction[pn] ? jurisdictions.values[jurisdiction[pn]!]! : 'unknown';
        const lang = locale[pn] ? copyText(locales.values[locale[pn]!]!) : copyNull;
        const flags = reach[pn]!;
        yield `${pn}\t${mask}\t${tier}\t${copyText(place)}\t${isDisputed[pn] ? 't' : 'f'}\t${lang}\t${flags & EMAIL ? 't' : 'f'}\t${flags & PHONE ? 't' : 'f'}\t${flags & POSTAL ? 't' : 'f'}\t${records[pn]}`;
      }
    })(),
  );
  // The people, built the same way: a fresh table filled in one statement and indexed once (upserting
  // 155k people through four indexes took 4.3 s; this takes well under one). A person who was already there
  // keeps their id and created_at, and their updated_at unless a fact changed. (The old people are read from
  // the incident's partition, not the parent table: a lock on the parent held until commit would deadlock
  // two resolutions at their swaps.)
  const people = `ppn_${incidentId.replace(/-/g, '')}`;
  await write.query(`DROP TABLE IF EXISTS ${people}`);
  await write.query(
    `CREATE TABLE ${people} (
       id uuid NOT NULL DEFAULT gen_random_uuid(), incident_id uuid NOT NULL, pn integer NOT NULL,
       categories integer NOT NULL, risk_tier text NOT NULL, jurisdiction text NOT NULL,
       jurisdiction_disputed boolean NOT NULL DEFAULT false, locale text, reachable_email boolean NOT NULL,
       reachable_phone boolean NOT NULL, reachable_postal boolean NOT NULL, record_count integer NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT people_risk_tier_check CHECK (risk_tier = ANY (ARRAY['high'::text, 'medium'::text, 'low'::text])))`,
  );
  await write.query(
    `INSERT INTO ${people} (id, incident_id, pn, categories, risk_tier, jurisdiction, jurisdiction_disputed,
        locale, reachable_email, reachable_phone, reachable_postal, record_count, created_at, updated_at)
     SELECT coalesce(p.id, gen_random_uuid()), $1::uuid, n.pn, n.categories, n.risk_tier, n.jurisdiction,
        n.jurisdiction_disputed, n.locale, n.reachable_email, n.reachable_phone, n.reachable_postal,
        n.record_count, coalesce(p.created_at, now()),
        CASE WHEN (p.categories, p.risk_tier, p.jurisdiction, p.jurisdiction_disputed, p.locale, p.reachable_email,
                   p.reachable_phone, p.reachable_postal, p.record_count)
             IS NOT DISTINCT FROM (n.categories, n.risk_tier, n.jurisdiction, n.jurisdiction_disputed, n.locale,
                   n.reachable_email, n.reachable_phone, n.reachable_postal, n.record_count)
          THEN p.updated_at ELSE now() END
     FROM people_next n LEFT JOIN people_${incidentId.replace(/-/g, '')} p ON p.pn = n.pn`,
    [incidentId],
  );
  await write.query(`ALTER TABLE ${people} ADD CONSTRAINT ${people}_pkey PRIMARY KEY (incident_id, pn)`);
  await write.query(`ALTER TABLE ${people} ADD CONSTRAINT ${people}_id UNIQUE (incident_id, id)`);
  await write.query(`CREATE INDEX ${people}_risk ON ${people} (incident_id, risk_tier, pn)`);
  await write.query(`CREATE INDEX ${people}_jurisdiction ON ${people} (incident_id, jurisdiction, pn)`);
  await write.query(
    `ALTER TABLE ${people} ADD CONSTRAINT ${people}_incident CHECK (incident_id = '${incidentId}')`,
  );
  await write.query(`ANALYZE ${people}`);
}

/**
 * Puts the tables savePeople built in place of the incident's partitions of record_people and people.
 * DETACH locks each parent table until the resolution commits, so the resolution runs this last.
 */
export async function swapPeopleTables(write: pg.PoolClient, incidentId: string): Promise<void> {
  const suffix = incidentId.replace(/-/g, '');
  await swap(write, incidentId, 'record_people', `rpn_${suffix}`, ['pkey', 'pn', 'incident']);
  await swap(write, incidentId, 'people', `ppn_${suffix}`, [
    'pkey',
    'id',
    'risk',
    'jurisdiction',
    'incident',
  ]);
}

async function swap(
  write: pg.PoolClient,
  incidentId: string,
  parent: 'record_people' | 'people',
  fresh: string,
  names: string[],
): Promise<void> {
  const partition = `${parent}_${incidentId.replace(/-/g, '')}`;
  await write.query(`ALTER TABLE ${parent} DETACH PARTITION ${partition}`);
  await write.query(`DROP TABLE ${partition}`);
  await write.query(`ALTER TABLE ${fresh} RENAME TO ${partition}`);
  for (const name of names) {
    const isIndex = name !== 'incident';
    await write.query(
      isIndex
        ? `ALTER INDEX ${fresh}_${name} RENAME TO ${partition}_${name}`
        : `ALTER TABLE ${partition} RENAME CONSTRAINT ${fresh}_${name} TO ${partition}_${name}`,
    );
  }
  await write.query(`ALTER TABLE ${parent} ATTACH PARTITION ${partition} FOR VALUES IN ('${incidentId}')`);
}
