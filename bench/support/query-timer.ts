import { Kysely, PostgresDialect } from 'kysely';
import { type Db, poolOf } from '../../src/server/db/database.ts';
import type { Database } from '../../src/server/db/schema.ts';

/**
 * For `--profile`: a second Kysely over the same pool whose log hook times every statement (Kysely measures
 * from send to result, pool waits excluded), summed per statement shape, so the benchmark can say which
 * queries of a delivery batch take the time.
 */
export interface QueryTimer {
  wrap(db: Db): Db;
  summary(): Array<{ sql: string; count: number; totalMs: number; meanMs: number }>;
}

const shapeOf = (sql: string) =>
  sql
    .replace(/\s+/g, ' ')
    .replace(/\$\d+/g, '?')
    .replace(/\(\?(, \?)+\)/g, '(?…)')
    .trim()
    .slice(0, 110);

export function createQueryTimer(): QueryTimer {
  const totals = new Map<string, { count: number; totalMs: number }>();
  return {
    wrap(db) {
      return new Kysely<Database>({
        dialect: new PostgresDialect({ pool: poolOf(db) }),
        log(event) {
          const shape = shapeOf(event.query.sql);
          const entry = totals.get(shape) ?? { count: 0, totalMs: 0 };
          entry.count += 1;
          entry.totalMs += event.queryDurationMillis;
          totals.set(shape, entry);
        },
      });
    },
    summary() {
      return [...totals.entries()]
        .map(([sql, t]) => ({
          sql,
          count: t.count,
          totalMs: Math.round(t.totalMs),
          meanMs: t.totalMs / t.count,
        }))
        .sort((a, b) => b.totalMs - a.totalMs);
    },
  };
}
