import type { Selectable } from 'kysely';
import type pg from 'pg';
import { poolOf } from '../../db/database.ts';
import type { ImportsTable } from '../../db/schema.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { createBuildPool } from './build-pool.ts';
import { type ChunkContext, type ChunkResult, createChunkBuilder } from './chunk-builder.ts';
import { copyIn, copyInText, copyText } from './copy.ts';
import type { ProgressReporter } from './import-progress.ts';
import { type WarningCounts, warningTotal } from './import-warnings.ts';
import { type InputRow, openInput } from './input/read-input.ts';
import type { InputSource } from './input/sources.ts';
import { detectMapping, type Mapping } from './mapping.ts';
import type { RowIssue } from './record-builder.ts';

/**
 * The parsing phase of an import: rows are read, built into records (normalized, sealed) in chunks, and
 * written by COPY in batches that commit together with the import's checkpoint (its last line), its
 * counters and its warnings per kind, so a resumed import skips exactly the committed lines.
 */
type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'logger'> & {
  config?: Pick<PlatformContext['config'], 'CANDOR_IMPORT_THREADS' | 'CANDOR_IMPORT_THREADS_FROM'>;
};
type ImportRow = Selectable<ImportsTable>;

const BATCH_ROWS = 5000;
const CHUNK_ROWS = 1000;

export async function parseIntoRecords(
  deps: Deps,
  job: ImportRow,
  source: InputSource,
  progress: ProgressReporter,
): Promise<void> {
  const input = await openInput(source, { format: job.format, encoding: job.encoding });
  const mapping = job.mapping as Mapping;
  const skipThrough = Number(job.checkpoint_line);
  const totals = {
    accepted: Number(job.accepted),
    rejected: Number(job.rejected),
    rowsTotal: Number(job.rows_total),
    warnings: { ...(job.warnings as Record<string, number>) },
  };
  progress.update({
    phase: 'parsing',
    accepted: totals.accepted,
    rejected: totals.rejected,
    warnings: warningTotal(totals.warnings),
    line: skipThrough,
  });
  const context: ChunkContext = {
    incidentId: job.incident_id,
    importId: job.id,
    rnBase: Number(job.rn_base),
    defaultCountry: job.default_country,
    caseSensitiveIds: job.case_sensitive_ids,
  };
  // Worker threads take a second or two to start: worth it for large files only.
  const threads =
    Number(job.file_bytes) >= (deps.config?.CANDOR_IMPORT_THREADS_FROM ?? 16_777_216)
      ? (deps.config?.CANDOR_IMPORT_THREADS ?? 0)
      : 0;
  const pool = threads > 0 ? createBuildPool(threads, context, deps.crypto.keysForWorkerThread()) : undefined;
  const buildHere = pool ? undefined : createChunkBuilder(context, deps.crypto);
  const liveMapping: Mapping = { ...mapping };
  const build = (headers: string[], rows: InputRow[]) =>
    pool ? pool.build(headers, liveMapping, rows) : Promise.resolve(buildHere!(headers, liveMapping, rows));

  const writer = await poolOf(deps.db).connect();
  let records: string[] = [];
  let recordRows = 0;
  let issues: Array<{ line: number; issue: RowIssue }> = [];
  let lastLine = skipThrough;
  let flushedLine = skipThrough;
  let inFlight: Promise<void> = Promise.resolve();
  const flush = () => {
    if (lastLine === flushedLine) return inFlight;
    flushedLine = lastLine;
    const batch = {
      records,
      issues,
      lastLine,
      ...totals,
      warnings: { ...totals.warnings },
      bytes: input.bytesRead(),
    };
    records = [];
    recordRows = 0;
    issues = [];
    const previous = inFlight;
    inFlight = previous.then(() => writeBatch(writer, job, batch));
    return previous;
  };
  // Chunks go out to the builders in order and are consumed in order: a batch always ends on a chunk's
  // last line, so the checkpoint keeps meaning "every line up to here is written".
  const pending: Array<{
    result: Promise<ChunkResult>;
    lastLine: number;
    rows: number;
    newKeys: Array<{ line: number; issue: RowIssue }>;
  }> = [];
  const reportParsing = () =>
    progress.update({
      phase: 'parsing',
      line: lastLine,
      accepted: totals.accepted,
      rejected: totals.rejected,
      warnings: warningTotal(totals.warnings),
      bytesDone: input.bytesRead(),
    });
  const consume = async () => {
    const chunk = pending.shift()!;
    const result = await chunk.result;
    if (result.records) records.push(result.records);
    recordRows += result.accepted;
    issues.push(...chunk.newKeys, ...result.issues);
    for (const { issue } of [...chunk.newKeys, ...result.issues]) {
      if (issue.severity === 'warning') totals.warnings[issue.kind] = (totals.warnings[issue.kind] ?? 0) + 1;
    }
    totals.accepted += result.accepted;
    totals.rejected += result.rejected;
    totals.rowsTotal += chunk.rows;
    lastLine = chunk.lastLine;
    if (recordRows + issues.length >= BATCH_ROWS) {
      await flush();
      reportParsing();
    }
  };
  let rows: InputRow[] = [];
  let newKeys: Array<{ line: number; issue: RowIssue }> = [];
  let headerCount = input.headers.length;
  const dispatch = () => {
    if (rows.length === 0) return;
    pending.push({
      result: build([...input.headers], rows),
      lastLine: rows.at(-1)!.line,
      rows: rows.length,
      newKeys,
    });
    rows = [];
    newKeys = [];
  };
  try {
    for await (const row of input.rows) {
      if (row.line <= skipThrough) continue;
      if (input.headers.length !== headerCount) {
        // A JSON key first seen here that the mapping does not cover is reported by name, never dropped silently.
        for (const key of input.headers.slice(headerCount)) {
          if (key in liveMapping) continue;
          // Detected by its name when it has a known one (the preview only saw the first rows).
          const byName = detectMapping([key], []).mapping[key];
          if (byName) liveMapping[key] = byName;
          newKeys.push({
            line: row.line,
            issue: {
              severity: 'warning',
              kind: byName ? 'new_key_mapped' : 'new_key_unmapped',
              reason: byName
                ? `new key, mapped by its name to ${byName}`
                : 'new key, not in the mapping: not imported',
              field: key.slice(0, 100),
            },
          });
        }
        headerCount = input.headers.length;
      }
      rows.push(row);
      if (rows.length >= CHUNK_ROWS) {
        dispatch();
        while (pending.length > Math.max(2, threads * 2)) await consume();
      }
    }
    dispatch();
    while (pending.length > 0) await consume();
    await flush();
    await inFlight;
    reportParsing();
  } finally {
    await Promise.allSettled(pending.map((p) => p.result));
    await inFlight.catch(() => {});
    await pool?.close();
    writer.release();
  }
}

/** The import's own table: records land here, unindexed, and join source_records when parsing ends. */
export function stagingTable(importId: string): string {
  return `source_records_i${importId.replace(/-/g, '')}`;
}

const copyRecords = (importId: string) =>
  `COPY ${stagingTable(importId)} (incident_id, rn, import_id, line_no, customer_idx, national_idx, email_idx, phone_idx, ` +
  'categories, country, region, locale, has_email, has_phone, has_postal, payload, email_smtputf8) FROM STDIN';

async function writeBatch(
  client: pg.PoolClient,
  job: ImportRow,
  batch: {
    records: string[];
    issues: Array<{ line: number; issue: RowIssue }>;
    lastLine: number;
    accepted: number;
    rejected: number;
    rowsTotal: number;
    warnings: WarningCounts['byKind'];
    bytes: number;
  },
): Promise<void> {
  await client.query('BEGIN');
  try {
    if (batch.records.length > 0) await copyInText(client, copyRecords(job.id), batch.records);
    if (batch.issues.length > 0) {
      await copyIn(
        client,
        'COPY import_issues (import_id, line_no, severity, reason, field) FROM STDIN',
        batch.issues.map(({ line, issue }) =>
          [job.id, line, issue.severity, copyText(issue.reason), copyText(issue.field)].join('\t'),
        ),
      );
    }
    // Guarded on the checkpoint: a second process racing on the same import cannot double-write.
    const updated = await client.query(
      `UPDATE imports SET checkpoint_line = $2, accepted = $3, rejected = $4, rows_total = $5, bytes_done = $6,
         warnings = $7::jsonb, updated_at = now()
       WHERE id = $1 AND status = 'parsing' AND checkpoint_line < $2`,
      [
        job.id,
        batch.lastLine,
        batch.accepted,
        batch.rejected,
        batch.rowsTotal,
        batch.bytes,
        JSON.stringify(batch.warnings),
      ],
    );
    if (updated.rowCount !== 1) throw new Error('the import moved on in another process; stopping this one');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
