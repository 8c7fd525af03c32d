import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as contract from '../../../shared/contracts/audit.ts';
import { recordAudit, verifyAuditChain } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { actorOf } from '../../platform/http/actors.ts';
import { queryAudit } from './audit.service.ts';

export function auditRoutes(deps: Pick<PlatformContext, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/audit',
      {
        config: { access: { permission: 'audit:read' } },
        schema: { tags: ['audit'], querystring: contract.auditQuery, response: { 200: contract.auditPage } },
      },
      async (request) => queryAudit(deps.db, request.query),
    );

    app.get(
      '/api/audit/verify',
      {
        config: { access: { permission: 'audit:read' } },
        schema: { tags: ['audit'], response: { 200: contract.auditVerifyResponse } },
      },
      async () => verifyAuditChain(deps.db),
    );

    /** JSON lines, newest first, every page of the filter; the export itself is audited. */
    app.get(
      '/api/audit/export',
      {
        config: { access: { permission: 'audit:export' } },
        schema: { tags: ['audit'], querystring: contract.auditQuery.omit({ before: true, limit: true }) },
      },
      async (request, reply) => {
        await deps.db.transaction().execute((tx) =>
          recordAudit(tx, {
            actor: actorOf(request.principal!),
            action: 'audit.exported',
            requestId: request.id,
            details: Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, String(v)])),
          }),
        );
        const query = request.query;
        async function* lines() {
          let before: number | undefined;
          do {
            const page = await queryAudit(deps.db, { ...query, limit: 500, ...(before ? { before } : {}) });
            for (const entry of page.entries) yield `${JSON.stringify(entry)}\n`;
            before = page.nextBefore ?? undefined;
          } while (before);
        }
        return reply
          .type('application/x-ndjson; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="candor-audit-${new Date().toISOString().slice(0, 10)}.jsonl"`,
          )
          .header('cache-control', 'no-store')
          .send(Readable.from(lines()));
      },
    );
  };
}
