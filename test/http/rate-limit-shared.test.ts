import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * Production runs several `candor serve` processes behind a load balancer: the sign-in rate limit must
 * count across all of them, not per process.
 */
describe('rate limits shared by every server process', () => {
  let t: TestApp;
  let second: Awaited<ReturnType<typeof buildApp>>['app'];
  beforeAll(async () => {
    t = await createTestApp();
    second = (await buildApp(t.ctx, { webRoot: '/nonexistent' })).app;
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  // pins: password guessing spread over the servers of a load balancer to multiply the allowed rate
  it('refuses the 11th sign-in attempt in a minute from one address, whichever server gets it', async () => {
    const attempt = (app: TestApp['app'], n: number) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '198.51.100.7',
        payload: { email: `spread-${n}@example.test`, password: 'not the password' },
      });
    const statuses: number[] = [];
    for (let n = 0; n < 10; n++) statuses.push((await attempt(n % 2 === 0 ? t.app : second, n)).statusCode);
    expect(statuses).toEqual(Array(10).fill(401));
    const eleventh = await attempt(second, 10);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().code).toBe('rate_limited');
    // Another address is not affected.
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '198.51.100.8',
      payload: { email: 'other@example.test', password: 'not the password' },
    });
    expect(other.statusCode).toBe(401);
    // No client address is stored, only keyed hashes.
    const keys = await t.ctx.db.selectFrom('rate_limits').select('key').execute();
    expect(keys.length).toBeGreaterThan(0);
    for (const { key } of keys) expect(key.toString('latin1')).not.toContain('198.51.100');
  });
});
