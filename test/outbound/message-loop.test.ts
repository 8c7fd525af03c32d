import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoticeSiteModule } from '../../src/server/modules/notice-site/index.ts';
import { createOutbound } from '../../src/server/wiring.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * The message lane's loop (run by every `serve` and `worker`) waits a second between rounds. It used to add
 * an abort listener per round and never remove it: a leak of 86,400 listeners a day per process.
 */
describe('the site messages loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('holds at most one abort listener however many rounds it runs, and stops when aborted', async () => {
    const outbound = createOutbound(t.ctx);
    createNoticeSiteModule(t.ctx, { outbound });
    const stop = new AbortController();
    const running = outbound.messages.run(stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
    stop.abort();
    await running;
    expect(getEventListeners(stop.signal, 'abort').length).toBe(0);
  });
});
