import { createAuthModule } from './modules/auth/index.ts';
import { createCampaignsModule } from './modules/campaigns/index.ts';
import { createNoticeModule } from './modules/notice/index.ts';
import { createObligationsModule } from './modules/obligations/index.ts';
import { createPopulationModule } from './modules/population/index.ts';
import { systemActor } from './platform/audit/audit-log.ts';
import { purgeRateLimits } from './platform/http/rate-limit-store.ts';
import { createStaffMailer } from './platform/mail/staff-mailer.ts';
import { openRuntime } from './runtime.ts';

/**
 * `candor worker`: background work, on as many machines as needed. Every minute: resume imports
 * interrupted by a stopped process, raise obligation deadline alerts (72 h, 24 h, overdue), remove expired sessions and spent setup links. Later modules (imports, campaigns, reminders) add their jobs here.
 */
const INTERVAL_MS = 60_000;

export async function runWorker(): Promise<void> {
  const runtime = await openRuntime({ applicationName: 'candor-worker' });
  const { logger, db } = runtime.ctx;
  const auth = createAuthModule(runtime.ctx);
  const population = createPopulationModule(runtime.ctx);
  const obligations = createObligationsModule(runtime.ctx);
  const campaigns = createCampaignsModule(runtime.ctx);
  const delivery = new AbortController();
  // Campaign deliveries run continuously beside the minute-by-minute maintenance.
  const sending = campaigns.engine().run(delivery.signal);
  // So do the notice site's messages (lookup answers, subscription confirmations, update notices).
  const siteMessages = createNoticeModule(runtime.ctx, { senders: campaigns.senders }).messenger.run(
    delivery.signal,
  );
  const mailer = createStaffMailer(runtime.ctx.config, db);
  let timer: NodeJS.Timeout | undefined;
  let isStopping = false;

  const tick = async () => {
    try {
      const resumed = await population.jobs.resumeInterrupted(systemActor);
      if (resumed > 0) logger.info({ resumed }, 'resumed interrupted imports');
      const reminders = await obligations.jobs.reminders(mailer);
      if (reminders.raised > 0 || reminders.emailed > 0) logger.info(reminders, 'obligation deadline alerts');
      const sessions = await auth.purgeExpiredSessions();
      await purgeRateLimits(db);
      const links = await db
        .deleteFrom('setup_links')
        .where((eb) =>
          eb.or([
            eb('used_at', '<', new Date(Date.now() - 30 * 86_400_000)),
            eb('expires_at', '<', new Date(Date.now() - 30 * 86_400_000)),
          ]),
        )
        .executeTakeFirst();
      if (sessions > 0 || Number(links.numDeletedRows) > 0) {
        logger.info(
          { sessions, setupLinks: Number(links.numDeletedRows) },
          'removed expired sessions and setup links',
        );
      }
    } catch (error) {
      logger.error({ err: error }, 'maintenance pass failed; retrying next minute');
    }
    if (!isStopping) timer = setTimeout(() => void tick(), INTERVAL_MS);
  };

  logger.info('worker started');
  await tick();
  const stop = async () => {
    isStopping = true;
    if (timer) clearTimeout(timer);
    delivery.abort();
    await sending;
    await siteMessages;
    await campaigns.close();
    mailer.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
