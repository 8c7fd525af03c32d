import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { openToken, signToken, uuidPayload } from '../../platform/crypto/signed-tokens.ts';

/**
 * Tokens in subscription links: the subscription id and what the link does (confirm, unsubscribe), signed.
 * They do not expire: an unsubscribe link must keep working for as long as mail carrying it exists.
 */
export function subscriptionToken(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  subscriptionId: string,
  purpose: 'confirm' | 'unsubscribe',
): string {
  return signToken(crypto, 'subscription', uuidPayload.encode(subscriptionId), [purpose]);
}

export function readSubscriptionToken(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  token: string,
  purpose: 'confirm' | 'unsubscribe',
): string | null {
  const payload = openToken(crypto, 'subscription', token, [purpose]);
  return payload === null ? null : uuidPayload.decode(payload);
}
