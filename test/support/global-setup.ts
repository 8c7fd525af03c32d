import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/server/db/embedded-postgres.ts';
import { createLogger } from '../../src/server/platform/logging/logger.ts';

/**
 * Tests run against real PostgreSQL: TEST_DATABASE_URL when set (CI: the machine's server), otherwise an
 * embedded cluster under .candor-test/ started once for the run. Each test file then creates its own
 * database from this server (see database.ts).
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('serverUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: path.resolve('.candor-test'),
    port: 0,
    logger: createLogger({ level: 'warn' }),
  });
  project.provide('serverUrl', embedded.url);
  return () => embedded.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
  }
}
