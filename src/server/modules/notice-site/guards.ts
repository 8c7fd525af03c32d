import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { openToken, signToken } from '../../platform/crypto/signed-tokens.ts';
import { countHits, currentHits, spendKey } from '../../platform/rate-limits.ts';

/**
 * What stands between the public forms and abuse: a per-request form token (the form was fetched from our
 * page recently, so another site cannot make its visitors' browsers post lookups; the lookup's is spent on
 * use, so one fetched page cannot drive a script's lookups for two hours), rate limits per address,
 * per network and site-wide, and a self-hosted proof of work switched on under load.
 */
type Signer = Pick<PiiCrypto, 'blindIndex'>;
export const FORM_MAX_AGE_MS = 2 * 3_600_000;
const CHALLENGE_MAX_AGE_MS = 10 * 60_000;

/** `<issued ms>.<nonce>.<signature>`, bound to the form's purpose and incident. */
export function formToken(crypto: Signer, purpose: string, incidentId: string, now = Date.now()): string {
  const payload = `${now.toString(36)}.${randomBytes(9).toString('base64url')}`;
  return signToken(crypto, 'form', payload, [purpose, incidentId]);
}

export function checkFormToken(
  crypto: Signer,
  token: unknown,
  purpose: string,
  incidentId: string,
  now = Date.now(),
): boolean {
  const payload = openToken(crypto, 'form', token, [purpose, incidentId]);
  const [issued, nonce, extra] = payload?.split('.') ?? [];
  if (!issued || !nonce || extra !== undefined) return false;
  const at = Number.parseInt(issued, 36);
  return Number.isFinite(at) && at <= now + 60_000 && now - at <= FORM_MAX_AGE_MS;
}

/** A proof-of-work challenge: find `nonce` with SHA-256(`challenge:nonce`) starting with `bits` zero bits. */
export function issueChallenge(crypto: Signer, bits: number, now = Date.now()): string {
  return signToken(
    crypto,
    'challenge',
    `${now.toString(36)}.${randomBytes(12).toString('base64url')}.${bits}`,
  );
}

export function leadingZeroBits(hash: Buffer): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Checks the signature, age and difficulty; the caller then spends it once (`spendOnce`). */
export function checkSolution(
  crypto: Signer,
  challenge: unknown,
  solution: unknown,
  minBits: number,
  now = Date.now(),
): boolean {
  if (typeof challenge !== 'string' || typeof solution !== 'string') return false;
  if (solution.length > 40) return false;
  const payload = openToken(crypto, 'challenge', challenge);
  const [issued, nonce, bitsText, extra] = payload?.split('.') ?? [];
  if (!issued || !nonce || !bitsText || extra !== undefined) return false;
  const at = Number.parseInt(issued, 36);
  if (!Number.isFinite(at) || now - at > CHALLENGE_MAX_AGE_MS) return false;
  const bits = Number(bitsText);
  if (bits < minBits) return false;
  return leadingZeroBits(createHash('sha256').update(`${challenge}:${solution}`).digest()) >= bits;
}

/** Solves a challenge (tests and the load generator; browsers run /n/_assets/challenge.js). */
export function solveChallenge(challenge: string): string {
  const bits = Number(challenge.split('.')[2]);
  for (let i = 0; ; i++) {
    const candidate = i.toString(36);
    if (leadingZeroBits(createHash('sha256').update(`${challenge}:${candidate}`).digest()) >= bits)
      return candidate;
  }
}

export interface Limit {
  /** What is counted (`lookup:ip`), and for whom (an address, a network, or '' for the whole site). */
  scope: string;
  key: string;
  max: number;
  windowMs: number;
}

/**
 * Counts one hit against every limit in a single statement (shared by every process through the
 * platform's rate limits; keys are blind-indexed, so no address is stored). Returns the first limit exceeded.
 */
export async function hitLimits(
  db: Db,
  crypto: Signer,
  limits: readonly Limit[],
): Promise<{ exceeded: Limit | null; retryAfterMs: number; counts: number[] }> {
  if (limits.length === 0) return { exceeded: null, retryAfterMs: 0, counts: [] };
  const counted = await countHits(
    db,
    limits.map((l) => ({ key: limitKey(crypto, l.scope, l.key), windowMs: l.windowMs })),
  );
  const counts = counted.map((c) => c.hits);
  for (const [i, limit] of limits.entries()) {
    const { hits, ttlMs } = counted[i]!;
    if (hits > limit.max) return { exceeded: limit, retryAfterMs: Math.max(0, ttlMs), counts };
  }
  return { exceeded: null, retryAfterMs: 0, counts };
}

function limitKey(crypto: Signer, scope: string, key: string): Buffer {
  return crypto.blindIndex('rate_limit', `public|${scope}\0${key}`);
}

/** Site-wide hits in the current window without counting one (to decide whether to challenge). */
export function currentCount(db: Db, crypto: Signer, scope: string, key: string): Promise<number> {
  return currentHits(db, limitKey(crypto, scope, key));
}

/**
 * Marks a one-time value (a solved challenge, a form token) as spent; false if it already was. The mark is a
 * rate-limit row (a keyed hash of the value, never the value), so every process sees it, and it expires
 * after `ttlMs` (the job `platform.purge-rate-limits`, which every `serve` runs, removes it).
 */
export function spendOnce(db: Db, crypto: Signer, value: string, ttlMs: number): Promise<boolean> {
  return spendKey(db, limitKey(crypto, 'spent', value), ttlMs);
}

/**
 * Spends a form token, so a form posts once: true the first time, false on every replay, in any process.
 * Kept for as long as the token could be valid (two hours, and the minute of clock skew checkFormToken
 * allows). Only for a token checkFormToken accepted: the work is then the same whatever the form carried.
 */
export function spendFormToken(db: Db, crypto: Signer, token: string): Promise<boolean> {
  return spendOnce(db, crypto, `form\0${token}`, FORM_MAX_AGE_MS + 60_000);
}

/** The network an address belongs to, for the per-network limit: IPv4 /24, IPv6 /48. */
export function networkOf(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const parts = ip.toLowerCase().split('::');
  const head = (parts[0] ?? '').split(':').filter(Boolean);
  const tail = parts.length > 1 ? (parts[1] ?? '').split(':').filter(Boolean) : [];
  const groups = [...head, ...Array(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  return `${groups.slice(0, 3).join(':')}::/48`;
}
