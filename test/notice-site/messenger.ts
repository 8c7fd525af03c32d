import { createNoticeSiteModule } from '../../src/server/modules/notice-site/index.ts';
import { createOutbound } from '../../src/server/wiring.ts';
import type { TestApp } from '../support/app.ts';

/** Sends every site message that is due (what outbound's message lane in `serve` does every second). */
export async function drainSiteMessages(t: TestApp): Promise<number> {
  const outbound = createOutbound(t.ctx);
  const notice = createNoticeSiteModule(t.ctx, { outbound });
  const sent = await outbound.messages.drain();
  // The answers' counts (affected, unaffected, throttled) are written, as the loop does each second.
  await notice.close();
  await outbound.close();
  return sent;
}
