import type { Executor } from '../../db/database.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { awareTimes } from '../incidents/index.ts';
import { blindLookup, incidentBlindLookup } from './people.service.ts';
import { PAYLOAD_CONTEXT } from './record-builder.ts';

/**
 * What it takes to write to a person: their name and the most recent email, phone and postal address
 * across their records. Decrypts records, so callers audit the read (one entry per batch is enough for a
 * system read such as a delivery batch).
 */
export interface PersonContact {
  pn: number;
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  postal: {
    line1: string;
    line2: string | null;
    city: string | null;
    region: string | null;
    postalCode: string | null;
    country: string | null;
  } | null;
  categories: number;
  riskTier: 'high' | 'medium' | 'low';
  jurisdiction: string;
  locale: string | null;
}

export async function contactsFor(
  db: Executor,
  crypto: PiiCrypto,
  incidentId: string,
  pns: readonly number[],
): Promise<Map<number, PersonContact>> {
  const result = new Map<number, PersonContact>();
  if (pns.length === 0) return result;
  const people = await db
    .selectFrom('people')
    .select(['pn', 'id', 'categories', 'risk_tier', 'jurisdiction', 'locale'])
    .where('incident_id', '=', incidentId)
    .where('pn', 'in', pns as number[])
    .execute();
  for (const p of people) {
    result.set(p.pn, {
      pn: p.pn,
      id: p.id,
      firstName: null,
      lastName: null,
      email: null,
      phone: null,
      postal: null,
      categories: p.categories,
      riskTier: p.risk_tier as PersonContact['riskTier'],
      jurisdiction: p.jurisdiction,
      locale: p.locale,
    });
  }
  // Oldest record first, so the most recent value of each field wins.
  const records = await db
    .selectFrom('record_people')
    .innerJoin('source_records', (join) =>
      join
        .onRef('source_records.incident_id', '=', 'record_people.incident_id')
        .onRef('source_records.rn', '=', 'record_people.rn'),
    )
    .select(['record_people.pn', 'source_records.payload'])
    .where('record_people.incident_id', '=', incidentId)
    .where('record_people.pn', 'in', pns as number[])
    .orderBy('record_people.pn')
    .orderBy('source_records.rn')
    .execute();
  const payloads = await Promise.all(records.map((r) => crypto.decrypt(r.payload, PAYLOAD_CONTEXT)));
  records.forEach((record, i) => {
    const contact = result.get(record.pn);
    if (!contact) return;
    const p = JSON.parse(payloads[i]!) as Record<string, string | undefined>;
    const full = p.full_name?.trim();
    const first = p.first_name?.trim() || (full ? full.split(/\s+/)[0] : undefined);
    const last =
      p.last_name?.trim() || (full?.includes(' ') ? full.split(/\s+/).slice(1).join(' ') : undefined);
    if (first) contact.firstName = first;
    if (last) contact.lastName = last;
    if (p.email) contact.email = p.email;
    if (p.phone) contact.phone = p.phone;
    if (p.address_line1 && (p.postal_code || p.city)) {
      contact.postal = {
        line1: p.address_line1,
        line2: p.address_line2 ?? null,
        city: p.city ?? null,
        region: p.region ?? null,
        postalCode: p.postal_code ?? null,
        country: p.country ?? null,
      };
    }
  });
  return result;
}

/** Exact lookup of one person by email, phone or customer id (blind index), for a preview. */
export async function findPersonPn(
  db: Executor,
  crypto: PiiCrypto,
  incidentId: string,
  by: { email?: string | undefined; phone?: string | undefined; customerId?: string | undefined },
): Promise<number | null> {
  const lookup = by.email
    ? blindLookup(crypto, { kind: 'email', value: by.email })
    : by.phone
      ? blindLookup(crypto, { kind: 'phone', value: by.phone })
      : by.customerId
        ? await incidentBlindLookup(db, crypto, incidentId, { kind: 'customer_id', value: by.customerId })
        : null;
  if (!lookup) return null;
  const row = await db
    .selectFrom('source_records')
    .innerJoin('record_people', (join) =>
      join
        .onRef('record_people.incident_id', '=', 'source_records.incident_id')
        .onRef('record_people.rn', '=', 'source_records.rn'),
    )
    .select('record_people.pn')
    .where('source_records.incident_id', '=', incidentId)
    .where(`source_records.${lookup.column}`, '=', lookup.index)
    .limit(1)
    .executeTakeFirst();
  return row?.pn ?? null;
}

/**
 * The most recent incident in which an email address or phone number belongs to an affected person, and
 * that person (through the blind index, across incidents): what the inbox links a sender to.
 */
export async function findPersonAnywhere(
  db: Executor,
  crypto: PiiCrypto,
  by: { email?: string | undefined; phone?: string | undefined },
): Promise<{ incidentId: string; pn: number } | null> {
  const lookup = by.email
    ? blindLookup(crypto, { kind: 'email', value: by.email })
    : by.phone
      ? blindLookup(crypto, { kind: 'phone', value: by.phone })
      : null;
  if (!lookup) return null;
  // One person per incident (a handful of incidents at most), then the one the company learned of last.
  const rows = await db
    .selectFrom('source_records')
    .innerJoin('record_people', (join) =>
      join
        .onRef('record_people.incident_id', '=', 'source_records.incident_id')
        .onRef('record_people.rn', '=', 'source_records.rn'),
    )
    .distinctOn('record_people.incident_id')
    .select(['record_people.incident_id', 'record_people.pn'])
    .where(`source_records.${lookup.column}`, '=', lookup.index)
    .execute();
  const awareAt = await awareTimes(
    db,
    rows.map((r) => r.incident_id),
  );
  let latest: { incidentId: string; pn: number; at: number } | null = null;
  for (const row of rows) {
    const at = awareAt.get(row.incident_id)?.getTime();
    if (at !== undefined && (!latest || at > latest.at))
      latest = { incidentId: row.incident_id, pn: row.pn, at };
  }
  return latest ? { incidentId: latest.incidentId, pn: latest.pn } : null;
}

/** Where an affected person lives (the jurisdiction their records give), without decrypting anything. */
export async function jurisdictionOf(db: Executor, incidentId: string, pn: number): Promise<string | null> {
  const person = await db
    .selectFrom('people')
    .select('jurisdiction')
    .where('incident_id', '=', incidentId)
    .where('pn', '=', pn)
    .executeTakeFirst();
  return person?.jurisdiction ?? null;
}
