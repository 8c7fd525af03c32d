import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** A connection or a transaction: the required first argument of every repository function. */
export type Executor = Db | Transaction<Database>;

// BIGINT (count(*), sequence numbers) as JS numbers: ours stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function createPool(options: {
  url: string;
  poolSize: number;
  applicationName?: string | undefined;
}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    application_name: options.applicationName ?? 'candor',
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
  // replaces it on next use, and queries in flight fail with their own errors.
  pool.on('error', () => {});
  return pool;
}

/** Kysely over a pool. The pool stays reachable for the few jobs that need raw COPY streams. */
export function createDb(options: {
  url: string;
  poolSize: number;
  applicationName?: string | undefined;
}): Db {
  return dbOverPool(createPool(options));
}

const pools = new WeakMap<Db, pg.Pool>();

export function dbOverPool(pool: pg.Pool): Db {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/** The pg pool behind a Db, for COPY; every Db made here has one. */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('This database handle was not created by createDb.');
  return pool;
}

/**
 * Kysely bound to one raw client that is already inside a transaction the caller manages (BEGIN … COMMIT
 * around COPY streams), so typed queries and audit entries join that same transaction.
 */
export function dbOnClient(client: pg.PoolClient): Db {
  const pinned = {
    // A thin stand-in, not a prototype copy: pg's client keeps protocol state on `this`.
    connect: async () => ({ query: client.query.bind(client), release: () => {} }),
    end: async () => {},
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pinned as unknown as pg.Pool }) });
}
