import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ActorType, AuditOutcome, AuditRow } from '../../db/schema.ts';
import { advisoryLocks } from '../advisory-locks.ts';

/**
 * The tamper-evident audit log. Entries are written in the caller's transaction (so an audited change and
 * its entry commit or roll back together) and chained: each entry's hash covers its content and the
 * previous entry's hash. A transaction-scoped advisory lock serializes appends, so `seq` has no gaps and
 * the chain has no forks; it is held only from the append to the commit.
 *
 * Details must never hold personal data: ids, counts and field names only.
 */
export interface Actor {
  type: ActorType;
  id: string | null;
  /**
   * Human-readable, as it was when recorded: a staff member's name (`staffLabel`), a token name or an OS
   * user name. Never an affected person's data.
   */
  label: string;
}

export interface AuditEntry {
  actor: Actor;
  action: string;
  target?: { type: string; id: string } | undefined;
  outcome?: AuditOutcome;
  requestId?: string | undefined;
  details?: Record<string, string | number | boolean | null | string[]>;
}

export const GENESIS_HASH = Buffer.alloc(32);

export const systemActor: Actor = { type: 'system', id: null, label: 'candor' };

export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<{ seq: number }> {
  await sql`SELECT pg_advisory_xact_lock(${advisoryLocks.auditAppend})`.execute(tx);
  const last = await tx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    seq: (last?.seq ?? 0) + 1,
    // Millisecond precision so the value read back from PostgreSQL hashes the same.
    at: new Date(Math.floor(Date.now())),
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_label: entry.actor.label,
    action: entry.action,
    target_type: entry.target?.type ?? null,
    target_id: entry.target?.id ?? null,
    request_id: entry.requestId ?? null,
    outcome: entry.outcome ?? 'success',
    details: entry.details ?? {},
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = hashEntry(row);
  await tx
    .insertInto('audit_log')
    .values({ ...row, details: JSON.stringify(row.details), hash })
    .execute();
  return { seq: row.seq };
}

type HashedFields = Omit<AuditRow, 'hash'>;

/** SHA-256 over a canonical serialization of every field and the previous hash. */
export function hashEntry(row: HashedFields): Buffer {
  const canonical = JSON.stringify([
    row.seq,
    new Date(row.at).toISOString(),
    row.actor_type,
    row.actor_id,
    row.actor_label,
    row.action,
    row.target_type,
    row.target_id,
    row.request_id,
    row.outcome,
    canonicalJson(row.details),
    row.prev_hash.toString('hex'),
  ]);
  return createHash('sha256').update(canonical).digest();
}

/** JSON with object keys sorted, so jsonb's own key order cannot change a hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export type VerifyResult =
  | { ok: true; entries: number; headSeq: number; headHash: string }
  | { ok: false; entries: number; badSeq: number; reason: string };

/**
 * Walks the chain in `seq` order in pages. Detects an altered entry (its hash no longer matches), a deleted
 * one (a gap in seq, or the next entry's prev_hash no longer matches) and a reordering (the chain breaks).
 * Deleting the newest entries leaves a shorter valid chain: compare the printed head with one kept
 * elsewhere (`--expect-head`) to catch that.
 */
export async function verifyAuditChain(db: Executor, pageSize = 5000): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash: Buffer = GENESIS_HASH;
  let entries = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of page) {
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          entries,
          badSeq: expectedSeq,
          reason: `entry ${expectedSeq} is missing (next is ${row.seq})`,
        };
      }
      if (!row.prev_hash.equals(prevHash)) {
        return { ok: false, entries, badSeq: row.seq, reason: 'its link to the previous entry is broken' };
      }
      if (!hashEntry(row).equals(row.hash)) {
        return {
          ok: false,
          entries,
          badSeq: row.seq,
          reason: 'its content does not match its hash (altered)',
        };
      }
      prevHash = row.hash;
      expectedSeq++;
      entries++;
    }
    if (page.length < pageSize) break;
  }
  return { ok: true, entries, headSeq: expectedSeq - 1, headHash: prevHash.toString('hex') };
}
