import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import type pg from 'pg';
import { dbOnClient, poolOf } from '../../db/database.ts';
import type { ImportStatus } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { appendTimeline } from '../incidents/index.ts';
import { createBuildPool } from './build-pool.ts';
import { type ChunkContext, type ChunkResult, createChunkBuilder } from './chunk-builder.ts';
import { copyIn, copyInText, copyText } from './copy.ts';
import { caseRuleForImport } from './customer-id-rule.ts';
import { type WarningCounts, warningCounts, warningTotal } from './import-warnings.ts';
import {
  type InputEncoding,
  InputError,
  type InputFormat,
  type InputRow,
  openInput,
} from './input/read-input.ts';
import { fileSource, type InputSource, uploadSource } from './input/sources.ts';
import { detectMapping, type Mapping } from './mapping.ts';
import type { RowIssue } from './record-builder.ts';
import { resolveIncident } from './resolve.ts';

/**
 * Imports one file into one incident, resumably:
 *  1. the file's SHA-256 identifies it: the same file again into the same incident adds nothing, and an
 *     unfinished import of it resumes;
 *  2. rows are parsed, normalized, sealed and written in batches by COPY; each batch commits together with
 *     the import's checkpoint (last line) and counters, so after a kill at any point a re-run skips exactly
 *     the committed lines: nothing lost, nothing twice;
 *  3. identity resolution then recomputes the incident's people (idempotent, one transaction).
 * One import per incident at a time (an advisory lock); imports into different incidents run in parallel.
 */
export interface ImportProgress {
  phase: 'hashing' | 'parsing' | 'resolving' | 'done';
  detail?: string;
  line: number;
  accepted: number;
  rejected: number;
  /** Warnings on kept rows so far (all kinds). */
  warnings: number;
  bytesDone: number;
  bytesTotal: number;
  rowsPerSecond: number;
}

export interface ImportSummary {
  importId: string;
  rows: number;
  accepted: number;
  rejected: number;
  warnings: WarningCounts;
  people: number;
  newPeople: number;
  conflicts: number;
  isDuplicate: boolean;
  mapping: Mapping;
  unmapped: string[];
}

export type ImportSourceRequest =
  | { kind: 'file'; path: string }
  | { kind: 'upload'; path: string; sha256: Buffer; bytes: number };

export interface ImportRequest {
  incidentId: string;
  source: ImportSourceRequest;
  fileName: string;
  format?: InputFormat | undefined;
  encoding?: InputEncoding | undefined;
  mapping?: Mapping | undefined;
  defaultCountry?: string | undefined;
  /** Compare customer ids case-sensitively (see customer-id-rule.ts); left out, the incident's rule. */
  caseSensitiveIds?: boolean | undefined;

  actor: Actor;
  requestId?: string | undefined;
  onProgress?: (progress: ImportProgress) => void;
  /** Continue this unfinished import (its stored settings and checkpoint) instead of looking it up by content. */
  resumeImportId?: string;
  /** Called once the import has its id (a new one, the unfinished one it resumes, or the earlier duplicate). */
  onStarted?: (importId: string, isDuplicate: boolean) => void;
}

type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'logger'> & {
  config?: Pick<PlatformContext['config'], 'CANDOR_IMPORT_THREADS' | 'CANDOR_IMPORT_THREADS_FROM'>;
};

const BATCH_ROWS = 5000;
const CHUNK_ROWS = 1000;
const SAMPLE_ROWS = 200;
const PREVIEW_CHARS = 64 * 2 ** 20;
const LOCK_CLASS = 7_317_100;

export async function sha256File(path: string, onBytes?: (bytes: number) => void): Promise<Buffer> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    onBytes?.(bytes);
  }
  return hash.digest();
}

/** Reads the header and a sample, and proposes a mapping (for the CLI's printout and the console's preview). */
export async function previewSource(
  source: InputSource,
  options: { format?: InputFormat | undefined; encoding?: InputEncoding | undefined },
) {
  // A preview reads the start of the file only: an upload is answered promptly whatever comes after.
  const input = await openInput(source, { ...options, maxChars: PREVIEW_CHARS });
  const samples: Array<Record<string, string>> = [];
  const errors: Array<{ line: number; error: string }> = [];
  for await (const row of input.rows) {
    if (row.error) errors.push({ line: row.line, error: row.error });
    else samples.push(Object.fromEntries(input.headers.map((h, i) => [h, row.values?.[i] ?? ''])));
    if (samples.length >= SAMPLE_ROWS) break;
  }
  await input.rows.return(undefined);
  const detected = detectMapping(input.headers, samples);
  return {
    format: input.format,
    isGzip: input.isGzip,
    headers: [...input.headers],
    samples,
    errors,
    ...detected,
  };
}

function sourceOf(
  deps: Deps,
  job: { source_path: string | null; is_upload: boolean; file_name: string; file_bytes: number },
): InputSource {
  if (!job.source_path)
    throw new AppError('conflict', 'This import has no stored source to read; import the file again.');
  return job.is_upload
    ? uploadSource(deps.crypto, job.source_path, job.file_name, Number(job.file_bytes))
    : fileSource(job.source_path, job.file_name);
}

/**
 * What makes two imports of one file the same import: how it is read and mapped. (Not the customer-id
 * rule: imports are compared within one incident, which has one rule.)
 */
function settingsHash(request: ImportRequest): Buffer {
  const mapping = request.mapping
    ? Object.fromEntries(Object.entries(request.mapping).sort(([a], [b]) => a.localeCompare(b)))
    : 'detected';
  return createHash('sha256')
    .update(
      JSON.stringify({
        format: request.format ?? 'auto',
        encoding: request.encoding ?? 'utf8',
        mapping,
        defaultCountry: request.defaultCountry ?? null,
      }),
    )
    .digest();
}

export async function runImport(deps: Deps, request: ImportRequest): Promise<ImportSummary> {
  const { db } = deps;
  const incident = await db
    .selectFrom('incidents')
    .select('id')
    .where('id', '=', request.incidentId)
    .executeTakeFirst();
  if (!incident)
    throw new AppError(
      'not_found',
      `No incident ${request.incidentId}. Create one with \`candor incident create\`.`,
    );
  const { source } = request;
  let size: number;
  if (source.kind === 'upload') size = source.bytes;
  else {
    const stat = await fs.promises.stat(source.path).catch(() => {
      throw new AppError(
        'bad_request',
        `Cannot read ${request.fileName}: the file does not exist or is not readable.`,
      );
    });
    size = stat.size;
  }
  const progress = progressReporter(request.onProgress, size);
  progress.update({ phase: 'hashing' });
  const sha =
    source.kind === 'upload'
      ? source.sha256
      : await sha256File(source.path, (bytes) => progress.update({ phase: 'hashing', bytesDone: bytes }));

  const pool = poolOf(db);
  const lockClient = await pool.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, request.incidentId]);
    // Resuming keeps the import's own rule; a new import takes (or must match) the incident's.
    const caseSensitiveIds = request.resumeImportId
      ? false
      : await caseRuleForImport(db, request.incidentId, request.caseSensitiveIds);
    const settings = settingsHash(request);
    let job = request.resumeImportId
      ? await loadImport(deps, request.resumeImportId)
      : await db
          .selectFrom('imports')
          .selectAll()
          .where('incident_id', '=', request.incidentId)
          .where('file_sha256', '=', sha)
          .where('settings_sha256', '=', settings)
          .where('status', '!=', 'failed')
          .executeTakeFirst();
    if (request.resumeImportId && job && !job.file_sha256.equals(sha)) {
      throw new AppError(
        'conflict',
        'The file changed since this import began: import it as a new file instead of resuming.',
      );
    }
    if (job?.status === 'done' || job?.status === 'duplicate') {
      const summary = summaryOf(job, [], true);
      request.onStarted?.(job.id, true);
      await db.transaction().execute((tx) =>
        recordAudit(tx, {
          actor: request.actor,
          action: 'import.skipped_duplicate',
          requestId: request.requestId,
          target: { type: 'import', id: job!.id },
        }),
      );
      return summary;
    }
    let unmapped: string[] = [];
    if (!job) {
      const inputSource =
        source.kind === 'upload'
          ? uploadSource(deps.crypto, source.path, request.fileName, source.bytes)
          : fileSource(source.path, request.fileName);
      const preview = await previewSource(inputSource, {
        format: request.format,
        encoding: request.encoding,
      });
      const mapping = request.mapping ?? preview.mapping;
      unmapped = preview.headers.filter((h) => !(h in mapping));
      job = await db.transaction().execute(async (tx) => {
        const base = await tx
          .selectFrom('imports')
          .select((eb) => eb.fn.max('rn_base').as('max'))
          .where('incident_id', '=', request.incidentId)
          .executeTakeFirst();
        const row = await tx
          .insertInto('imports')
          .values({
            incident_id: request.incidentId,
            file_name: request.fileName.slice(0, 300),
            file_sha256: sha,
            settings_sha256: settings,
            file_bytes: size,
            source_path: source.path,
            is_upload: source.kind === 'upload',
            format: preview.format,
            encoding: request.encoding ?? 'utf8',
            default_country: request.defaultCountry ?? null,
            case_sensitive_ids: caseSensitiveIds,
            mapping: JSON.stringify(mapping),
            status: 'parsing',
            // 2^32 lines per import, so record numbers of different imports never collide.
            rn_base: Number(base?.max ?? 0) + 2 ** 32,
            created_by: request.actor.label,
            started_at: new Date(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await sql`CREATE TABLE ${sql.id(stagingTable(row.id))} (LIKE source_records)`.execute(tx);
        await recordAudit(tx, {
          actor: request.actor,
          action: 'import.started',
          requestId: request.requestId,
          target: { type: 'import', id: row.id },
          details: {
            incidentId: request.incidentId,
            format: preview.format,
            unmappedColumns: unmapped.length,
          },
        });
        return row;
      });
    }
    request.onStarted?.(job.id, false);
    try {
      if (job.status === 'parsing' || job.status === 'pending') {
        await parseIntoRecords(deps, job, sourceOf(deps, job), progress);
      }
      return await finishImport(deps, job.id, request, progress, unmapped);
    } catch (error) {
      // The file itself is unusable: record why and stop retrying. Other failures (the database went
      // away, the process was stopped) leave the import as it is, to resume.
      if (error instanceof InputError || error instanceof AppError)
        await markFailed(deps, job.id, error.message, request);
      throw error;
    }
  } catch (error) {
    if (error instanceof InputError) {
      throw new AppError('bad_request', error.message, { cause: error });
    }
    throw error;
  } finally {
    await lockClient
      .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, request.incidentId])
      .catch(() => {});
    lockClient.release();
  }
}

type ImportRow = NonNullable<Awaited<ReturnType<typeof loadImport>>>;

/** An upload is deleted once its import ends (done or failed): the sealed file and its description. */
async function removeUpload(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
  await fs.promises.rm(`${file}.json`, { force: true });
}

async function markFailed(
  deps: Deps,
  importId: string,
  message: string,
  request: ImportRequest,
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const failed = await tx
      .updateTable('imports')
      .set({
        status: 'failed',
        error: message.slice(0, 500),
        finished_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', importId)
      .where('status', 'in', ['pending', 'parsing', 'resolving'])
      .returning(['id', 'is_upload', 'source_path'])
      .executeTakeFirst();
    if (!failed) return;
    await sql`DROP TABLE IF EXISTS ${sql.id(stagingTable(importId))}`.execute(tx);
    await recordAudit(tx, {
      actor: request.actor,
      action: 'import.failed',
      outcome: 'failure',
      requestId: request.requestId,
      target: { type: 'import', id: importId },
    });
    if (failed.is_upload && failed.source_path) await removeUpload(failed.source_path);
  });
}

/** Continues an interrupted import from its stored source and checkpoint (server restart, worker). */
export async function resumeImport(deps: Deps, importId: string, actor: Actor): Promise<ImportSummary> {
  const job = await loadImport(deps, importId);
  if (!job || !['pending', 'parsing', 'resolving'].includes(job.status)) {
    throw new AppError('conflict', 'This import is not waiting to be resumed.');
  }
  return runImport(deps, {
    incidentId: job.incident_id,
    source: job.is_upload
      ? {
          kind: 'upload',
          path: job.source_path ?? '',
          sha256: job.file_sha256,
          bytes: Number(job.file_bytes),
        }
      : { kind: 'file', path: job.source_path ?? '' },
    fileName: job.file_name,
    resumeImportId: job.id,
    actor,
  });
}

function loadImport(deps: Deps, importId: string) {
  return deps.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirst();
}

async function parseIntoRecords(
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

async function finishImport(
  deps: Deps,
  importId: string,
  request: ImportRequest,
  progress: ProgressReporter,
  unmapped: string[],
): Promise<ImportSummary> {
  const pool = poolOf(deps.db);
  const read = await pool.connect();
  const write = await pool.connect();
  try {
    // Attach the import's records (building their indexes in one pass) and mark it resolving, committed,
    // so the resolution's reading connection sees them; a crash after this resumes at resolution.
    await write.query('BEGIN');
    const staging = stagingTable(importId);
    const attached = await write.query('SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1)', [
      staging,
    ]);
    if (attached.rowCount === 0) {
      progress.update({ phase: 'resolving', detail: 'indexing records' });
      await write.query(
        `ALTER TABLE source_records_${request.incidentId.replace(/-/g, '')} ATTACH PARTITION ${staging} FOR VALUES IN ('${importId}')`,
      );
      // Fresh statistics, so resolution's joins are planned for a million rows, not an empty table.
      await write.query(`ANALYZE ${staging}`);
    }
    const peopleBefore = await write.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM people WHERE incident_id = $1',
      [request.incidentId],
    );
    await write.query(
      `UPDATE imports SET status = 'resolving', people_before = coalesce(people_before, $2) WHERE id = $1`,
      [importId, peopleBefore.rows[0]!.n],
    );
    await write.query('COMMIT');

    await write.query('BEGIN');
    const result = await resolveIncident(read, write, request.incidentId, (detail) =>
      progress.update({ phase: 'resolving', detail }),
    );
    const tx = dbOnClient(write);
    await tx
      .updateTable('imports')
      .set({
        status: 'done' satisfies ImportStatus,
        people_after: result.people,
        conflicts_found: result.conflicts,
        finished_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', importId)
      .execute();
    const job = (await tx
      .selectFrom('imports')
      .selectAll()
      .where('id', '=', importId)
      .executeTakeFirstOrThrow()) as ImportRow;
    await recordAudit(tx, {
      actor: request.actor,
      action: 'import.completed',
      requestId: request.requestId,
      target: { type: 'import', id: importId },
      details: {
        incidentId: request.incidentId,
        rows: Number(job.rows_total),
        accepted: Number(job.accepted),
        rejected: Number(job.rejected),
        people: result.people,
        conflicts: result.conflicts,
      },
    });
    await appendTimeline(tx, {
      incidentId: request.incidentId,
      kind: 'import',
      actor: request.actor,
      summary: `Import of ${job.file_name} finished: ${Number(job.accepted).toLocaleString('en-US')} records accepted, ${Number(job.rejected).toLocaleString('en-US')} rejected; ${result.people.toLocaleString('en-US')} affected people (${result.conflicts} conflicts to review). Obligations recomputed.`,
      details: {
        importId,
        accepted: Number(job.accepted),
        rejected: Number(job.rejected),
        people: result.people,
      },
    });
    await write.query('COMMIT');
    await tx.destroy();
    if (job.is_upload && job.source_path) await removeUpload(job.source_path);
    progress.update({ phase: 'done' });
    return summaryOf(job, unmapped, false);
  } catch (error) {
    await write.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    read.release();
    write.release();
  }
}

function summaryOf(job: ImportRow, unmapped: string[], isDuplicate: boolean): ImportSummary {
  const before = Number(job.people_before ?? 0);
  const after = Number(job.people_after ?? 0);
  return {
    importId: job.id,
    rows: isDuplicate ? 0 : Number(job.rows_total),
    accepted: isDuplicate ? 0 : Number(job.accepted),
    rejected: isDuplicate ? 0 : Number(job.rejected),
    warnings: isDuplicate ? { total: 0, byKind: {} } : warningCounts(job.warnings),
    people: after,
    newPeople: isDuplicate ? 0 : Math.max(0, after - before),
    conflicts: isDuplicate ? 0 : Number(job.conflicts_found ?? 0),
    isDuplicate,
    mapping: job.mapping as Mapping,
    unmapped,
  };
}

interface ProgressReporter {
  update(partial: Partial<ImportProgress>): void;
}

function progressReporter(onProgress: ImportRequest['onProgress'], bytesTotal: number): ProgressReporter {
  const state: ImportProgress = {
    phase: 'hashing',
    line: 0,
    accepted: 0,
    rejected: 0,
    warnings: 0,
    bytesDone: 0,
    bytesTotal,
    rowsPerSecond: 0,
  };
  let startedAt = 0;
  let startRows = 0;
  return {
    update(partial) {
      if (partial.phase === 'parsing' && state.phase !== 'parsing') {
        startedAt = performance.now();
        startRows = (partial.accepted ?? 0) + (partial.rejected ?? 0);
      }
      Object.assign(state, partial);
      if (state.phase === 'parsing' && startedAt) {
        const seconds = (performance.now() - startedAt) / 1000;
        state.rowsPerSecond =
          seconds > 0 ? Math.round((state.accepted + state.rejected - startRows) / seconds) : 0;
      }
      onProgress?.({ ...state });
    },
  };
}

/** Re-runs identity resolution for an incident (after a conflict decision), under the import lock. */
export async function resolveAgain(
  deps: Deps,
  incidentId: string,
  meta: { actor: Actor; requestId?: string | undefined },
) {
  const pool = poolOf(deps.db);
  const lock = await pool.connect();
  const read = await pool.connect();
  const write = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, incidentId]);
    await write.query('BEGIN');
    const result = await resolveIncident(read, write, incidentId);
    const tx = dbOnClient(write);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.resolved',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { people: result.people, conflicts: result.conflicts },
    });
    await appendTimeline(tx, {
      incidentId,
      kind: 'import',
      actor: meta.actor,
      summary: `People re-resolved after a conflict decision: ${result.people.toLocaleString('en-US')} affected people.`,
      details: { people: result.people, conflicts: result.conflicts },
    });
    await write.query('COMMIT');
    await tx.destroy();
    return result;
  } catch (error) {
    await write.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, incidentId]).catch(() => {});
    for (const client of [lock, read, write]) client.release();
  }
}
