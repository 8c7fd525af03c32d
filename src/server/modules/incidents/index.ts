import type { PlatformContext } from '../../platform/context.ts';
import { incidentsRoutes } from './incidents.routes.ts';
import * as service from './incidents.service.ts';

export { COMPANY_PROFILE_KEY, defaultCompanyProfile, readCompanyProfile } from './company-profile.ts';
export { incidentTitles } from './incidents.repository.ts';
export { effectiveEntity } from './incidents.service.ts';
export { type IncidentPublicFacts, incidentBySlug, incidentPublicFacts } from './public-facts.ts';
export { slugFromTitle } from './public-slug.ts';
export { appendTimeline, type TimelineKind } from './timeline.ts';

/** Incidents: the record every response hangs off, its lifecycle, timeline, tasks and timings. */
export function createIncidentsModule(ctx: Pick<PlatformContext, 'db'>) {
  return {
    routes: [incidentsRoutes(ctx)],
    service: {
      create: (
        input: Parameters<typeof service.createIncident>[1],
        meta: Parameters<typeof service.createIncident>[2],
      ) => service.createIncident(ctx, input, meta),
      get: (id: string) => service.getIncident(ctx.db, id),
      detail: (id: string) => service.getIncidentDetail(ctx.db, id),
      list: () => service.listIncidents(ctx.db),
      setKeyTimes: (
        id: string,
        input: Parameters<typeof service.setKeyTimes>[2],
        meta: Parameters<typeof service.setKeyTimes>[3],
      ) => service.setKeyTimes(ctx, id, input, meta),
      transition: (
        id: string,
        to: Parameters<typeof service.transitionIncident>[2],
        meta: Parameters<typeof service.transitionIncident>[4],
      ) => service.transitionIncident(ctx, id, to, undefined, meta),
      update: (
        id: string,
        input: Parameters<typeof service.updateIncident>[2],
        meta: Parameters<typeof service.updateIncident>[3],
      ) => service.updateIncident(ctx, id, input, meta),
      metrics: () => service.metricsOverview(ctx.db),
    },
  };
}
