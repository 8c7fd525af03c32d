import { timingSafeEqual } from 'node:crypto';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';

/**
 * Tokens in subscription links: the subscription id and what the link does (confirm, unsubscribe), signed.
 * They do not expire: an unsubscribe link must keep working for as long as mail carrying it exists.
 */
const NAMESPACE = 'notice_subscription.v1';

export function subscriptionToken(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  subscriptionId: string,
  purpose: 'confirm' | 'unsubscribe',
): string {
  const payload = Buffer.from(subscriptionId.replace(/-/g, ''), 'hex').toString('base64url');
  return `${payload}.${crypto.blindIndex(NAMESPACE, `${purpose}|${payload}`).subarray(0, 16).toString('base64url')}`;
}

export function readSubscriptionToken(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  token: string,
  purpose: 'confirm' | 'unsubscribe',
): string | null {
  if (token.length > 80) return null;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = crypto.blindIndex(NAMESPACE, `${purpose}|${payload}`).subarray(0, 16);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const hex = Buffer.from(payload, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
