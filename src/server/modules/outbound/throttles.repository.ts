import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/**
 * Reserves up to `want` tokens of a shared token bucket in one statement (created on first use). The bucket
 * refills at `rate` per second up to one second's worth (at least one token); the row lock serializes
 * processes, and every expression reads the row as it was before this update, so two reservations never
 * spend the same tokens. Returns what was granted and what is left (to know how long to wait).
 */
export async function reserveTokens(
  db: Executor,
  key: string,
  rate: number,
  want: number,
): Promise<{ granted: number; tokens: number }> {
  const available = sql<number>`least(greatest(1, ${rate}::float8), t.tokens + ${rate}::float8 *
    greatest(0, extract(epoch FROM clock_timestamp() - t.refreshed_at)))`;
  const first = sql<number>`least(${want}::int, floor(greatest(1, ${rate}::float8))::int)`;
  const result = await sql<{ granted: number; tokens: number }>`
    INSERT INTO outbound_throttles AS t (key, rate, tokens, refreshed_at, granted)
    VALUES (${key}, ${rate}, greatest(1, ${rate}::float8) - ${first}, clock_timestamp(), ${first})
    ON CONFLICT (key) DO UPDATE SET
      rate = EXCLUDED.rate,
      tokens = ${available} - least(${want}::int, floor(${available})::int),
      granted = least(${want}::int, floor(${available})::int),
      refreshed_at = clock_timestamp()
    RETURNING granted, tokens`.execute(db);
  const row = result.rows[0]!;
  return { granted: Number(row.granted), tokens: Number(row.tokens) };
}
