import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/people.ts';
import { canCredential } from '../../../shared/permissions.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/actors.ts';
import { incidentExists } from '../incidents/index.ts';
import type { ImportJobs } from './import-jobs.ts';
import { previewSource } from './import-runner.ts';
import { getImport, listImports, listIssues } from './imports.service.ts';
import { InputError } from './input/read-input.ts';
import { saveUpload, UploadTooLargeError, uploadSource } from './input/sources.ts';
import type { Mapping } from './mapping.ts';
import { findAffected, findPeople, peopleStats, viewPerson } from './people.service.ts';
import { listPeople } from './people-list.ts';

interface UploadSidecar {
  incidentId: string;
  fileName: string;
  bytes: number;
  sha256: string;
}

type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'> & { jobs: ImportJobs };

const UPLOAD_TYPES = [
  'application/octet-stream',
  'text/csv',
  'text/plain',
  'application/gzip',
  'application/x-gzip',
  'application/x-ndjson',
  'application/jsonl',
];

export function peopleRoutes(deps: Deps): FastifyPluginAsyncZod {
  const uploadDir = path.join(deps.config.dataDir, 'uploads');
  const importDir = path.resolve(deps.config.CANDOR_IMPORT_DIR ?? path.join(deps.config.dataDir, 'imports'));

  return async (app) => {
    // Uploads stream straight to an encrypted file; the body is never buffered or stored in plaintext.
    app.addContentTypeParser(UPLOAD_TYPES, (_request, _payload, done) => done(null));

    const ensureIncident = async (incidentId: string) => {
      if (!(await incidentExists(deps.db, incidentId))) throw notFound('An incident with this id');
    };

    app.post(
      '/api/incidents/:id/uploads',
      {
        config: { access: { permission: 'people:import' } },
        schema: {
          tags: ['people'],
          params: idParams,
          headers: z.object({ 'x-file-name': z.string().trim().min(1).max(300) }),
          response: { 200: contract.uploadResponse },
        },
      },
      async (request) => {
        await ensureIncident(request.params.id);
        const fileName = path.basename(request.headers['x-file-name']);
        let saved: Awaited<ReturnType<typeof saveUpload>>;
        try {
          saved = await saveUpload(deps.crypto, uploadDir, request.raw, deps.config.CANDOR_UPLOAD_LIMIT);
        } catch (error) {
          if (error instanceof UploadTooLargeError) {
            throw new AppError(
              'payload_too_large',
              `${error.message} Put the file in the import folder on the server and import it by name instead.`,
            );
          }
          throw error;
        }
        try {
          const preview = await previewSource(
            uploadSource(deps.crypto, saved.path, fileName, saved.bytes),
            {},
          );
          const sidecar: UploadSidecar = {
            incidentId: request.params.id,
            fileName,
            bytes: saved.bytes,
            sha256: saved.sha256.toString('hex'),
          };
          await fs.promises.writeFile(`${saved.path}.json`, JSON.stringify(sidecar), { mode: 0o600 });
          await deps.db.transaction().execute((tx) =>
            recordAudit(tx, {
              actor: actorOf(request.principal!),
              action: 'import.uploaded',
              requestId: request.id,
              target: { type: 'incident', id: request.params.id },
              details: {
                uploadId: saved.uploadId,
                bytes: saved.bytes,
                previewRows: Math.min(preview.samples.length, 5),
              },
            }),
          );
          return {
            uploadId: saved.uploadId,
            fileName,
            bytes: saved.bytes,
            preview: { ...preview, samples: preview.samples.slice(0, 5) },
          };
        } catch (error) {
          await fs.promises.rm(saved.path, { force: true });
          await fs.promises.rm(`${saved.path}.json`, { force: true });
          if (error instanceof InputError) throw new AppError('bad_request', error.message);
          throw error;
        }
      },
    );

    app.post(
      '/api/incidents/:id/imports',
      {
        config: { access: { permission: 'people:import' } },
        schema: {
          tags: ['people'],
          params: idParams,
          body: contract.startImportRequest,
          response: { 200: contract.startImportResponse },
        },
      },
      async (request) => {
        await ensureIncident(request.params.id);
        const body = request.body;
        let source: Parameters<ImportJobs['start']>[0]['source'];
        let fileName: string;
        if (body.uploadId) {
          const file = path.join(uploadDir, `${body.uploadId}.upload`);
          const sidecar = await fs.promises
            .readFile(`${file}.json`, 'utf8')
            .then((text) => JSON.parse(text) as UploadSidecar)
            .catch(() => undefined);
          if (!sidecar || sidecar.incidentId !== request.params.id || !fs.existsSync(file)) {
            throw notFound('An upload with this id for this incident (uploads are removed once imported)');
          }
          source = {
            kind: 'upload',
            path: file,
            sha256: Buffer.from(sidecar.sha256, 'hex'),
            bytes: sidecar.bytes,
          };
          fileName = sidecar.fileName;
        } else {
          const resolved = path.resolve(importDir, body.serverPath!);
          if (!resolved.startsWith(`${importDir}${path.sep}`) || !fs.existsSync(resolved)) {
            throw new AppError(
              'bad_request',
              `Put the file in the import folder on the server (${importDir}) and give its name relative to it.`,
            );
          }
          source = { kind: 'file', path: resolved };
          fileName = path.basename(resolved);
        }
        return deps.jobs.start({
          incidentId: request.params.id,
          source,
          fileName,
          format: body.format,
          encoding: body.encoding,
          mapping: body.mapping as Mapping | undefined,
          defaultCountry: body.defaultCountry,
          caseSensitiveIds: body.caseSensitiveIds,
          actor: actorOf(request.principal!),
          requestId: request.id,
        });
      },
    );

    app.get(
      '/api/incidents/:id/imports',
      {
        config: { access: { permission: 'people:read' } },
        schema: { tags: ['people'], params: idParams, response: { 200: contract.importList } },
      },
      async (request) => ({ imports: await listImports(deps.db, request.params.id) }),
    );

    app.get(
      '/api/imports/:id',
      {
        config: { access: { permission: 'people:read' } },
        schema: { tags: ['people'], params: idParams, response: { 200: contract.importSummary } },
      },
      async (request) => getImport(deps.db, request.params.id),
    );

    app.get(
      '/api/imports/:id/issues',
      {
        config: { access: { permission: 'people:read' } },
        schema: {
          tags: ['people'],
          params: idParams,
          querystring: contract.importIssuesQuery,
          response: { 200: contract.importIssuesPage },
        },
      },
      async (request) => listIssues(deps.db, request.params.id, request.query),
    );

    app.get(
      '/api/imports/:id/issues.csv',
      { config: { access: { permission: 'people:read' } }, schema: { tags: ['people'], params: idParams } },
      async (request, reply) => {
        const job = await getImport(deps.db, request.params.id);
        const db = deps.db;
        async function* lines() {
          yield 'line,severity,reason,field\n';
          let afterLine = 0;
          for (;;) {
            const page = await listIssues(db, job.id, { afterLine, limit: 1000 });
            for (const issue of page.issues) {
              yield `${issue.line},${issue.severity},"${issue.reason.replace(/"/g, '""')}",${issue.field ?? ''}\n`;
            }
            if (page.nextAfterLine === null) return;
            afterLine = page.nextAfterLine;
          }
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="rejected-rows-${job.id.slice(0, 8)}.csv"`)
          .send(Readable.from(lines()));
      },
    );

    app.get(
      '/api/incidents/:id/people/stats',
      {
        config: { access: { permission: 'people:read' } },
        schema: { tags: ['people'], params: idParams, response: { 200: contract.peopleStats } },
      },
      async (request) => {
        await ensureIncident(request.params.id);
        return peopleStats(deps.db, request.params.id);
      },
    );

    // Filters and the cursor are no personal data, so GET; masked identifiers only with people:read_pii.
    app.get(
      '/api/incidents/:id/people',
      {
        config: { access: { permission: 'people:read' } },
        schema: {
          tags: ['people'],
          params: idParams,
          querystring: contract.peopleListQuery,
          response: { 200: contract.peoplePage },
        },
      },
      async (request, reply) => {
        await ensureIncident(request.params.id);
        const principal = request.principal!;
        reply.header('cache-control', 'no-store');
        return listPeople(deps, request.params.id, request.query, {
          actor: actorOf(principal),
          requestId: request.id,
          mayReadPii: canCredential(principal.kind, principal.role, 'people:read_pii'),
        });
      },
    );

    // POST, not GET: the identifier must never travel in a URL.
    app.post(
      '/api/incidents/:id/people/find',
      {
        config: { access: { permission: 'people:read' } },
        schema: {
          tags: ['people'],
          params: idParams,
          body: contract.findPeopleRequest,
          response: { 200: contract.findPeopleResponse },
        },
      },
      async (request) => {
        await ensureIncident(request.params.id);
        const principal = request.principal!;
        const meta = { actor: actorOf(principal), requestId: request.id };
        // Pins "verify before disclosure": without people:read_pii, a search says whether someone matched
        // and nothing of what leaked (an agent learns exposure only from a verified inbox thread).
        if (!canCredential(principal.kind, principal.role, 'people:read_pii')) {
          const affected = await findAffected(deps, request.params.id, request.body, meta);
          return { people: [], affected, isLimited: true };
        }
        const people = await findPeople(deps, request.params.id, request.body, meta);
        return { people, affected: people.length > 0, isLimited: false };
      },
    );

    app.get(
      '/api/incidents/:id/people/:personId',
      {
        config: { access: { permission: 'people:read_pii' } },
        schema: { tags: ['people'], params: contract.personParams, response: { 200: contract.personDetail } },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return viewPerson(deps, request.params.id, request.params.personId, {
          actor: actorOf(request.principal!),
          requestId: request.id,
        });
      },
    );
  };
}
