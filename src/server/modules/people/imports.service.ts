import type { z } from 'zod';
import type {
  ImportIssueDto,
  ImportSummaryDto,
  importIssuesQuery,
} from '../../../shared/contracts/people.ts';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { conflictsByImport } from './import-conflicts.ts';
import { warningCounts } from './import-warnings.ts';
import type { Mapping } from './mapping.ts';

/** Reading imports and their issues for the console (no personal data involved). */
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

const importColumns = [
  'id',
  'incident_id',
  'file_name',
  'format',
  'status',
  'rows_total',
  'accepted',
  'rejected',
  'bytes_done',
  'file_bytes',
  'people_before',
  'people_after',
  'conflicts_found',
  'error',
  'created_at',
  'started_at',
  'finished_at',
  'updated_at',
  'mapping',
  'rn_base',
  'warnings',
  'case_sensitive_ids',
] as const;

type ImportRowSlice = {
  id: string;
  incident_id: string;
  file_name: string;
  format: 'csv' | 'jsonl';
  status: ImportSummaryDto['status'];
  rows_total: number;
  accepted: number;
  rejected: number;
  bytes_done: number;
  file_bytes: number;
  people_before: number | null;
  people_after: number | null;
  conflicts_found: number | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
  mapping: Mapping;
  rn_base: number;
  warnings: Record<string, number>;
  case_sensitive_ids: boolean;
};

function toSummary(row: ImportRowSlice, ownConflicts: Map<string, number>): ImportSummaryDto {
  const end = row.finished_at ? new Date(row.finished_at) : new Date(row.updated_at);
  const seconds = row.started_at ? (end.getTime() - new Date(row.started_at).getTime()) / 1000 : 0;
  return {
    id: row.id,
    incidentId: row.incident_id,
    fileName: row.file_name,
    format: row.format,
    status: row.status,
    rows: Number(row.rows_total),
    accepted: Number(row.accepted),
    rejected: Number(row.rejected),
    warnings: warningCounts(row.warnings),
    caseSensitiveIds: row.case_sensitive_ids,
    bytesDone: Number(row.bytes_done),
    bytesTotal: Number(row.file_bytes),
    rowsPerSecond: seconds > 0 ? Math.round(Number(row.rows_total) / seconds) : 0,
    peopleAfter: row.people_after === null ? null : Number(row.people_after),
    newPeople:
      row.people_after === null || row.people_before === null
        ? null
        : Math.max(0, Number(row.people_after) - Number(row.people_before)),
    // Null until resolution ran (and for duplicates); then the conflicts this import brought.
    conflicts: row.conflicts_found === null ? null : (ownConflicts.get(row.id) ?? 0),
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    mapping: row.mapping,
  };
}

export async function listImports(db: Executor, incidentId: string): Promise<ImportSummaryDto[]> {
  const rows = await db
    .selectFrom('imports')
    .select(importColumns)
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .execute();
  const own = await conflictsByImport(db, incidentId, rows);
  return rows.map((r) => toSummary(r as unknown as ImportRowSlice, own));
}

export async function getImport(db: Executor, importId: string): Promise<ImportSummaryDto> {
  const row = await db
    .selectFrom('imports')
    .select(importColumns)
    .where('id', '=', importId)
    .executeTakeFirst();
  if (!row) throw notFound('An import with this id');
  return toSummary(row as unknown as ImportRowSlice, await conflictsByImport(db, row.incident_id, [row]));
}

export async function listIssues(
  db: Executor,
  importId: string,
  query: Partial<z.output<typeof importIssuesQuery>>,
): Promise<{ issues: ImportIssueDto[]; nextAfterLine: number | null }> {
  const limit = query.limit ?? 200;
  let q = db
    .selectFrom('import_issues')
    .select(['line_no', 'severity', 'reason', 'field'])
    .where('import_id', '=', importId)
    .where('line_no', '>', query.afterLine ?? 0);
  if (query.severity) q = q.where('severity', '=', query.severity);
  const rows = await q
    .orderBy('line_no')
    .limit(limit + 1)
    .execute();
  let page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  if (hasMore) {
    // A line can carry several issues: end the page on a whole line so the next page misses none.
    const cutLine = Number(rows[limit]!.line_no);
    const whole = page.filter((r) => Number(r.line_no) < cutLine);
    if (whole.length > 0) page = whole;
  }
  return {
    issues: page.map((r) => ({
      line: Number(r.line_no),
      severity: r.severity,
      reason: r.reason,
      field: r.field,
    })),
    nextAfterLine: hasMore ? Number(page.at(-1)!.line_no) : null,
  };
}
