import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh, empty database on the benchmark's PostgreSQL server, dropped (WITH FORCE) by `drop`. */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function benchServerUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const serverUrl = benchServerUrl();
  const name = `${prefix}_${randomBytes(3).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
