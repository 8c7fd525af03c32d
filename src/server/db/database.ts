import { Kysely, type Kysely as KyselyType, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = KyselyType<Database>;
/** A connection or a transaction: the required first argument of every repository function. */
export type Executor = Db | Transaction<Database>;

// BIGINT (count(*), sequence numbers) as JS numbers: ours stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function createDb(options: { url: string; poolSize: number; applicationName?: string }): Db {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    application_name: options.applicationName ?? 'candor',
    idleTimeoutMillis: 30_000,
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
