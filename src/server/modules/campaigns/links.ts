import { timingSafeEqual } from 'node:crypto';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';

/**
 * Personal links to a person's page on the public notice site: `/n/<incident>/me/<token>`. The token names
 * the incident, the person number and an expiry, signed with a keyed HMAC; it carries no personal data.
 */
const NAMESPACE = 'personal_link.v1';

export function personalLinkToken(
  crypto: PiiCrypto,
  incidentId: string,
  pn: number,
  expiresAt: Date,
): string {
  const payload = Buffer.from(`${incidentId}.${pn}.${Math.floor(expiresAt.getTime() / 1000)}`).toString(
    'base64url',
  );
  const signature = crypto.blindIndex(NAMESPACE, payload).subarray(0, 16).toString('base64url');
  return `${payload}.${signature}`;
}

export function readPersonalLinkToken(
  crypto: PiiCrypto,
  token: string,
  now = new Date(),
): { incidentId: string; pn: number; expired: boolean } | null {
  const [payload, signature] = token.split('.');
  if (!payload || !signature || token.length > 300) return null;
  const expected = crypto.blindIndex(NAMESPACE, payload).subarray(0, 16);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [incidentId, pn, exp] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (!incidentId || !pn || !exp) return null;
  return { incidentId, pn: Number(pn), expired: Number(exp) * 1000 < now.getTime() };
}

export function personalLink(publicUrl: string, incidentId: string, token: string): string {
  return `${publicUrl}/n/${incidentId}/me/${token}`;
}
