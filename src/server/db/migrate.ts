import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { advisoryLocks } from '../platform/advisory-locks.ts';
import type { Logger } from '../platform/logging/logger.ts';
import type { Db } from './database.ts';

/**
 * Plain SQL migrations in ./migrations, applied in file-name order, each in its own transaction, under a
 * PostgreSQL advisory lock: several processes starting together all come up, one applies, the others wait
 * and find nothing left to do.
 */
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      name: file.replace(/\.sql$/, ''),
      sql: fs.readFileSync(path.join(dir, file), 'utf8'),
    }));
}

export async function migrate(db: Db, logger: Logger): Promise<string[]> {
  const migrations = listMigrations();
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${advisoryLocks.migrations})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`.execute(conn);
      const done = new Set(
        (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(conn)).rows.map(
          (r) => r.name,
        ),
      );
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        await conn.transaction().execute(async (tx) => {
          await sql.raw(migration.sql).execute(tx);
          await sql`INSERT INTO schema_migrations (name) VALUES (${migration.name})`.execute(tx);
        });
        logger.info({ migration: migration.name }, 'applied migration');
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await sql`SELECT pg_advisory_unlock(${advisoryLocks.migrations})`.execute(conn);
    }
  });
}

/** Names of migrations the database has not applied yet (for /readyz). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT name FROM schema_migrations`
    .execute(db)
    .then((r) => r.rows)
    .catch(() => []);
  const done = new Set(rows.map((r) => r.name));
  return listMigrations()
    .map((m) => m.name)
    .filter((name) => !done.has(name));
}
