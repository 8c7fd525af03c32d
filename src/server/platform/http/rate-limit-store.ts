import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { PiiCrypto } from '../crypto/data-keys.ts';
import { EVERY_MINUTE, type JobDefinition } from '../jobs/job-definition.ts';

/**
 * A @fastify/rate-limit store in PostgreSQL, so every `candor serve` process counts against the same
 * limit. One upsert per limited request: the window restarts once it has ended. Keys are blind-indexed
 * (route + client address), so no address is stored.
 */
type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;
type RouteParams = { routeInfo?: { method?: string | string[]; url?: string } } | undefined;

export function postgresRateLimitStore(db: Db, crypto: Pick<PiiCrypto, 'blindIndex'>) {
  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    private readonly scope: string;

    constructor(params?: unknown) {
      const route = (params as RouteParams)?.routeInfo;
      this.scope = route?.url ? `${String(route.method)} ${route.url}` : 'global';
    }

    incr(key: string, callback: Callback, timeWindowMs: number): void {
      const hashed = crypto.blindIndex('rate_limit', `${this.scope}\0${key}`);
      sql<{ hits: number; ttl: number }>`
        INSERT INTO rate_limits (key, hits, window_ends)
        VALUES (${hashed}, 1, now() + make_interval(secs => ${timeWindowMs / 1000}))
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN rate_limits.window_ends <= now() THEN 1 ELSE rate_limits.hits + 1 END,
          window_ends = CASE WHEN rate_limits.window_ends <= now() THEN EXCLUDED.window_ends ELSE rate_limits.window_ends END
        RETURNING hits, (extract(epoch FROM window_ends - now()) * 1000)::float8 AS ttl`
        .execute(db)
        .then((result) => {
          const row = result.rows[0]!;
          callback(null, { current: row.hits, ttl: Math.max(0, Math.round(row.ttl)) });
        }, callback);
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      return new PostgresRateLimitStore(routeOptions);
    }
  };
}

/**
 * Drops counters whose window ended, and one-time values (solved challenges, form tokens) past their
 * lifetime: the job `platform.purge-rate-limits` runs it every minute.
 */
export async function purgeRateLimits(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('rate_limits')
    .where('window_ends', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function rateLimitJobs(db: Db): JobDefinition[] {
  return [
    {
      name: 'platform.purge-rate-limits',
      description: 'removed ended rate-limit windows and spent one-time values',
      trigger: EVERY_MINUTE,
      run: async () => ({ rateLimits: await purgeRateLimits(db) }),
    },
  ];
}
