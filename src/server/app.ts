import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { demoRoutes } from './demo.ts';
import { createSystemModule } from './modules/system/index.ts';
import { recordAudit } from './platform/audit/audit-log.ts';
import type { PlatformContext } from './platform/context.ts';
import { actorOf } from './platform/http/actors.ts';
import { rewriteApiAlias } from './platform/http/api-aliases.ts';
import { installConsoleAssets } from './platform/http/console-assets.ts';
import { installGuard } from './platform/http/guard.ts';
import { installErrorHandling } from './platform/http/problem.ts';
import { postgresRateLimitStore } from './platform/http/rate-limit-store.ts';
import { type RouteEntry, trackRoutes } from './platform/http/route-table.ts';
import { installSecurityHeaders } from './platform/http/security-headers.ts';
import { createServerModules, type ServerModules } from './wiring.ts';

const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export interface BuiltApp {
  app: FastifyInstance;
  routes: RouteEntry[];
  /** Every module behind the routes: `serve` hands them to its background work and inbound SMTP. */
  modules: ServerModules;
  /** The campaigns module (its delivery engine). */
  campaigns: ServerModules['campaigns'];
  /** The notice site (its service, its message sender). */
  noticeSite: ServerModules['noticeSite'];
  /** The support inbox. */
  inbox: ServerModules['inbox'];
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
    // Old API paths answer as the routes that replaced them (documented in the README's API section).
    rewriteUrl: (request) => rewriteApiAlias(request.url),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // A callback hook, not an async one: no promise per response (the notice page is served from memory).
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
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

  const modules = createServerModules(ctx);
  installGuard(app, {
    authenticate: modules.auth.authenticate,
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

  for (const plugin of createSystemModule(ctx).routes) await app.register(plugin);
  await app.register(demoRoutes(ctx));
  for (const module of Object.values(modules)) for (const plugin of module.routes) await app.register(plugin);

  app.get(
    '/api/openapi.json',
    { config: { access: { public: true, reason: 'API description' } }, schema: { hide: true } },
    async () => app.swagger(),
  );
  await installConsoleAssets(app, options.webRoot ?? DEFAULT_WEB_ROOT);
  app.addHook('onClose', async () => {
    await modules.noticeSite.close();
    await modules.outbound.close();
    await modules.campaigns.close();
  });
  await app.ready();
  const { campaigns, noticeSite, inbox } = modules;
  return { app, routes, modules, campaigns, noticeSite, inbox };
}
