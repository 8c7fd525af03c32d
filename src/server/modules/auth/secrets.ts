import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 256-bit random token, URL-safe. Only its SHA-256 is stored. */
export function newToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten characters from a 31-symbol alphabet (~49 bits), shown as xxxxx-xxxxx. */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function hashRecoveryCode(code: string): Buffer {
  return hashToken(`recovery:${code.replace('-', '').toLowerCase()}`);
}
