import type { z } from 'zod';
import type { AuditEntryDto, auditQuery } from '../../../shared/contracts/audit.ts';
import type { Executor } from '../../db/database.ts';
import type { AuditRow } from '../../db/schema.ts';
import { readAuditLog } from '../../platform/audit/audit-query.ts';
import { staffNames } from '../auth/index.ts';

type Filters = z.output<typeof auditQuery>;

export function toAuditDto(row: AuditRow): AuditEntryDto {
  return {
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    requestId: row.request_id,
    outcome: row.outcome,
    details: row.details,
    hash: row.hash.toString('hex'),
  };
}

/** Newest first, filtered, paged by sequence number. `action` matches a prefix ("auth." finds all sign-in events). */
export async function queryAudit(
  db: Executor,
  filters: Filters,
): Promise<{ entries: AuditEntryDto[]; nextBefore: number | null }> {
  const { rows: page, nextBefore } = await readAuditLog(db, filters);
  // The label is kept as recorded (it is hashed into the chain); staff are shown by their current name.
  const names = await staffNames(
    db,
    page.filter((r) => r.actor_type === 'user').map((r) => r.actor_id),
  );
  return {
    entries: page.map((row) => ({
      ...toAuditDto(row),
      actorName: row.actor_type === 'user' && row.actor_id ? (names.get(row.actor_id) ?? null) : null,
    })),
    nextBefore,
  };
}
