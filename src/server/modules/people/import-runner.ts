import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { poolOf } from '../../db/database.ts';
import { advisoryLockClasses } from '../../platform/advisory-locks.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import { incidentExists } from '../incidents/index.ts';
import { caseRuleForImport } from './customer-id-rule.ts';
import { finishImport, loadImport, removeUpload } from './import-finish.ts';
import { parseIntoRecords, stagingTable } from './import-parse.ts';
import { previewSource, sha256File } from './import-preview.ts';
import { type ImportProgress, type ImportSummary, progressReporter, summaryOf } from './import-progress.ts';
import type { ImportDeps as Deps, ImportRequest } from './import-request.ts';
import { InputError } from './input/read-input.ts';
import { fileSource, type InputSource, uploadSource } from './input/sources.ts';

export type { ImportRequest, ImportSourceRequest } from './import-request.ts';

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

const LOCK_CLASS = advisoryLockClasses.importPerIncident;

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
  if (!(await incidentExists(db, request.incidentId)))
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
    // A new import takes (or must match) the incident's customer-id rule; an import being resumed keeps the
    // rule it was created with (this value only goes into a new import's row).
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

export { type ImportProgress, type ImportSummary, previewSource, sha256File, stagingTable };
