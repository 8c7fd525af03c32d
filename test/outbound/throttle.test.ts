import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrottles } from '../../src/server/modules/outbound/throttle.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * Throttles hold across processes: each process (here, each throttle set with its own local tokens, as two
 * workers have) reserves tokens from the same row in PostgreSQL, so two of them together send no faster
 * than the rate, where per-process buckets would send twice as fast.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('a throttle shared by two processes', () => {
  it('holds the rate across both (10/s, 30 messages: at least 2 s after the first second’s burst)', async () => {
    const a = createThrottles(t.ctx);
    const b = createThrottles(t.ctx);
    const key = [{ key: 'test:shared', rate: 10 }];
    const started = performance.now();
    const times: number[] = [];
    const take = (throttles: typeof a) =>
      throttles.take(key, 5).then(() => times.push(performance.now() - started));
    await Promise.all([
      ...Array.from({ length: 15 }, () => take(a)),
      ...Array.from({ length: 15 }, () => take(b)),
    ]);
    const elapsed = performance.now() - started;
    // A full bucket (10) at once, then 20 more at 10/s.
    expect(elapsed).toBeGreaterThanOrEqual(1_800);
    expect(elapsed).toBeLessThan(6_000);
    // No second of the run saw more than the burst plus the rate.
    for (const at of times) {
      expect(times.filter((other) => other >= at && other < at + 1_000).length).toBeLessThanOrEqual(20);
    }
  });

  it('serves the most urgent waiter first (a verification code before campaign notices)', async () => {
    const throttles = createThrottles(t.ctx);
    const key = [{ key: 'test:priority', rate: 4 }];
    // Spend the first second's burst.
    await Promise.all(Array.from({ length: 4 }, () => throttles.take(key, 9)));
    const order: string[] = [];
    const waiting = [
      ...Array.from({ length: 3 }, (_, i) => throttles.take(key, 9).then(() => order.push(`notice ${i}`))),
    ];
    waiting.push(throttles.take(key, 0).then(() => order.push('code')));
    await Promise.all(waiting);
    expect(order[0]).toBe('code');
  });
});
