import type { Executor } from '../../db/database.ts';
import type { AuditOutcome, AuditRow } from '../../db/schema.ts';

/** What the audit log can be filtered by (the staff API's query, parsed). */
export interface AuditFilters {
  /** A prefix: "auth." finds every sign-in event. */
  action?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** ISO times: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** Cursor: entries with a smaller sequence number than this. */
  before?: number | undefined;
  limit: number;
}

/**
 * One page of the log, newest first, and the cursor of the next page (null on the last). Reads one row
 * more than the page to know whether another follows.
 */
export async function readAuditLog(
  db: Executor,
  filters: AuditFilters,
): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filters.action) query = query.where('action', 'like', `${filters.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (filters.actorId) query = query.where('actor_id', '=', filters.actorId);
  if (filters.targetType) query = query.where('target_type', '=', filters.targetType);
  if (filters.targetId) query = query.where('target_id', '=', filters.targetId);
  if (filters.outcome) query = query.where('outcome', '=', filters.outcome);
  if (filters.from) query = query.where('at', '>=', new Date(filters.from));
  if (filters.to) query = query.where('at', '<', new Date(filters.to));
  if (filters.before) query = query.where('seq', '<', filters.before);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(filters.limit + 1)
    .execute();
  const page = rows.slice(0, filters.limit);
  return { rows: page, nextBefore: rows.length > filters.limit ? (page.at(-1)?.seq ?? null) : null };
}
