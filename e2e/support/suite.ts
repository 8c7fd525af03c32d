import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { assertConsoleBuilt } from './paths.ts';
import { type CandorServer, serverEnvironment, startServer } from './server.ts';

/**
 * One browser-suite file's world: a fresh database, `candor serve` on it, and Chromium, set up before the
 * file's tests and torn down after them (with every browser context the tests opened).
 */
export interface ConsoleSuite {
  readonly database: TestDatabase;
  readonly server: CandorServer;
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

export function setUpConsoleSuite(): ConsoleSuite {
  let database: TestDatabase | undefined;
  let server: CandorServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertConsoleBuilt();
    database = await createTestDatabase();
    server = await startServer(await serverEnvironment(database.url));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  return {
    get database() {
      if (!database) throw new Error('The suite is not set up yet (use it inside a test).');
      return database;
    },
    get server() {
      if (!server) throw new Error('The suite is not set up yet (use it inside a test).');
      return server;
    },
    async newContext(options) {
      if (!browser) throw new Error('The suite is not set up yet (use it inside a test).');
      const context = await browser.newContext(options);
      contexts.push(context);
      return context;
    },
  };
}
