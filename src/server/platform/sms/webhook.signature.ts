import { createHmac } from 'node:crypto';
import { safeEqual } from '../http/guard.ts';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`): the X-Candor-Signature header. The body is
 * signed as the bytes sent (a string is taken as its UTF-8 bytes).
 */
export function webhookSignature(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`, 'utf8');
  if (typeof rawBody === 'string') hmac.update(rawBody, 'utf8');
  else hmac.update(rawBody);
  return `v1=${hmac.digest('hex')}`;
}

/**
 * Whether the signature headers could belong to a genuine, fresh request: both present, well formed, and
 * the timestamp within `toleranceSeconds`. Checked before the body is read, so a request without them
 * costs no body reading at all; only `verifyWebhookSignature` says the request is genuine.
 */
export function isPlausibleWebhook(
  timestamp: string | undefined,
  signature: string | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (!/^v1=[0-9a-f]{64}$/.test(signature)) return false;
  return Math.abs(nowSeconds - Number(timestamp)) <= toleranceSeconds;
}

/**
 * Whether a signed webhook is genuine and fresh. The timestamp is inside the signature, so a captured
 * request cannot be replayed after `toleranceSeconds` (either way: a timestamp far in the future is as
 * suspect as an old one). Constant-time compare; an empty secret never verifies.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  timestamp: string | undefined,
  signature: string | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  if (!secret || !isPlausibleWebhook(timestamp, signature, nowSeconds, toleranceSeconds)) return false;
  return safeEqual(signature!, webhookSignature(secret, timestamp!, rawBody));
}
