import type { Executor } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { clearThrottle, findThrottle, recordThrottleFailure } from './auth.repository.ts';
import { hashToken } from './secrets.ts';

/**
 * Lockout with back-off after repeated failures, per email (whether or not the account exists) for
 * passwords, per user for second-factor codes. Complements the per-IP rate limit on the routes.
 */
const THRESHOLD = 5;
const MAX_LOCK_MINUTES = 60;

export const throttleKey = {
  signIn: (email: string) => hashToken(`sign-in:${email}`),
  secondFactor: (userId: string) => hashToken(`second-factor:${userId}`),
};

export async function assertNotLocked(db: Executor, key: Buffer): Promise<void> {
  const row = await findThrottle(db, key);
  const until = row?.locked_until ? new Date(row.locked_until) : null;
  if (until && until.getTime() > Date.now()) {
    const seconds = Math.ceil((until.getTime() - Date.now()) / 1000);
    throw new AppError(
      'account_locked',
      `Too many failed attempts. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
      { retryAfterSeconds: seconds },
    );
  }
}

export function recordFailure(db: Executor, key: Buffer): Promise<Date | null> {
  return recordThrottleFailure(db, key, THRESHOLD, MAX_LOCK_MINUTES);
}

export async function recordSuccess(db: Executor, key: Buffer): Promise<void> {
  await clearThrottle(db, key);
}
