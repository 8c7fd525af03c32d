import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { pendingMigrations } from '../../db/migrate.ts';
import type { PlatformContext } from '../../platform/context.ts';

const health = z.object({ status: z.literal('ok') });
const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['reachable', 'unreachable']),
  pendingMigrations: z.array(z.string()),
});

export function systemRoutes(deps: Pick<PlatformContext, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      {
        config: { access: { public: true, reason: 'load-balancer liveness probe' } },
        schema: { hide: true, response: { 200: health } },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        config: { access: { public: true, reason: 'load-balancer readiness probe' } },
        schema: { hide: true, response: { 200: readiness, 503: readiness } },
      },
      async (_request, reply) => {
        const isReachable = await sql`SELECT 1`
          .execute(deps.db)
          .then(() => true)
          .catch(() => false);
        const pending = isReachable ? await pendingMigrations(deps.db) : [];
        const isReady = isReachable && pending.length === 0;
        return reply.code(isReady ? 200 : 503).send({
          status: isReady ? 'ready' : 'not_ready',
          database: isReachable ? 'reachable' : 'unreachable',
          pendingMigrations: pending,
        });
      },
    );
  };
}
