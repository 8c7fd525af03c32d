import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { reserveTokens } from './throttles.repository.ts';

/**
 * Throttles shared by every process that sends (DESIGN: workers on as many machines as needed, one
 * PostgreSQL): each key is a token bucket row in `outbound_throttles`. A process reserves a few tokens at a
 * time (a tenth of a second's worth, at most what its waiters need) and hands them out locally, so a rate
 * of 25/s holds whether one worker sends or ten, at the cost of one small UPDATE per reservation.
 *
 * Within a process, waiters of a key are served by priority (then in order), so a verification code that
 * shares the email provider's throttle with a campaign does not queue behind the campaign's messages.
 */
export interface ThrottleKey {
  key: string;
  /** Messages per second. */
  rate: number;
}

export interface Throttles {
  /** Waits for one token of every key, in turn. */
  take(keys: readonly ThrottleKey[], priority: number): Promise<void>;
}

interface Waiter {
  priority: number;
  order: number;
  resolve: () => void;
}

interface Bucket {
  rate: number;
  tokens: number;
  /** Tokens reserved and not spent within a second are dropped: they would add to another second's rate. */
  reservedAt: number;
  waiters: Waiter[];
  isPumping: boolean;
}

export function createThrottles(deps: { db: Db; logger: Logger }): Throttles {
  const buckets = new Map<string, Bucket>();
  let order = 0;

  async function pump(key: string, bucket: Bucket) {
    if (bucket.isPumping) return;
    bucket.isPumping = true;
    try {
      while (bucket.waiters.length > 0) {
        if (Date.now() - bucket.reservedAt > 1000) bucket.tokens = 0;
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          bucket.waiters.shift()!.resolve();
          continue;
        }
        const want = Math.min(bucket.waiters.length, Math.max(1, Math.min(50, Math.floor(bucket.rate / 10))));
        try {
          const { granted, tokens } = await reserveTokens(deps.db, key, bucket.rate, want);
          if (granted > 0) {
            bucket.tokens += granted;
            bucket.reservedAt = Date.now();
          } else await sleep(Math.max(5, Math.ceil(((1 - tokens) / bucket.rate) * 1000)));
        } catch (error) {
          deps.logger.warn({ err: error, key }, 'could not reserve throttle tokens; retrying');
          await sleep(500);
        }
      }
    } finally {
      bucket.isPumping = false;
    }
  }

  function takeOne({ key, rate }: ThrottleKey, priority: number): Promise<void> {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { rate, tokens: 0, reservedAt: 0, waiters: [], isPumping: false };
      buckets.set(key, bucket);
    }
    bucket.rate = rate;
    if (bucket.waiters.length === 0 && bucket.tokens >= 1 && Date.now() - bucket.reservedAt <= 1000) {
      bucket.tokens -= 1;
      return Promise.resolve();
    }
    const current = bucket;
    return new Promise<void>((resolve) => {
      const waiter = { priority, order: order++, resolve };
      const at = current.waiters.findIndex(
        (w) => w.priority > priority || (w.priority === priority && w.order > waiter.order),
      );
      if (at === -1) current.waiters.push(waiter);
      else current.waiters.splice(at, 0, waiter);
      void pump(key, current);
    });
  }

  return {
    async take(keys, priority) {
      for (const key of keys) await takeOne(key, priority);
    },
  };
}
