import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { type BackgroundWork, exitOnSignals, startBackgroundWork } from './jobs/background.ts';
import { issueBootstrapLinkIfEmpty } from './modules/auth/index.ts';
import type { PlatformContext } from './platform/context.ts';
import { recordServerAddress } from './platform/settings/server-address.ts';
import { openRuntime } from './runtime.ts';

/** `candor serve`: the HTTP server until SIGINT/SIGTERM, then a graceful stop. */
export async function serve(): Promise<void> {
  const runtime = await openRuntime({ applicationName: 'candor-serve' });
  const { config } = runtime.ctx;
  const server = await startServer(runtime.ctx);
  exitOnSignals(runtime.ctx.logger, async () => {
    await server.stop();
    await runtime.close();
  });
  // An empty installation prints a one-time link for the first admin; it is a secret, so it goes to the
  // terminal, never into the logs.
  const bootstrap = await issueBootstrapLinkIfEmpty(runtime.ctx);
  if (bootstrap) {
    process.stdout.write(
      `\n  Candor is running at ${config.publicUrl}\n\n  No admin yet. Open this one-time link to create the first admin account\n` +
        `  (valid until ${bootstrap.expiresAt.toISOString()}; restart to get a new one):\n\n    ${bootstrap.setupUrl}\n\n`,
    );
  }
}

export interface RunningServer {
  app: FastifyInstance;
  background: BackgroundWork;
  stop(): Promise<void>;
}

/**
 * Listens, then starts the same background work as `candor worker` (a single `npm start` needs no
 * separate worker; several processes are safe), and the inbound SMTP listener when a port is configured.
 */
export async function startServer(ctx: PlatformContext): Promise<RunningServer> {
  const { config, logger } = ctx;
  const { app, modules } = await buildApp(ctx);
  await app.listen({ host: config.HOST, port: config.PORT });
  const { port } = app.server.address() as AddressInfo;
  if (!config.isPublicUrlSet && port !== config.PORT) {
    // PORT=0 picked a free port: links must carry the real one.
    config.publicUrl = `http://localhost:${port}`;
    if (!config.isNoticeUrlSet) config.noticeUrl = config.publicUrl;
  }
  await recordServerAddress(ctx.db, config);
  logger.info({ url: config.publicUrl }, 'Candor is running');

  // Campaign messages go out from here too unless CANDOR_DELIVERY_IN_SERVE=false (then workers send them).
  const background = await startBackgroundWork(ctx, modules, {
    isDelivering: config.CANDOR_DELIVERY_IN_SERVE,
    applicationName: 'candor-serve',
  });

  // The inbound SMTP listener (bounce reports, mail to the support addresses), when a port is configured.
  const inbound =
    config.CANDOR_INBOUND_SMTP_PORT !== undefined
      ? modules.outbound.startInboundSmtp([modules.inbox.mailbox()])
      : null;
  if (inbound) {
    logger.info(
      { port: config.CANDOR_INBOUND_SMTP_PORT, supportAddresses: config.CANDOR_SUPPORT_ADDRESSES.length },
      'inbound SMTP listening for bounce reports and support mail',
    );
  }
  return {
    app,
    background,
    async stop() {
      await background.stop();
      await inbound?.close();
      // Closes the notice site (counts not yet written) and the senders too.
      await app.close();
    },
  };
}
