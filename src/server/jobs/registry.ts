import type { PlatformContext } from '../platform/context.ts';
import { rateLimitJobs } from '../platform/http/rate-limit-store.ts';
import type { JobDefinition } from '../platform/jobs/job-definition.ts';
import type { ServerModules } from '../wiring.ts';

/**
 * Every background job of Candor, from the modules' doors (`createXModule(ctx).jobs`) and the platform.
 * `serve` and `worker` both run exactly this list (`background.ts`), so a lone `serve` does all the
 * maintenance and several processes share it: PostgreSQL hands each run to one of them.
 *
 * Today, each every minute (UTC), catching up once at start after a stop of every process:
 * - `auth.purge-expired`: sessions past their idle or absolute expiry, setup links spent 30 days ago
 * - `people.resume-imports`: imports a stopped process left unfinished resume from their checkpoint
 * - `obligations.deadline-reminders`: 72 h / 24 h / overdue alerts on the timeline and by email
 * - `platform.purge-rate-limits`: ended rate-limit windows and spent one-time values
 *
 * Not jobs, on purpose: the campaign delivery loop and the outbound message lane (rows claimed in
 * batches, see `background.ts`), and per-process memory flushed on timers (the notice site's counters,
 * caches of the site, the inbox counts and the data keys).
 */
export function jobRegistry(
  ctx: Pick<PlatformContext, 'db'>,
  modules: Pick<ServerModules, 'auth' | 'people' | 'obligations'>,
): JobDefinition[] {
  return [
    ...modules.auth.jobs,
    ...modules.people.jobs,
    ...modules.obligations.jobs,
    ...rateLimitJobs(ctx.db),
  ];
}
