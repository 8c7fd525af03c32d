import { systemActor } from '../../platform/audit/audit-log.ts';
import { EVERY_MINUTE, type JobDefinition } from '../../platform/jobs/job-definition.ts';
import type { ImportJobs } from './import-jobs.ts';

/**
 * Imports left unfinished by a stopped process resume from their checkpoint, in the process that runs
 * the job (the incident's import lock keeps a running one from being started twice).
 */
export function peopleJobs(imports: Pick<ImportJobs, 'resumeInterrupted'>): JobDefinition[] {
  return [
    {
      name: 'people.resume-imports',
      description: 'resumed interrupted imports',
      trigger: EVERY_MINUTE,
      run: async () => ({ resumed: await imports.resumeInterrupted(systemActor) }),
    },
  ];
}
