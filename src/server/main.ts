import type { AddressInfo } from 'node:net';
import { buildApp } from './app.ts';
import { issueBootstrapLinkIfEmpty } from './modules/auth/index.ts';
import { startInboundSmtp } from './modules/campaigns/index.ts';
import { createObligationsModule } from './modules/obligations/index.ts';
import { systemActor } from './platform/audit/audit-log.ts';
import { createStaffMailer } from './platform/mail/staff-mailer.ts';
import { recordServerAddress } from './platform/settings/server-address.ts';
import { openRuntime, type Runtime } from './runtime.ts';

/** `candor serve`: the HTTP server until SIGINT/SIGTERM, then a graceful stop. */
export async function serve(): Promise<void> {
  const runtime: Runtime = await openRuntime({ applicationName: 'candor-serve' });
  const { config, logger } = runtime.ctx;
  const { app, importJobs, campaigns, notice, inbox } = await buildApp(runtime.ctx);
  await app.listen({ host: config.HOST, port: config.PORT });
  const { port } = app.server.address() as AddressInfo;
  if (!config.isPublicUrlSet && port !== config.PORT) {
    // PORT=0 picked a free port: links must carry the real one.
    config.publicUrl = `http://localhost:${port}`;
    if (!config.isNoticeUrlSet) config.noticeUrl = config.publicUrl;
  }
  await recordServerAddress(runtime.ctx.db, config);
  logger.info({ url: config.publicUrl }, 'Candor is running');
  // An empty installation prints a one-time link for the first admin; it is a secret, so it goes to the
  // terminal, never into the logs.
  const bootstrap = await issueBootstrapLinkIfEmpty(runtime.ctx);
  if (bootstrap) {
    process.stdout.write(
      `\n  Candor is running at ${config.publicUrl}\n\n  No admin yet. Open this one-time link to create the first admin account\n` +
        `  (valid until ${bootstrap.expiresAt.toISOString()}; restart to get a new one):\n\n    ${bootstrap.setupUrl}\n\n`,
    );
  }

  // Imports interrupted by a stop resume where they were, and obligation deadline alerts are raised;
  // checked again every minute (a single `npm start` needs no separate worker; several processes are safe).
  const obligations = createObligationsModule(runtime.ctx);
  const mailer = createStaffMailer(config, runtime.ctx.db);
  const resume = async () => {
    await importJobs
      .resumeInterrupted(systemActor)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not resume imports'));
    await obligations.jobs
      .reminders(mailer)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not check obligation deadlines'));
  };
  await resume();
  const resumeTimer = setInterval(() => void resume(), 60_000);
  resumeTimer.unref();

  // Campaign messages go out from here too unless CANDOR_DELIVERY_IN_SERVE=false (then workers send them).
  const delivery = new AbortController();
  const sending = config.CANDOR_DELIVERY_IN_SERVE
    ? campaigns.engine().run(delivery.signal)
    : Promise.resolve();
  // The notice site's own messages (lookup answers, confirmations, update notices).
  const siteMessages = notice.messenger.run(delivery.signal);

  // The inbound SMTP listener (bounce reports, mail to the support addresses), when a port is configured.
  const inbound =
    config.CANDOR_INBOUND_SMTP_PORT !== undefined
      ? startInboundSmtp({ ...runtime.ctx, engine: campaigns.engine }, [inbox.mailbox()])
      : null;
  if (inbound) {
    logger.info(
      { port: config.CANDOR_INBOUND_SMTP_PORT, supportAddresses: config.CANDOR_SUPPORT_ADDRESSES.length },
      'inbound SMTP listening for bounce reports and support mail',
    );
  }

  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'stopping');
    delivery.abort();
    await sending;
    await siteMessages;
    await inbound?.close();
    await app.close();
    mailer.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
