import os from 'node:os';
import { ConfigError, parseConfig } from '../server/config.ts';
import type { Actor } from '../server/platform/audit/audit-log.ts';
import { createLogger } from '../server/platform/logging/logger.ts';
import { adoptServerAddress } from '../server/platform/settings/server-address.ts';
import { openRuntime, type Runtime } from '../server/runtime.ts';

/** CLI changes are audited with the OS user as actor. */
export function cliActor(): Actor {
  let name = 'unknown';
  try {
    name = os.userInfo().username;
  } catch {
    name = process.env.USER ?? 'unknown';
  }
  return { type: 'cli', id: name, label: `cli:${name}` };
}

/** Opens the runtime for a one-shot command with quiet logs (warnings and errors on stderr). */
export async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = parseConfig();
  const logger = createLogger({
    level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
    destination: process.stderr,
  });
  const runtime = await openRuntime({ config, logger, applicationName: 'candor-cli' });
  try {
    await adoptServerAddress(runtime.ctx.db, config);
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** Prints a one-line reason and exits non-zero; config errors name the variable. */
export function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`candor: ${error.message}\n`);
    process.exit(78);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`candor: ${message}\n`);
  process.exit(1);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
