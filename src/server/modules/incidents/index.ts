import type { PlatformContext } from '../../platform/context.ts';
import { getIncident, getIncidentDetail, listIncidents } from './incident-read.service.ts';
import { createIncident, updateIncident } from './incident-write.service.ts';
import type { Deps, PeopleFacts } from './incidents.deps.ts';
import { incidentsRoutes } from './incidents.routes.ts';
import { setKeyTimes } from './key-times.service.ts';
import { transitionIncident } from './lifecycle.service.ts';
import { metricsOverview } from './metrics.service.ts';

export { COMPANY_PROFILE_KEY, defaultCompanyProfile, readCompanyProfile } from './company-profile.ts';
export { effectiveEntity } from './incident-view.ts';
export type { PeopleFacts } from './incidents.deps.ts';
export {
  awareTimes,
  incidentExists,
  incidentTitles,
  openIncidents,
  ownerIds as incidentOwnerIds,
} from './incidents.repository.ts';
export { recordFirstNotice } from './key-times.service.ts';
export { type IncidentLegalFacts, incidentLegalFacts } from './legal-facts.ts';
export {
  changeIncidentSlug,
  type IncidentPublicFacts,
  incidentAddresses,
  incidentBySlug,
  incidentPublicFacts,
  incidentSlug,
} from './public-facts.ts';
export { slugFromTitle } from './public-slug.ts';
export { appendTimeline, fullTimeline, type TimelineKind } from './timeline.ts';

/**
 * Incidents: the record every response hangs off, its lifecycle, timeline, tasks and timings. `people` is
 * what it shows of the incident's people (counts, exposed categories), from the people module's door.
 */
export function createIncidentsModule(base: Pick<PlatformContext, 'db'>, people: PeopleFacts) {
  const ctx: Deps = { db: base.db, people };
  return {
    routes: [incidentsRoutes(ctx)],
    service: {
      create: (input: Parameters<typeof createIncident>[1], meta: Parameters<typeof createIncident>[2]) =>
        createIncident(ctx, input, meta),
      get: (id: string) => getIncident(ctx, id),
      detail: (id: string) => getIncidentDetail(ctx, id),
      list: () => listIncidents(ctx),
      setKeyTimes: (
        id: string,
        input: Parameters<typeof setKeyTimes>[2],
        meta: Parameters<typeof setKeyTimes>[3],
      ) => setKeyTimes(ctx, id, input, meta),
      transition: (
        id: string,
        to: Parameters<typeof transitionIncident>[2],
        meta: Parameters<typeof transitionIncident>[4],
      ) => transitionIncident(ctx, id, to, undefined, meta),
      update: (
        id: string,
        input: Parameters<typeof updateIncident>[2],
        meta: Parameters<typeof updateIncident>[3],
      ) => updateIncident(ctx, id, input, meta),
      metrics: () => metricsOverview(ctx.db),
    },
  };
}
