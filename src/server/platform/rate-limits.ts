import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

/**
 * Rate-limit counters and one-time marks in `rate_limits`, shared by every process. Callers pass keys
 * already blind-indexed (a keyed hash of route or scope and client), so no address is stored. A counter's
 * window restarts once it has ended; `purgeRateLimits` drops ended windows and spent marks.
 */
export interface HitWindow {
  key: Buffer;
  windowMs: number;
}

/**
 * Counts one hit on each key in a single statement. Returns, in the order of `windows`, the hits in the
 * current window and the milliseconds until it ends.
 */
export async function countHits(
  db: Executor,
  windows: readonly HitWindow[],
): Promise<Array<{ hits: number; ttlMs: number }>> {
  if (windows.length === 0) return [];
  const values = sql.join(
    windows.map((w) => sql`(${w.key}::bytea, 1, now() + make_interval(secs => ${w.windowMs / 1000}))`),
  );
  const result = await sql<{ key: Buffer; hits: number; ttl: number }>`
    INSERT INTO rate_limits (key, hits, window_ends) VALUES ${values}
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN rate_limits.window_ends <= now() THEN 1 ELSE rate_limits.hits + 1 END,
      window_ends = CASE WHEN rate_limits.window_ends <= now() THEN EXCLUDED.window_ends ELSE rate_limits.window_ends END
    RETURNING key, hits, (extract(epoch FROM window_ends - now()) * 1000)::float8 AS ttl`.execute(db);
  const byKey = new Map(result.rows.map((r) => [r.key.toString('hex'), r]));
  return windows.map((w) => {
    const row = byKey.get(w.key.toString('hex'));
    return { hits: row?.hits ?? 0, ttlMs: row?.ttl ?? 0 };
  });
}

/** Hits in the key's current window, without counting one. */
export async function currentHits(db: Executor, key: Buffer): Promise<number> {
  const row = await db
    .selectFrom('rate_limits')
    .select('hits')
    .where('key', '=', key)
    .where('window_ends', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.hits ?? 0;
}

/** Marks a key as spent for `ttlMs`: true the first time, false once it already was. */
export async function spendKey(db: Executor, key: Buffer, ttlMs: number): Promise<boolean> {
  const result = await sql<{ hits: number }>`
    INSERT INTO rate_limits (key, hits, window_ends)
    VALUES (${key}, 1, now() + make_interval(secs => ${ttlMs / 1000}))
    ON CONFLICT (key) DO UPDATE SET hits = rate_limits.hits + 1
    RETURNING hits`.execute(db);
  return result.rows[0]!.hits === 1;
}

/** Drops counters whose window ended and one-time marks past their lifetime. */
export async function purgeRateLimits(db: Executor): Promise<number> {
  const result = await db
    .deleteFrom('rate_limits')
    .where('window_ends', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
