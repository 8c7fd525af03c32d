import { z } from 'zod';
import { systemActor } from '../../platform/audit/audit-log.ts';
import { EVERY_MINUTE, type JobDefinition } from '../../platform/jobs/job-definition.ts';
import type { ImportJobs } from './import-jobs.ts';
import type { ImportDeps } from './import-request.ts';
import {
  deferResolution,
  RESOLVE_AGAIN_ATTEMPTS,
  RESOLVE_AGAIN_JOB,
  requeueStalledResolutions,
  runResolution,
} from './resolve-again.ts';

const resolveAgainPayload = z.object({ incidentId: z.uuid() });

/**
 * Imports left unfinished by a stopped process resume from their checkpoint, in the process that runs
 * the job (the incident's import lock keeps a running one from being started twice). Conflict decisions
 * re-resolve the incident's people in `people.resolve-again` (enqueued with the decision, one pending run per
 * incident), and the runs a stopped process lost are enqueued again.
 */
export function peopleJobs(
  deps: ImportDeps,
  imports: Pick<ImportJobs, 'resumeInterrupted'>,
): JobDefinition[] {
  // One re-resolution at a time in this process (memory and connections stay those of one run).
  let isResolving = false;
  return [
    {
      name: 'people.resume-imports',
      description: 'resumed interrupted imports',
      trigger: EVERY_MINUTE,
      run: async () => ({ resumed: await imports.resumeInterrupted(systemActor) }),
    },
    {
      name: RESOLVE_AGAIN_JOB,
      description: 're-resolved people after conflict decisions',
      trigger: { kind: 'on-demand' },
      maxAttempts: RESOLVE_AGAIN_ATTEMPTS,
      run: async ({ payload }) => {
        const { incidentId } = resolveAgainPayload.parse(payload);
        if (isResolving) {
          await deferResolution(deps.db, incidentId, 'waiting for another re-resolution to finish');
          return undefined;
        }
        isResolving = true;
        try {
          const run = await runResolution(deps, incidentId);
          // Waiting for an import, or nothing left to do: nothing to log.
          return run.outcome === 'done' ? { people: run.people, conflicts: run.conflicts } : undefined;
        } finally {
          isResolving = false;
        }
      },
    },
    {
      name: 'people.resume-resolutions',
      description: 're-enqueued re-resolutions a stopped process left',
      trigger: EVERY_MINUTE,
      run: async () => ({ requeued: await requeueStalledResolutions(deps.db) }),
    },
  ];
}
