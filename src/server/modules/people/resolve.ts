import type pg from 'pg';
import type { IdentifierKind } from '../../db/schema.ts';
import { copyIn, copyOut, sqlUuid } from './copy.ts';
import { savePeople, swapPeopleTables } from './resolve-save.ts';

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
 * ≈ 14 bytes per record (70 MB for 5M records), plus the strong groups while they are linked (4–8 bytes
 * per record that shares a customer or national id), then ≈ 26 bytes per person while people are saved
 * (resolve-save.ts). It grows with the records, not flat: ≈ 1.3–2 GB at 95M records (issue 21's gap).
 */
export interface ResolutionResult {
  people: number;
  conflicts: number;
}

const MAX_CONFLICTS = 1_000_000;
const RESOLUTION_WORK_MEM = '128MB';
/** Record numbers of one import: rn_base is a multiple of this (import-runner.ts). */
const IMPORT_SPAN = 2 ** 32;

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
  // slot found by arithmetic, no lookup table (no lookup table, which would add ~10 bytes per record).
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
  // The strong identifiers' value numbers are done with: their memory holds the person numbers.
  const rootPn = strong.customer_id.fill(0);
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

  // The national ids' value numbers are done with too: their memory may go before people are folded.
  strong.national_id = new Int32Array(0);
  onPhase('saving people');
  await savePeople(read, write, {
    incidentId,
    where,
    slotOf,
    personOf: (slot) => rootPn[find(slot)]!,
    maxPn: nextPn,
  });

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
  // The incident's cells (people per jurisdiction, exposure, locale and reach), rewritten with its people (counted from
  // people_next, the people savePeople just built): what other modules read instead of counting millions
  // of rows again (incident-people.ts).
  onPhase('counting people');
  await write.query('DELETE FROM people_cells WHERE incident_id = $1', [incidentId]);
  await write.query(
    `INSERT INTO people_cells (incident_id, jurisdiction, categories, locale, reachable_email, reachable_phone,
        reachable_postal, people, records)
     SELECT $1::uuid, jurisdiction, categories, locale, reachable_email, reachable_phone, reachable_postal,
        count(*), sum(record_count)
     FROM people_next
     GROUP BY jurisdiction, categories, locale, reachable_email, reachable_phone, reachable_postal`,
    [incidentId],
  );
  const people = await write.query<{ n: number }>(
    'SELECT coalesce(sum(people), 0)::int AS n FROM people_cells WHERE incident_id = $1',
    [incidentId],
  );
  await swapPeopleTables(write, incidentId);
  return { people: people.rows[0]!.n, conflicts: conflicts.length };
}
