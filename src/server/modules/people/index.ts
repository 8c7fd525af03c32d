import type { PlatformContext } from '../../platform/context.ts';
import { conflictRoutes } from './conflicts.routes.ts';
import { createImportJobs } from './import-jobs.ts';
import { type ImportRequest, previewSource, resumeImport, runImport } from './import-runner.ts';
import { parseMappingFile, parseMappingFileOptions } from './mapping.ts';
import { peopleJobs } from './people.jobs.ts';
import { peopleRoutes } from './people.routes.ts';
import { findPeople, peopleStats, viewPerson } from './people.service.ts';

/** Affected people: imports, identity resolution, counts, lookups, conflicts. */
export function createPeopleModule(ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>) {
  const imports = createImportJobs(ctx);
  return {
    routes: [peopleRoutes({ ...ctx, jobs: imports }), conflictRoutes(ctx)],
    /** Imports running in this process, in the background (started from the console, or resumed). */
    imports,
    /** Background jobs (the job registry runs them). */
    jobs: peopleJobs(ctx, imports),
    service: {
      runImport: (request: ImportRequest) => runImport(ctx, request),
      resumeImport: (...args: Parameters<typeof resumeImport> extends [unknown, ...infer R] ? R : never) =>
        resumeImport(ctx, ...args),
      preview: previewSource,
      stats: (incidentId: string) => peopleStats(ctx.db, incidentId),
      find: (...args: Parameters<typeof findPeople> extends [unknown, ...infer R] ? R : never) =>
        findPeople(ctx, ...args),
      view: (...args: Parameters<typeof viewPerson> extends [unknown, ...infer R] ? R : never) =>
        viewPerson(ctx, ...args),
    },
  };
}

export {
  contactsFor,
  findPersonAnywhere,
  findPersonPn,
  jurisdictionOf,
  type PersonContact,
} from './contacts.ts';
export type { ImportProgress, ImportSummary } from './import-runner.ts';
export {
  audienceCellsOf,
  audienceOf,
  exposedCategoryMask,
  incidentPeopleFacts,
  peopleByJurisdictionAndExposure,
  peopleCounts,
  personReach,
} from './incident-people.ts';
export type { Mapping } from './mapping.ts';
export { normalizeEmail } from './normalize/email.ts';
export { normalizePhone } from './normalize/phone.ts';
export { blindLookup, peopleStats } from './people.service.ts';
export { parseMappingFile, parseMappingFileOptions };
