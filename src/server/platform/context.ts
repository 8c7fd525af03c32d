import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PiiCrypto } from './crypto/data-keys.ts';
import type { MasterKeyRing } from './crypto/master-keys.ts';
import type { Logger } from './logging/logger.ts';

/** What a module may depend on; each module narrows it to what it uses. */
export interface PlatformContext {
  config: Config;
  db: Db;
  logger: Logger;
  crypto: PiiCrypto;
  masterKeys: MasterKeyRing;
}
