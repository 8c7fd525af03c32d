import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/incidents.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { actorOf } from '../../platform/http/actors.ts';
import * as incidents from './incidents.service.ts';

export function incidentsRoutes(deps: Pick<PlatformContext, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/incidents',
      {
        config: { access: { permission: 'incidents:read' } },
        schema: { tags: ['incidents'], response: { 200: contract.incidentList } },
      },
      async () => ({ incidents: await incidents.listIncidents(deps.db) }),
    );
    app.get(
      '/api/incidents/:id',
      {
        config: { access: { permission: 'incidents:read' } },
        schema: { tags: ['incidents'], params: idParams, response: { 200: contract.incidentSummary } },
      },
      async (request) => incidents.getIncident(deps.db, request.params.id),
    );
    app.post(
      '/api/incidents',
      {
        config: { access: { permission: 'incidents:write' } },
        schema: {
          tags: ['incidents'],
          body: contract.createIncidentRequest,
          response: { 200: contract.incidentSummary },
        },
      },
      async (request) =>
        incidents.createIncident(deps, request.body, {
          actor: actorOf(request.principal!),
          requestId: request.id,
        }),
    );
  };
}
