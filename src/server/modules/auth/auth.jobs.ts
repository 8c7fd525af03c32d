import type { PlatformContext } from '../../platform/context.ts';
import { EVERY_MINUTE, type JobDefinition } from '../../platform/jobs/job-definition.ts';
import { deleteExpiredSessions, deleteSpentSetupLinks } from './auth.repository.ts';

/** Spent setup links stay this long after use or expiry (what an admin investigating a link sees). */
const SETUP_LINK_RETENTION_MS = 30 * 86_400_000;

/** Removes sessions past their idle or absolute expiry and setup links spent a month ago. */
export async function purgeExpired(
  db: PlatformContext['db'],
  config: Pick<PlatformContext['config'], 'CANDOR_SESSION_IDLE_TIMEOUT'>,
): Promise<{ sessions: number; setupLinks: number }> {
  const sessions = await deleteExpiredSessions(db, config.CANDOR_SESSION_IDLE_TIMEOUT);
  const links = await deleteSpentSetupLinks(db, new Date(Date.now() - SETUP_LINK_RETENTION_MS));
  return { sessions: Number(sessions.numDeletedRows), setupLinks: Number(links.numDeletedRows) };
}

export function authJobs(ctx: Pick<PlatformContext, 'db' | 'config'>): JobDefinition[] {
  return [
    {
      name: 'auth.purge-expired',
      description: 'removed expired sessions and spent setup links',
      trigger: EVERY_MINUTE,
      run: () => purgeExpired(ctx.db, ctx.config),
    },
  ];
}
