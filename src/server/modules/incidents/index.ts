import type { PlatformContext } from '../../platform/context.ts';
import { incidentsRoutes } from './incidents.routes.ts';
import * as service from './incidents.service.ts';

/** Incidents: the record every response hangs off. */
export function createIncidentsModule(ctx: Pick<PlatformContext, 'db'>) {
  return {
    routes: [incidentsRoutes(ctx)],
    service: {
      create: (
        input: Parameters<typeof service.createIncident>[1],
        meta: Parameters<typeof service.createIncident>[2],
      ) => service.createIncident(ctx, input, meta),
      get: (id: string) => service.getIncident(ctx.db, id),
      list: () => service.listIncidents(ctx.db),
    },
  };
}
