import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/errors.ts';

/**
 * argon2id with OWASP's recommended floor (19 MiB, 2 passes). A password must be 12+ characters and not
 * on the shipped list of common passwords: RockYou's most frequent (≈59k) merged with zxcvbn's common list
 * (≈30k), ≈86k distinct, compared case-insensitively.
 */
// algorithm 2 is Argon2id (the package exports it as an ambient const enum, unusable under isolatedModules).
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

// Verified against when the account does not exist, so the answer takes as long either way.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('candor timing equaliser, not a real password');
  const target = passwordHash ?? (await dummyHash);
  const isMatch = await verify(target, password.normalize('NFKC')).catch(() => false);
  return isMatch && passwordHash !== null;
}

let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  const require = createRequire(import.meta.url);
  const set = new Set<string>();
  const rockyou = path.join(path.dirname(require.resolve('rockyou/package.json')), 'data', '75.txt');
  for (const line of fs.readFileSync(rockyou, 'utf8').split('\n')) if (line) set.add(line.toLowerCase());
  const zxcvbnFile = require.resolve('@zxcvbn-ts/language-common/src/passwords.json');
  for (const word of JSON.parse(fs.readFileSync(zxcvbnFile, 'utf8')) as string[]) set.add(word.toLowerCase());
  return set;
}

export function isCommonPassword(password: string): boolean {
  commonPasswords ??= loadCommonPasswords();
  return commonPasswords.has(password.toLowerCase());
}

/** Throws a reader-facing error when a new password is too weak. `context` are words it must not be. */
export function assertStrongPassword(password: string, context: string[] = []): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AppError('weak_password', `Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const lowered = password.toLowerCase();
  if (isCommonPassword(password) || context.some((word) => word && lowered === word.toLowerCase())) {
    throw new AppError(
      'weak_password',
      'This password is on a list of commonly used or breached passwords. Choose another, for example a few unrelated words.',
    );
  }
  if (new Set(password).size < 4) {
    throw new AppError(
      'weak_password',
      'This password repeats too few characters. Choose a less predictable one.',
    );
  }
}
