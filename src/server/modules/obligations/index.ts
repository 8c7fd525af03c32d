import type { PlatformContext } from '../../platform/context.ts';
import type { StaffMailer } from '../../platform/mail/staff-mailer.ts';
import { obligationsJobs } from './obligations.jobs.ts';
import { obligationsRoutes } from './obligations.routes.ts';
import * as service from './obligations.service.ts';
import { runReminders } from './reminders.ts';
import { buildReport, renderReportPdf } from './report.ts';
import { loadRules, type RulesData } from './rules/load.ts';

export { computeObligations, type EngineInput, type PopulationCell } from './engine.ts';
export { loadRules, parseRules, type RulesData } from './rules/load.ts';

/**
 * Legal obligations: the versioned rules data, the engine that turns an incident's affected people into
 * notices due, decision records, deadline reminders and the regulator-ready report. Loading the rules checks
 * them: a rule that fails its schema stops the process at start, naming the rule.
 */
export function createObligationsModule(
  ctx: Pick<PlatformContext, 'db' | 'logger' | 'config'>,
  rules: RulesData = loadRules(ctx.config.CANDOR_RULES_FILE ?? undefined),
) {
  return {
    rules,
    routes: [obligationsRoutes(ctx, rules)],
    service: {
      report: (incidentId: string) => service.computeReport(ctx.db, rules, incidentId),
      decide: (
        incidentId: string,
        key: string,
        input: Parameters<typeof service.decide>[4],
        meta: Parameters<typeof service.decide>[5],
      ) => service.decide(ctx, rules, incidentId, key, input, meta),
      exportReport: (incidentId: string, regime?: string) => buildReport(ctx.db, rules, incidentId, regime),
      renderPdf: renderReportPdf,
      /** One pass of deadline alerts (the job below runs it every minute). */
      reminders: (mailer: StaffMailer, now?: Date) =>
        runReminders({ db: ctx.db, logger: ctx.logger, mailer, publicUrl: ctx.config.publicUrl }, rules, now),
    },
    /** Background jobs (the job registry runs them). */
    jobs: obligationsJobs(ctx, rules),
  };
}
