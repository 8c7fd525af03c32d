import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/people.ts';
import { canCredential } from '../../../shared/permissions.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/actors.ts';
import { incidentExists } from '../incidents/index.ts';
import { revealConflict } from './conflict-identifiers.ts';
import { decideConflict, listConflicts } from './conflicts.service.ts';
import { ensureJobQueue, requestResolution, resolutionState } from './resolve-again.ts';

/**
 * The conflicts queue and what follows a decision: listing conflicts, revealing both sides (audited), deciding,
 * and the background re-resolution of the incident's people that a merge starts (its state and a retry).
 */
type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>;

export function conflictRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const ensureIncident = async (incidentId: string) => {
      if (!(await incidentExists(deps.db, incidentId))) throw notFound('An incident with this id');
    };

    // The console polls this while people are being resolved again after conflict decisions.
    app.get(
      '/api/incidents/:id/people/resolution',
      {
        config: { access: { permission: 'people:read' } },
        schema: { tags: ['people'], params: idParams, response: { 200: contract.peopleResolution } },
      },
      async (request) => {
        await ensureIncident(request.params.id);
        return resolutionState(deps.db, request.params.id);
      },
    );

    // Runs the re-resolution again (after a failure); decisions taken meanwhile share the same run.
    app.post(
      '/api/incidents/:id/people/resolution',
      {
        config: { access: { permission: 'people:import' } },
        schema: { tags: ['people'], params: idParams, response: { 200: contract.peopleResolution } },
      },
      async (request) => {
        await ensureIncident(request.params.id);
        await ensureJobQueue(deps.db);
        return deps.db.transaction().execute(async (tx) => {
          await requestResolution(tx, request.params.id);
          await recordAudit(tx, {
            actor: actorOf(request.principal!),
            action: 'people.resolution_requested',
            requestId: request.id,
            target: { type: 'incident', id: request.params.id },
          });
          return resolutionState(tx, request.params.id);
        });
      },
    );

    app.get(
      '/api/incidents/:id/conflicts',
      {
        config: { access: { permission: 'people:read' } },
        schema: {
          tags: ['people'],
          params: idParams,
          querystring: contract.conflictQuery,
          response: { 200: contract.conflictList },
        },
      },
      async (request) => {
        const principal = request.principal!;
        const mayReadPii = canCredential(principal.kind, principal.role, 'people:read_pii');
        return listConflicts(
          deps.db,
          request.params.id,
          request.query,
          mayReadPii ? { crypto: deps.crypto, actor: actorOf(principal), requestId: request.id } : undefined,
        );
      },
    );

    // POST, so the values answer a deliberate act (never a prefetch or a link) and travel in no URL.
    app.post(
      '/api/conflicts/:id/reveal',
      {
        config: { access: { permission: 'people:read_pii' } },
        schema: { tags: ['people'], params: idParams, response: { 200: contract.conflictReveal } },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return revealConflict(deps, request.params.id, {
          actor: actorOf(request.principal!),
          requestId: request.id,
        });
      },
    );

    app.post(
      '/api/conflicts/:id/decision',
      {
        config: { access: { permission: 'people:import' } },
        schema: {
          tags: ['people'],
          params: idParams,
          body: contract.conflictDecisionRequest,
          response: { 200: contract.conflictSummary },
        },
      },
      async (request) =>
        decideConflict(deps, request.params.id, request.body.decision, {
          actor: actorOf(request.principal!),
          requestId: request.id,
        }),
    );
  };
}
