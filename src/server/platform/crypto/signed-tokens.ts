import { timingSafeEqual } from 'node:crypto';
import type { PiiCrypto } from './data-keys.ts';

/**
 * The one codec for tokens Candor hands out in links, forms and cookies: `<payload>.<signature>`, the
 * signature a keyed HMAC (the blind-index key) truncated to 128 bits over the purpose's namespace, the
 * values the token is bound to, and the payload. A token signed for one purpose never opens another (each
 * has its own namespace), and one bound to an incident or an action opens only with the same binding.
 * Payloads carry ids and times, never personal data; what a purpose needs beyond the signature (expiry,
 * revocation by issue time, spending once) its owner checks on the payload this returns.
 *
 * The namespaces are the ones the tokens already in people's mailboxes were signed with: renaming one
 * breaks every link sent under it.
 */
export const tokenPurposes = {
  /** A person's page on the notice site: incident, person number, expiry, issue time (revocable). */
  personalLink: { namespace: 'personal_link.v1', maxLength: 300 },
  /** The 30-minute cookie a personal link is exchanged for. */
  personSession: { namespace: 'notice_person_session.v2', maxLength: 300 },
  /** Confirm or unsubscribe links of notice-site subscriptions (bound to the action; never expire). */
  subscription: { namespace: 'notice_subscription.v1', maxLength: 80 },
  /** The satisfaction question after an inbox thread is solved. */
  satisfaction: { namespace: 'inbox_satisfaction.v1', maxLength: 80 },
  /** Public form tokens (bound to the form and the incident; two hours; the lookup's spent once). */
  form: { namespace: 'notice_form.v1', maxLength: 100 },
  /** Proof-of-work challenges (ten minutes; spent once). */
  challenge: { namespace: 'notice_challenge.v1', maxLength: 120 },
} as const;

export type TokenPurpose = keyof typeof tokenPurposes;
type Signer = Pick<PiiCrypto, 'blindIndex'>;

function signature(crypto: Signer, purpose: TokenPurpose, payload: string, binding: readonly string[]) {
  const input = binding.length > 0 ? `${binding.join('|')}|${payload}` : payload;
  return crypto.blindIndex(tokenPurposes[purpose].namespace, input).subarray(0, 16);
}

/** `payload` must be URL-safe (base64url, digits, '.', '-', '_'). */
export function signToken(
  crypto: Signer,
  purpose: TokenPurpose,
  payload: string,
  binding: readonly string[] = [],
): string {
  return `${payload}.${signature(crypto, purpose, payload, binding).toString('base64url')}`;
}

/** The payload of a token signed for this purpose and binding, or null (forged, other purpose, garbage). */
export function openToken(
  crypto: Signer,
  purpose: TokenPurpose,
  token: unknown,
  binding: readonly string[] = [],
): string | null {
  if (typeof token !== 'string' || token.length > tokenPurposes[purpose].maxLength) return null;
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = signature(crypto, purpose, payload, binding);
  return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
}

/** A UUID as 22 base64url characters, and back (null when it is not 16 bytes). */
export const uuidPayload = {
  encode: (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url'),
  decode(payload: string): string | null {
    const hex = Buffer.from(payload, 'base64url').toString('hex');
    if (hex.length !== 32) return null;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  },
};
