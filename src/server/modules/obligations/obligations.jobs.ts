import type { PlatformContext } from '../../platform/context.ts';
import { EVERY_MINUTE, type JobDefinition } from '../../platform/jobs/job-definition.ts';
import { runReminders } from './reminders.ts';
import type { RulesData } from './rules/load.ts';

/** Deadline alerts (72 h, 24 h, overdue) raised and emailed to the incident's owners. */
export function obligationsJobs(
  ctx: Pick<PlatformContext, 'db' | 'logger' | 'config'>,
  rules: RulesData,
): JobDefinition[] {
  return [
    {
      name: 'obligations.deadline-reminders',
      description: 'raised obligation deadline alerts',
      trigger: EVERY_MINUTE,
      // publicUrl is read at each run: `serve` on PORT=0 learns its address after start.
      run: ({ mailer }) =>
        runReminders({ db: ctx.db, logger: ctx.logger, mailer, publicUrl: ctx.config.publicUrl }, rules),
    },
  ];
}
