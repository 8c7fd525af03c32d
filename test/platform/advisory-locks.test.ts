import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  advisoryLockClasses,
  advisoryLocks,
  hashedAdvisoryLocks,
} from '../../src/server/platform/advisory-locks.ts';

/**
 * Two uses of one advisory-lock key make unrelated work wait on (or exclude) each other, silently. Every
 * key comes from the registry, and the registry never repeats one.
 */
const SERVER = path.resolve(import.meta.dirname, '../../src/server');
const REGISTRY = path.join(SERVER, 'platform/advisory-locks.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

describe('advisory locks', () => {
  it('have unique ids, in range for their key space', () => {
    const singles = Object.values(advisoryLocks);
    const classes = Object.values(advisoryLockClasses);
    // The two key spaces never meet in PostgreSQL; keeping them apart anyway keeps pg_locks readable.
    const all = [...singles, ...classes];
    expect(new Set(all).size).toBe(all.length);
    for (const id of singles) expect(Number.isSafeInteger(id) && id > 0).toBe(true);
    for (const id of classes) expect(Number.isInteger(id) && id > 0 && id < 2 ** 31).toBe(true);
    const prefixes = Object.values(hashedAdvisoryLocks);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z][a-z-]*$/);
  });

  it('are never keyed outside the registry', () => {
    // A literal id, a hash computed in place, or a constant of the 7317xxx family outside the registry.
    const ownKey =
      /pg_(?:try_)?advisory_(?:xact_)?(?:un)?lock(?:_shared)?\(\s*(?:\d|hashtext)|\b7_?317_?\d{3}\b/;
    const offenders = sourceFiles(SERVER)
      .filter((file) => file !== REGISTRY)
      .flatMap((file) =>
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            ownKey.test(line) ? [`${path.relative(SERVER, file)}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(offenders).toEqual([]);
  });
});
