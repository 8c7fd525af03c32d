import type { PlatformContext } from '../../platform/context.ts';
import { type ImportRequest, previewSource, runImport } from './import-runner.ts';
import { parseMappingFile } from './mapping.ts';
import { findPeople, peopleStats, viewPerson } from './people.service.ts';

/** Affected people: imports, identity resolution, counts, lookups. */
export function createPopulationModule(ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger'>) {
  return {
    routes: [],
    service: {
      runImport: (request: ImportRequest) => runImport(ctx, request),
      preview: previewSource,
      stats: (incidentId: string) => peopleStats(ctx.db, incidentId),
      find: (...args: Parameters<typeof findPeople> extends [unknown, ...infer R] ? R : never) =>
        findPeople(ctx, ...args),
      view: (...args: Parameters<typeof viewPerson> extends [unknown, ...infer R] ? R : never) =>
        viewPerson(ctx, ...args),
    },
  };
}

export type { ImportProgress, ImportSummary } from './import-runner.ts';
export type { Mapping } from './mapping.ts';
export { parseMappingFile };
