import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Db } from '../../db/database.ts';
import type { PiiCrypto } from '../crypto/data-keys.ts';
import { EVERY_MINUTE, type JobDefinition } from '../jobs/job-definition.ts';
import { countHits, purgeRateLimits } from '../rate-limits.ts';

/**
 * A @fastify/rate-limit store over the platform's rate limits (PostgreSQL), so every `candor serve`
 * process counts against the same limit. One upsert per limited request: the window restarts once it has
 * ended. Keys are blind-indexed (route + client address), so no address is stored.
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
      countHits(db, [{ key: hashed, windowMs: timeWindowMs }]).then(([counted]) => {
        callback(null, { current: counted!.hits, ttl: Math.max(0, Math.round(counted!.ttlMs)) });
      }, callback);
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      return new PostgresRateLimitStore(routeOptions);
    }
  };
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
