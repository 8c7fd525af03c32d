import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { readSetting, writeSetting } from './settings.ts';

/**
 * Links that a CLI command prints (a setup link, the demo's notice) must lead to the server people use. The
 * one setting for that is CANDOR_PUBLIC_URL, shared by `serve` and the CLI; when it is unset, `serve`
 * records the address it listens on, and the CLI uses that record instead of assuming port 3000.
 */
const KEY = 'server.address';
const recorded = z.object({ publicUrl: z.url(), noticeUrl: z.url() });

export async function recordServerAddress(db: Executor, config: Config): Promise<void> {
  await writeSetting(db, KEY, { publicUrl: config.publicUrl, noticeUrl: config.noticeUrl }, 'candor serve');
}

/** The CLI's config with the running server's address, where CANDOR_PUBLIC_URL / CANDOR_NOTICE_URL are unset. */
export async function adoptServerAddress(db: Executor, config: Config): Promise<void> {
  if (config.isPublicUrlSet && config.isNoticeUrlSet) return;
  const server = await readSetting(db, KEY, recorded.nullable(), null);
  if (!server) return;
  if (!config.isPublicUrlSet) {
    config.publicUrl = server.publicUrl;
    config.isHttps = server.publicUrl.startsWith('https://');
  }
  if (!config.isNoticeUrlSet) config.noticeUrl = config.isPublicUrlSet ? config.publicUrl : server.noticeUrl;
}
