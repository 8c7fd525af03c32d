import path from 'node:path';
import { type Config, parseConfig } from './config.ts';
import { createDb } from './db/database.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migrate } from './db/migrate.ts';
import type { PlatformContext } from './platform/context.ts';
import { createPiiCrypto } from './platform/crypto/data-keys.ts';
import { loadMasterKeys } from './platform/crypto/master-keys.ts';
import { createLogger, type Logger } from './platform/logging/logger.ts';

/**
 * Everything a Candor process needs before it does its job (serve, work, or a CLI command): the parsed
 * configuration, the database (embedded or external), migrations, master keys and data keys.
 */
export interface Runtime {
  ctx: PlatformContext;
  /** Migrations this process applied at start (empty when another process had already). */
  appliedMigrations: string[];
  close(): Promise<void>;
}

export async function openRuntime(
  options: { env?: NodeJS.ProcessEnv; logger?: Logger; applicationName?: string; config?: Config } = {},
): Promise<Runtime> {
  const config = options.config ?? parseConfig(options.env);
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });

  const { ring, createdFile } = loadMasterKeys({
    masterKey: config.CANDOR_MASTER_KEY,
    previousMasterKeys: config.CANDOR_MASTER_KEY_PREVIOUS,
    keyFile: config.CANDOR_MASTER_KEY_FILE,
    defaultKeyFile: config.isEmbeddedDatabase ? path.join(config.dataDir, 'keys.json') : undefined,
  });
  if (createdFile) {
    logger.warn(
      { file: createdFile },
      'generated a new master key file (mode 0600); back it up: without it the encrypted data cannot be read',
    );
  }

  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.CANDOR_EMBEDDED_PG_PORT,
      systemDir: path.resolve(config.CANDOR_EMBEDDED_PG_HOME),
      logger,
    });
    url = embedded.url;
  }
  const db = createDb({ url, poolSize: config.DATABASE_POOL_SIZE, applicationName: options.applicationName });
  try {
    const appliedMigrations = await migrate(db, logger);
    const crypto = await createPiiCrypto(db, ring);
    return {
      ctx: { config, db, logger, crypto, masterKeys: ring },
      appliedMigrations,
      async close() {
        crypto.close();
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    throw error;
  }
}
