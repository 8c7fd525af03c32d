import { sql } from 'kysely';
import {
  type Category,
  categories,
  categoriesOf,
  highRiskMask,
  mediumRiskMask,
  type RiskTier,
} from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { incidentCaseRule } from './customer-id-rule.ts';
import { normalizeEmail } from './normalize/email.ts';
import { customerIdKey, normalizeCustomerId } from './normalize/identifiers.ts';
import { normalizePhone } from './normalize/phone.ts';
import { PAYLOAD_CONTEXT } from './record-builder.ts';

/** Counts, lookups and the person view. Counting reads no personal data; lookups and views are audited. */
export interface PeopleStats {
  people: number;
  records: number;
  rejected: number;
  conflicts: number;
  byCategory: Partial<Record<Category, number>>;
  byJurisdiction: Record<string, number>;
  byRiskTier: Record<RiskTier, number>;
  reachable: { email: number; phone: number; postal: number; none: number; emailNeedsSmtpUtf8: number };
}

export async function peopleStats(db: Executor, incidentId: string): Promise<PeopleStats> {
  // From the incident's cells (people per jurisdiction, exposure, locale and reach: a few hundred rows,
  // rewritten by each resolution), not from every person.
  const totals = await db
    .selectFrom('people_cells')
    .select([
      sql<number>`coalesce(sum(people), 0)`.as('people'),
      sql<number>`coalesce(sum(records), 0)`.as('records'),
      sql<number>`coalesce(sum(people) FILTER (WHERE reachable_email), 0)`.as('email'),
      sql<number>`coalesce(sum(people) FILTER (WHERE reachable_phone), 0)`.as('phone'),
      sql<number>`coalesce(sum(people) FILTER (WHERE reachable_postal), 0)`.as('postal'),
      sql<number>`coalesce(sum(people) FILTER (WHERE NOT (reachable_email OR reachable_phone OR reachable_postal)), 0)`.as(
        'none',
      ),
      sql<number>`coalesce(sum(people) FILTER (WHERE categories & ${highRiskMask} <> 0), 0)`.as('high'),
      sql<number>`coalesce(sum(people) FILTER (WHERE categories & ${highRiskMask} = 0 AND categories & ${mediumRiskMask} <> 0), 0)`.as(
        'medium',
      ),
      sql<number>`coalesce(sum(people) FILTER (WHERE categories & ${highRiskMask | mediumRiskMask} = 0), 0)`.as(
        'low',
      ),
      ...categories.map((c, i) =>
        sql<number>`coalesce(sum(people) FILTER (WHERE categories & ${1 << i} <> 0), 0)`.as(`c_${c}`),
      ),
    ])
    .where('incident_id', '=', incidentId)
    .executeTakeFirstOrThrow();
  const jurisdictions = await db
    .selectFrom('people_cells')
    .select(['jurisdiction', sql<number>`sum(people)`.as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy('jurisdiction')
    .orderBy('n', 'desc')
    .execute();
  const rejected = await db
    .selectFrom('imports')
    .select(sql<number>`coalesce(sum(rejected), 0)`.as('n'))
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'done')
    .executeTakeFirstOrThrow();
  const conflicts = await db
    .selectFrom('resolution_conflicts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  const smtpUtf8 = await countEmailNeedsSmtpUtf8(db, incidentId);
  const row = totals as unknown as Record<string, number>;
  const byCategory: Partial<Record<Category, number>> = {};
  for (const c of categories) {
    const n = Number(row[`c_${c}`]);
    if (n > 0) byCategory[c] = n;
  }
  return {
    people: Number(totals.people),
    records: Number(totals.records),
    rejected: Number(rejected.n),
    conflicts: Number(conflicts.n),
    byCategory,
    byJurisdiction: Object.fromEntries(jurisdictions.map((j) => [j.jurisdiction, Number(j.n)])),
    byRiskTier: { high: Number(row.high), medium: Number(row.medium), low: Number(row.low) },
    reachable: {
      email: Number(row.email),
      phone: Number(row.phone),
      postal: Number(row.postal),
      none: Number(row.none),
      emailNeedsSmtpUtf8: smtpUtf8,
    },
  };
}

/**
 * People whose email on file (their most recent record's, the one notices go to: see contacts.ts) has a
 * non-ASCII local part, so it reaches them only through a relay with SMTPUTF8. Starts from the few records
 * flagged (a partial index), then checks each such person's latest email record.
 */
async function countEmailNeedsSmtpUtf8(db: Executor, incidentId: string): Promise<number> {
  const result = await sql<{ n: number }>`
    WITH flagged AS (
      SELECT DISTINCT rp.pn FROM source_records s
      JOIN record_people rp ON rp.incident_id = s.incident_id AND rp.rn = s.rn
      WHERE s.incident_id = ${incidentId} AND s.email_smtputf8
    )
    SELECT count(*)::int AS n FROM flagged f
    WHERE (SELECT s.email_smtputf8 FROM record_people rp
           JOIN source_records s ON s.incident_id = rp.incident_id AND s.rn = rp.rn
           WHERE rp.incident_id = ${incidentId} AND rp.pn = f.pn AND s.has_email
           ORDER BY s.rn DESC LIMIT 1)`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export type LookupKind = 'email' | 'phone' | 'customer_id';

export interface PersonSummary {
  id: string;
  pn: number;
  categories: Category[];
  riskTier: RiskTier;
  jurisdiction: string;
  jurisdictionDisputed: boolean;
  reachable: { email: boolean; phone: boolean; postal: boolean };
  records: number;
}

export const personColumns = [
  'people.id',
  'people.pn',
  'people.categories',
  'people.risk_tier',
  'people.jurisdiction',
  'people.jurisdiction_disputed',
  'people.reachable_email',
  'people.reachable_phone',
  'people.reachable_postal',
  'people.record_count',
] as const;

export type PersonRow = {
  id: string;
  pn: number;
  categories: number;
  risk_tier: RiskTier;
  jurisdiction: string;
  jurisdiction_disputed: boolean;
  reachable_email: boolean;
  reachable_phone: boolean;
  reachable_postal: boolean;
  record_count: number;
};

export function toPerson(row: PersonRow): PersonSummary {
  return {
    id: row.id,
    pn: row.pn,
    categories: categoriesOf(row.categories),
    riskTier: row.risk_tier,
    jurisdiction: row.jurisdiction,
    jurisdictionDisputed: row.jurisdiction_disputed,
    reachable: { email: row.reachable_email, phone: row.reachable_phone, postal: row.reachable_postal },
    records: row.record_count,
  };
}

type Lookup = {
  kind: LookupKind;
  value: string;
  defaultCountry?: string | null | undefined;
  /** The incident's customer-id rule (customer-id-rule.ts); ignoring case when left out. */
  caseSensitiveIds?: boolean | undefined;
};

/**
 * The blind-index column and value for an exact lookup by email, phone or customer id, normalized the way
 * imports normalize them; null when the value is not valid.
 */
export function blindLookup(
  crypto: Pick<PlatformContext['crypto'], 'blindIndex'>,
  lookup: Lookup,
): { column: 'email_idx' | 'phone_idx' | 'customer_idx'; index: Buffer } | null {
  let normalized: string | null;
  if (lookup.kind === 'email') normalized = normalizeEmail(lookup.value);
  else if (lookup.kind === 'phone') normalized = normalizePhone(lookup.value, lookup.defaultCountry ?? null);
  else {
    const id = normalizeCustomerId(lookup.value);
    normalized = id && customerIdKey(id, lookup.caseSensitiveIds === true);
  }
  if (!normalized) return null;
  const column = ({ email: 'email_idx', phone: 'phone_idx', customer_id: 'customer_idx' } as const)[
    lookup.kind
  ];
  return { column, index: crypto.blindIndex(lookup.kind, normalized) };
}

/** blindLookup within one incident: a customer id is compared by the incident's rule. */
export async function incidentBlindLookup(
  db: Executor,
  crypto: Pick<PlatformContext['crypto'], 'blindIndex'>,
  incidentId: string,
  lookup: Lookup,
): Promise<ReturnType<typeof blindLookup>> {
  const caseSensitiveIds =
    lookup.kind === 'customer_id' ? (await incidentCaseRule(db, incidentId)) === true : undefined;
  return blindLookup(crypto, { ...lookup, caseSensitiveIds });
}

/** Exact match through the blind index. The search itself is audited (the value never is). */
export async function findPeople(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  incidentId: string,
  lookup: { kind: LookupKind; value: string; defaultCountry?: string | undefined },
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<PersonSummary[]> {
  const found = await incidentBlindLookup(deps.db, deps.crypto, incidentId, lookup);
  if (!found) {
    throw new AppError(
      'validation_failed',
      `That ${lookup.kind.replace('_', ' ')} is not valid. Check it and try again.`,
    );
  }
  const { column, index } = found;
  return deps.db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('people')
      .select(personColumns)
      .where('people.incident_id', '=', incidentId)
      .where('people.pn', 'in', (eb) =>
        eb
          .selectFrom('source_records')
          .innerJoin('record_people', (join) =>
            join
              .onRef('record_people.incident_id', '=', 'source_records.incident_id')
              .onRef('record_people.rn', '=', 'source_records.rn'),
          )
          .select('record_people.pn')
          .where('source_records.incident_id', '=', incidentId)
          .where(`source_records.${column}`, '=', index),
      )
      .execute();
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.searched',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { by: lookup.kind, matches: rows.length },
    });
    return rows.map((r) => toPerson(r as PersonRow));
  });
}

/**
 * The search for a caller who may not read personal data (agents, comms, auditors): whether anyone in the
 * incident carries the identifier, and nothing about what leaked. An unverified inbox thread shows an agent
 * exactly this much ("affected in incident X"); exposure needs the person verified, or `people:read_pii`.
 */
export async function findAffected(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  incidentId: string,
  lookup: { kind: LookupKind; value: string; defaultCountry?: string | undefined },
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<boolean> {
  const found = await incidentBlindLookup(deps.db, deps.crypto, incidentId, lookup);
  if (!found) {
    throw new AppError(
      'validation_failed',
      `That ${lookup.kind.replace('_', ' ')} is not valid. Check it and try again.`,
    );
  }
  const { column, index } = found;
  return deps.db.transaction().execute(async (tx) => {
    const hit = await tx
      .selectFrom('source_records')
      .select(sql<number>`1`.as('hit'))
      .where('incident_id', '=', incidentId)
      .where(column, '=', index)
      .limit(1)
      .executeTakeFirst();
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.searched',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { by: lookup.kind, matches: hit ? 1 : 0, exposureShown: false },
    });
    return hit !== undefined;
  });
}

export interface PersonDetail extends PersonSummary {
  identifiers: Record<string, string[]>;
  sources: Array<{ importId: string; fileName: string; line: number; categories: Category[] }>;
}

/** Decrypts a person's identifiers from their records, for an authorized viewer; audited as a PII read. */
export async function viewPerson(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  incidentId: string,
  personId: string,
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<PersonDetail> {
  return deps.db.transaction().execute(async (tx) => {
    const person = await tx
      .selectFrom('people')
      .select(personColumns)
      .where('people.incident_id', '=', incidentId)
      .where('people.id', '=', personId)
      .executeTakeFirst();
    if (!person) throw notFound('A person with this id in this incident');
    const records = await tx
      .selectFrom('record_people')
      .innerJoin('source_records', (join) =>
        join
          .onRef('source_records.incident_id', '=', 'record_people.incident_id')
          .onRef('source_records.rn', '=', 'record_people.rn'),
      )
      .innerJoin('imports', 'imports.id', 'source_records.import_id')
      .select([
        'source_records.payload',
        'source_records.line_no',
        'source_records.categories',
        'imports.id as import_id',
        'imports.file_name',
      ])
      .where('record_people.incident_id', '=', incidentId)
      .where('record_people.pn', '=', person.pn)
      .orderBy('source_records.rn')
      .limit(1000)
      .execute();
    const identifiers: Record<string, string[]> = {};
    for (const record of records) {
      const payload = JSON.parse(await deps.crypto.decrypt(record.payload, PAYLOAD_CONTEXT)) as Record<
        string,
        string
      >;
      for (const [field, value] of Object.entries(payload)) {
        identifiers[field] ??= [];
        if (!identifiers[field].includes(value)) identifiers[field].push(value);
      }
    }
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.viewed',
      requestId: meta.requestId,
      target: { type: 'person', id: personId },
      details: { incidentId, fields: Object.keys(identifiers) },
    });
    return {
      ...toPerson(person as PersonRow),
      identifiers,
      sources: records.map((r) => ({
        importId: r.import_id,
        fileName: r.file_name,
        line: Number(r.line_no),
        categories: categoriesOf(r.categories),
      })),
    };
  });
}
