import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import { createNoticeModule } from '../../src/server/modules/notice/index.ts';
import type { TestApp } from '../support/app.ts';

/** Sends every site message that is due (what the loop in `serve` does every second). */
export async function drainSiteMessages(t: TestApp): Promise<number> {
  const module = createNoticeModule(t.ctx, { senders: createCampaignsModule(t.ctx).senders });
  return module.messenger.drain();
}
