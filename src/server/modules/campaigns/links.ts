import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { openToken, signToken } from '../../platform/crypto/signed-tokens.ts';

/**
 * Personal links to a person's page on the public notice site: `/n/<slug>/me/<token>`. The token names the
 * incident, the person number, its expiry and when it was issued (in milliseconds) (so links issued before a revocation stop
 * working), signed with a keyed HMAC; it carries no personal data.
 */
export function personalLinkToken(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  incidentId: string,
  pn: number,
  expiresAt: Date,
  issuedAt = new Date(),
): string {
  const payload = Buffer.from(
    `${incidentId}.${pn}.${Math.floor(expiresAt.getTime() / 1000)}.${issuedAt.getTime()}`,
  ).toString('base64url');
  return signToken(crypto, 'personalLink', payload);
}

export function readPersonalLinkToken(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  token: string,
  now = new Date(),
): { incidentId: string; pn: number; expired: boolean; issuedAt: Date } | null {
  const payload = openToken(crypto, 'personalLink', token);
  if (!payload) return null;
  const [incidentId, pn, exp, iat] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (!incidentId || !pn || !exp || !/^\d+$/.test(pn)) return null;
  return {
    incidentId,
    pn: Number(pn),
    expired: Number(exp) * 1000 < now.getTime(),
    issuedAt: new Date(Number(iat ?? 0)),
  };
}

/** The link as it appears in a message: on the notice site's own base URL, under the incident's slug. */
export function personalLink(noticeUrl: string, slug: string, token: string): string {
  return `${noticeUrl}/n/${slug}/me/${token}`;
}
