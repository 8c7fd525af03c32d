import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { demoRoutes } from './demo.ts';
import { createAuditModule } from './modules/audit/index.ts';
import { createAuthModule } from './modules/auth/index.ts';
import { createCampaignsModule } from './modules/campaigns/index.ts';
import { createInboxModule } from './modules/inbox/index.ts';
import { createIncidentsModule } from './modules/incidents/index.ts';
import { createKeysModule } from './modules/keys/index.ts';
import { createNoticeModule } from './modules/notice/index.ts';
import { createObligationsModule } from './modules/obligations/index.ts';
import { createPopulationModule } from './modules/population/index.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { createUsersModule } from './modules/users/index.ts';
import { recordAudit } from './platform/audit/audit-log.ts';
import type { PlatformContext } from './platform/context.ts';
import { actorOf } from './platform/http/actors.ts';
import { installConsoleAssets } from './platform/http/console-assets.ts';
import { installGuard } from './platform/http/guard.ts';
import { installErrorHandling } from './platform/http/problem.ts';
import { postgresRateLimitStore } from './platform/http/rate-limit-store.ts';
import { type RouteEntry, trackRoutes } from './platform/http/route-table.ts';
import { installSecurityHeaders } from './platform/http/security-headers.ts';

const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export interface BuiltApp {
  app: FastifyInstance;
  routes: RouteEntry[];
  /** Background imports started through the API (tests wait on them; serve resumes interrupted ones). */
  importJobs: ReturnType<typeof createPopulationModule>['jobs'];
  /** The campaigns module: `serve` runs its delivery engine unless workers do. */
  campaigns: ReturnType<typeof createCampaignsModule>;
  /** The notice site: `serve` runs the sender of its messages. */
  notice: ReturnType<typeof createNoticeModule>;
  /** The support inbox: `serve` gives its mailbox to the inbound SMTP listener. */
  inbox: ReturnType<typeof createInboxModule>;
}

/** The HTTP application, without listening: tests inject requests, `candor serve` listens. */
export async function buildApp(ctx: PlatformContext, options: { webRoot?: string } = {}): Promise<BuiltApp> {
  const { config } = ctx;
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: config.CANDOR_BODY_LIMIT,
    trustProxy: config.CANDOR_TRUST_PROXY,
    genReqId: () => randomUUID(),
    // Personal-link tokens travel in the path (/n/<slug>/me/<token>) and are longer than the default 100.
    routerOptions: { maxParamLength: 300 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const routes = trackRoutes(app);
  installErrorHandling(app);
  await installSecurityHeaders(app, config.isHttps);
  await app.register(fastifyCookie);
  await app.register(rateLimit, { global: false, store: postgresRateLimitStore(ctx.db, ctx.crypto) });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Candor API',
        version: '0.1.0',
        description: 'Breach response. Authenticate with a session cookie or `Authorization: Bearer cnd_…`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const auth = createAuthModule(ctx);
  installGuard(app, {
    authenticate: auth.authenticate,
    reauthWindowMs: config.CANDOR_REAUTH_WINDOW,
    recordDenied: (request, principal, permission) =>
      ctx.db.transaction().execute(async (tx) => {
        await recordAudit(tx, {
          actor: actorOf(principal),
          action: 'access.denied',
          outcome: 'denied',
          requestId: request.id,
          details: { permission, route: `${request.method} ${request.routeOptions.url ?? ''}` },
        });
      }),
  });

  const population = createPopulationModule(ctx);
  const campaigns = createCampaignsModule(ctx);
  // The inbox answers through the notice site's message queue; the notice site files contact messages in
  // the inbox: wired both ways here, each module knowing only a function of the other.
  let notice: ReturnType<typeof createNoticeModule> | undefined;
  const inbox = createInboxModule(ctx, { kick: () => notice?.messenger.kick() });
  notice = createNoticeModule(ctx, { senders: campaigns.senders, onContact: inbox.ingest });
  const modules = [
    auth,
    createUsersModule(ctx),
    createAuditModule(ctx),
    createKeysModule(ctx),
    createIncidentsModule(ctx),
    population,
    createObligationsModule(ctx),
    campaigns,
    notice,
    inbox,
  ];
  await app.register(systemRoutes(ctx));
  await app.register(demoRoutes(ctx));
  for (const module of modules) for (const plugin of module.routes) await app.register(plugin);

  app.get(
    '/api/openapi.json',
    { config: { access: { public: true, reason: 'API description' } }, schema: { hide: true } },
    async () => app.swagger(),
  );
  await installConsoleAssets(app, options.webRoot ?? DEFAULT_WEB_ROOT);
  app.addHook('onClose', async () => {
    await notice?.close();
    await campaigns.close();
  });
  await app.ready();
  return { app, routes, importJobs: population.jobs, campaigns, notice, inbox };
}
