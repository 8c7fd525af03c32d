import { createHmac } from 'node:crypto';
import { safeEqual } from '../http/guard.ts';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`): the X-Candor-Signature header. */
export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

/**
 * Whether a signed webhook is genuine and fresh. The timestamp is inside the signature, so a captured
 * request cannot be replayed after `toleranceSeconds` (either way: a timestamp far in the future is as
 * suspect as an old one). Constant-time compare; an empty secret never verifies.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string,
  timestamp: string | undefined,
  signature: string | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  if (!secret || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  return safeEqual(signature, webhookSignature(secret, timestamp, rawBody));
}
