import type pg from 'pg';
import { categoryMask, highRiskCategories, mediumRiskCategories } from '../../../shared/taxonomy.ts';
import type { IdentifierKind } from '../../db/schema.ts';
import { copyIn, copyOut, sqlUuid } from './copy.ts';

/**
 * Identity resolution for one incident, recomputed over all its records (so it is idempotent: a crash
 * mid-way loses nothing, the next run starts over). Rules (DESIGN.md invariant 3):
 *  - records sharing a strong identifier (customer id, national id) are one person;
 *  - records sharing a linking identifier (email, phone) are one person when no strong identifier conflicts;
 *  - linking is transitive; a union that would give one person two different customer ids or two different
 *    national ids is refused and queued as a conflict for a person to decide ('merged' decisions are honoured).
 *
 * Scale: groups come out of PostgreSQL already sorted and grouped (`array_agg … GROUP BY <blind index>`),
 * so Node never holds a set of identifiers; it holds a union-find over record numbers in typed arrays,
 * ≈ 18 bytes per record (90 MB for 5M records).
 */
export interface ResolutionResult {
  people: number;
  conflicts: number;
}

const MAX_CONFLICTS = 1_000_000;
const RESOLUTION_WORK_MEM = '128MB';
/** Record numbers of one import: rn_base is a multiple of this (import-runner.ts). */
const IMPORT_SPAN = 2 ** 32;
const HIGH = categoryMask(highRiskCategories);
const MEDIUM = categoryMask(mediumRiskCategories);

class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;
  push(value: number) {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

export async function resolveIncident(
  read: pg.PoolClient,
  write: pg.PoolClient,
  incidentId: string,
  onPhase: (phase: string) => void = () => {},
): Promise<ResolutionResult> {
  const incident = sqlUuid(incidentId);
  const where = `incident_id = ${incident}`;
  // Grouping and aggregating millions of records: sort in memory rather than in temporary files
  // (measured at 1M records: the people aggregation took 2.6 s with the default 4 MB, spilling 150 MB).
  await read.query(`SET work_mem = '${RESOLUTION_WORK_MEM}'`);
  await write.query(`SET LOCAL work_mem = '${RESOLUTION_WORK_MEM}'`);
  try {
    return await resolveWithSettings(read, write, incidentId, where, onPhase);
  } finally {
    await read.query('RESET work_mem').catch(() => {});
  }
}

async function resolveWithSettings(
  read: pg.PoolClient,
  write: pg.PoolClient,
  incidentId: string,
  where: string,
  onPhase: (phase: string) => void,
): Promise<ResolutionResult> {
  onPhase('loading records');
  // rn = import base (k · 2^32, k = 1, 2, …) + line number: every line of every attached import gets a
  // slot found by arithmetic, no lookup table (~18 bytes per record in all, instead of ~28 with one).
  const ranges = await read.query<{ k: string; lines: string }>(
    `SELECT rn_base / ${IMPORT_SPAN} AS k, checkpoint_line AS lines FROM imports
     WHERE ${where} AND status IN ('resolving', 'done') ORDER BY rn_base`,
  );
  const importKs: number[] = [];
  const importOffsets: number[] = [];
  const offsetOfK = new Map<number, { offset: number; lines: number }>();
  let n = 0;
  for (const range of ranges.rows) {
    const k = Number(range.k);
    importKs.push(k);
    importOffsets.push(n);
    offsetOfK.set(k, { offset: n, lines: Number(range.lines) });
    n += Number(range.lines);
  }
  const slotOf = (rn: number): number | undefined => {
    const k = Math.floor(rn / IMPORT_SPAN);
    const range = offsetOfK.get(k);
    const line = rn - k * IMPORT_SPAN;
    return range && line >= 1 && line <= range.lines ? range.offset + line - 1 : undefined;
  };
  const indexOf = (rn: number): number => {
    const slot = slotOf(rn);
    if (slot === undefined) throw new Error(`record ${rn} belongs to no attached import of this incident`);
    return slot;
  };
  const rnOf = (slot: number): number => {
    let lo = 0;
    let hi = importOffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (importOffsets[mid]! <= slot) lo = mid;
      else hi = mid - 1;
    }
    return importKs[lo]! * IMPORT_SPAN + (slot - importOffsets[lo]!) + 1;
  };
  // Slots of rejected lines stay empty: only records that exist are people.
  const exists = new Uint8Array(n);
  for await (const line of copyOut(read, `SELECT rn FROM source_records WHERE ${where}`))
    exists[indexOf(Number(line))] = 1;

  const parseGroup = (line: string): number[] =>
    line
      .slice(1, -1)
      .split(',')
      .map((v) => indexOf(Number(v)));

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const rank = new Uint8Array(n);
  const strong: Record<'customer_id' | 'national_id', Int32Array> = {
    customer_id: new Int32Array(n),
    national_id: new Int32Array(n),
  };
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  const conflicts: Array<[number, number, IdentifierKind, 'customer_id' | 'national_id']> = [];
  // One conflict per pair of records, however many identifiers they share.
  const conflictPairs = new Set<string>();
  const union = (a: number, b: number, shared: IdentifierKind, isForced = false) => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if (!isForced) {
      for (const kind of ['customer_id', 'national_id'] as const) {
        const va = strong[kind][ra]!;
        const vb = strong[kind][rb]!;
        if (va !== 0 && vb !== 0 && va !== vb) {
          const pair = `${Math.min(a, b)},${Math.max(a, b)}`;
          if (!conflictPairs.has(pair) && conflicts.length < MAX_CONFLICTS) {
            conflictPairs.add(pair);
            conflicts.push([Math.min(a, b), Math.max(a, b), shared, kind]);
          }
          return;
        }
      }
    }
    if (rank[ra]! < rank[rb]!) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    if (rank[ra] === rank[rb]) rank[ra]!++;
    for (const kind of ['customer_id', 'national_id'] as const) {
      if (strong[kind][ra] === 0) strong[kind][ra] = strong[kind][rb]!;
    }
  };

  // Strong identifiers: give every record its value number first, so every later union can check them.
  const strongGroups: Array<{ kind: 'customer_id' | 'national_id'; groups: GrowableInt32 }> = [];
  for (const [kind, column] of [
    ['customer_id', 'customer_idx'],
    ['national_id', 'national_idx'],
  ] as const) {
    onPhase(`grouping by ${kind.replace('_', ' ')}`);
    const groups = new GrowableInt32();
    let value = 0;
    for await (const line of copyOut(
      read,
      `SELECT array_agg(rn ORDER BY rn) FROM source_records WHERE ${where} AND ${column} IS NOT NULL GROUP BY ${column}`,
    )) {
      value++;
      const members = parseGroup(line);
      for (const m of members) strong[kind][m] = value;
      if (members.length > 1) {
        groups.push(members.length);
        for (const m of members) groups.push(m);
      }
    }
    strongGroups.push({ kind, groups });
  }

  for (const { kind, groups } of strongGroups) {
    onPhase(`linking by ${kind.replace('_', ' ')}`);
    const g = groups.data;
    for (let i = 0; i < groups.length; ) {
      const count = g[i]!;
      for (let j = 2; j <= count; j++) union(g[i + 1]!, g[i + j]!, kind);
      i += count + 1;
    }
  }
  // A person's decision to merge two records comes after the strong identifiers have formed their groups,
  // so it joins whole groups (not a lone record torn from its customer id).
  onPhase('applying merge decisions');
  for await (const line of copyOut(
    read,
    `SELECT rn_a, rn_b FROM resolution_conflicts WHERE ${where} AND status = 'merged'`,
  )) {
    const [a, b] = line.split('\t').map(Number) as [number, number];
    union(indexOf(a), indexOf(b), 'email', true);
  }

  for (const [kind, column] of [
    ['email', 'email_idx'],
    ['phone', 'phone_idx'],
  ] as const) {
    onPhase(`linking by ${kind}`);
    for await (const line of copyOut(
      read,
      `SELECT array_agg(rn ORDER BY rn) FROM source_records WHERE ${where} AND ${column} IS NOT NULL GROUP BY ${column} HAVING count(*) > 1`,
    )) {
      const members = parseGroup(line);
      for (let j = 1; j < members.length; j++) union(members[0]!, members[j]!, kind);
    }
  }

  // Person numbers: keep each earlier person's number where its records still form one person.
  onPhase('numbering people');
  const rootPn = new Int32Array(n);
  const maxRow = await read.query<{ max: number | null }>(
    `SELECT max(pn) AS max FROM record_people WHERE ${where}`,
  );
  const maxPn = Number(maxRow.rows[0]?.max ?? 0);
  const pnTaken = new Uint8Array(maxPn + 1);
  for await (const line of copyOut(read, `SELECT rn, pn FROM record_people WHERE ${where} ORDER BY pn, rn`)) {
    const [rn, pn] = line.split('\t').map(Number) as [number, number];
    const slot = slotOf(rn);
    if (slot === undefined || exists[slot] === 0) continue;
    const root = find(slot);
    if (rootPn[root] === 0 && pnTaken[pn] === 0) {
      rootPn[root] = pn;
      pnTaken[pn] = 1;
    }
  }
  let nextPn = maxPn;
  for (let i = 0; i < n; i++) {
    if (exists[i] === 0) continue;
    const root = find(i);
    if (rootPn[root] === 0) rootPn[root] = ++nextPn;
  }

  onPhase('saving people');
  await write.query(`DELETE FROM record_people WHERE ${where}`);
  await copyIn(
    write,
    'COPY record_people (incident_id, rn, pn) FROM STDIN',
    (function* () {
      for (let i = 0; i < n; i++) if (exists[i] === 1) yield `${incidentId}\t${rnOf(i)}\t${rootPn[find(i)]}`;
    })(),
  );
  await write.query(`ANALYZE record_people_${incidentId.replace(/-/g, '')}`);
  await write.query(
    `INSERT INTO people AS p (incident_id, pn, categories, risk_tier, jurisdiction, jurisdiction_disputed, locale,
        reachable_email, reachable_phone, reachable_postal, record_count)
     SELECT $1, rp.pn, bit_or(s.categories),
       CASE WHEN bit_or(s.categories) & ${HIGH} <> 0 THEN 'high' WHEN bit_or(s.categories) & ${MEDIUM} <> 0 THEN 'medium' ELSE 'low' END,
       coalesce((array_agg(coalesce(s.region, s.country) ORDER BY s.rn DESC) FILTER (WHERE s.country IS NOT NULL OR s.region IS NOT NULL))[1], 'unknown'),
       count(DISTINCT coalesce(s.region, s.country)) > 1,
       (array_agg(s.locale ORDER BY s.rn DESC) FILTER (WHERE s.locale IS NOT NULL))[1],
       bool_or(s.has_email), bool_or(s.has_phone), bool_or(s.has_postal), count(*)
     FROM record_people rp JOIN source_records s ON s.incident_id = rp.incident_id AND s.rn = rp.rn
     WHERE rp.incident_id = $1
     GROUP BY rp.pn
     ON CONFLICT (incident_id, pn) DO UPDATE SET
       categories = EXCLUDED.categories, risk_tier = EXCLUDED.risk_tier, jurisdiction = EXCLUDED.jurisdiction,
       jurisdiction_disputed = EXCLUDED.jurisdiction_disputed, locale = EXCLUDED.locale,
       reachable_email = EXCLUDED.reachable_email, reachable_phone = EXCLUDED.reachable_phone,
       reachable_postal = EXCLUDED.reachable_postal, record_count = EXCLUDED.record_count, updated_at = now()
     WHERE (p.categories, p.risk_tier, p.jurisdiction, p.jurisdiction_disputed, p.locale, p.reachable_email,
            p.reachable_phone, p.reachable_postal, p.record_count)
       IS DISTINCT FROM (EXCLUDED.categories, EXCLUDED.risk_tier, EXCLUDED.jurisdiction, EXCLUDED.jurisdiction_disputed,
            EXCLUDED.locale, EXCLUDED.reachable_email, EXCLUDED.reachable_phone, EXCLUDED.reachable_postal,
            EXCLUDED.record_count)`,
    [incidentId],
  );
  await write.query(
    `DELETE FROM people p WHERE p.incident_id = $1
       AND NOT EXISTS (SELECT 1 FROM record_people rp WHERE rp.incident_id = $1 AND rp.pn = p.pn)`,
    [incidentId],
  );

  onPhase('saving conflicts');
  if (conflicts.length > 0) {
    await write.query(
      'CREATE TEMP TABLE IF NOT EXISTS conflict_batch (rn_a bigint, rn_b bigint, shared text, differing text) ON COMMIT DROP',
    );
    await copyIn(
      write,
      'COPY conflict_batch FROM STDIN',
      conflicts.map(([a, b, shared, differing]) => `${rnOf(a)}\t${rnOf(b)}\t${shared}\t${differing}`),
    );
    await write.query(
      `INSERT INTO resolution_conflicts (incident_id, rn_a, rn_b, shared, differing)
       SELECT $1, rn_a, rn_b, shared, differing FROM conflict_batch
       ON CONFLICT (incident_id, rn_a, rn_b) DO NOTHING`,
      [incidentId],
    );
  }
  // The incident's cells (people per jurisdiction and exposure), rewritten with its people: what other
  // modules read instead of counting millions of rows again (incident-people.ts).
  onPhase('counting people');
  await write.query('DELETE FROM people_cells WHERE incident_id = $1', [incidentId]);
  await write.query(
    `INSERT INTO people_cells (incident_id, jurisdiction, categories, people)
     SELECT incident_id, jurisdiction, categories, count(*) FROM people WHERE incident_id = $1
     GROUP BY incident_id, jurisdiction, categories`,
    [incidentId],
  );
  const people = await write.query<{ n: number }>(
    'SELECT coalesce(sum(people), 0)::int AS n FROM people_cells WHERE incident_id = $1',
    [incidentId],
  );
  return { people: people.rows[0]!.n, conflicts: conflicts.length };
}
