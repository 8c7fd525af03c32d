import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/server/db/database.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { createLogger } from '../../src/server/platform/logging/logger.ts';

/** A fresh, migrated database for one test file, dropped at the end. */
export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  return inject('serverUrl');
}

export function urlForDatabase(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `candor_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    url: urlForDatabase(name),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  const db = createDb({ url: empty.url, poolSize: 5 });
  await migrate(db, createLogger({ level: 'silent' }));
  return {
    ...empty,
    db,
    async drop() {
      await db.destroy();
      await empty.drop();
    },
  };
}
