import { type RawBuilder, sql } from 'kysely';

/**
 * Every PostgreSQL advisory lock Candor takes, named in one place so that no two uses share a key by
 * accident (a shared key would make unrelated work wait on each other, or worse, exclude each other).
 *
 * PostgreSQL has two key spaces that never meet: one bigint key (`pg_advisory_lock(key)`) and two int4
 * keys (`pg_advisory_lock(class, key)`). The numbers are the ones in use before this registry, so processes
 * of the previous release still lock the same keys during a rolling upgrade. Never renumber a lock.
 * The tests (test/platform/advisory-locks.test.ts) check that the ids are unique and that no other file
 * under src/server writes an advisory-lock key of its own.
 */

/** Single locks, one bigint key each. Session locks are released by hand; transaction locks at commit. */
export const advisoryLocks = {
  /** db/migrate.ts (session): one process applies migrations, the others wait and find nothing left. */
  migrations: 7_317_001,
  /** platform/crypto/data-keys.ts (transaction): one key rotation at a time. */
  dataKeyRotation: 7_317_002,
  /** platform/audit/audit-log.ts (transaction): appends one at a time, so `seq` is gap-free, the chain unforked. */
  auditAppend: 7_317_003,
  /** users (transaction): last-admin checks one at a time, so two demotions cannot both pass. */
  lastAdmin: 7_317_004,
  /** auth (transaction): the first admin is created once (bootstrap link issued, then used). */
  firstAdmin: 7_317_005,
  /** demo.ts (session): one demo load at a time; a second click waits and finds the first one's incident. */
  demo: 7_317_006,
} as const;

/** Lock families keyed by a value: two int4 keys, `(class, hashtext(value))`. */
export const advisoryLockClasses = {
  /** people (session, held for the whole import): one import per incident at a time, across processes. */
  importPerIncident: 7_317_100,
} as const;

/**
 * Lock families over values too many for hashtext's 32 bits (collisions would serialize strangers): one
 * bigint key, `hashtextextended('<prefix>:<value>', 0)`. The prefix keeps families apart; a collision
 * with a single lock above has a chance of about 2^-61.
 */
export const hashedAdvisoryLocks = {
  /** inbox (transaction): messages from one sender on one channel are threaded one at a time. */
  inboxSender: 'inbox',
} as const;

/** The bigint key of a hashed lock family for `value` (ids or keyed hashes, never personal data). */
export function hashedAdvisoryKey(
  family: keyof typeof hashedAdvisoryLocks,
  value: string,
): RawBuilder<string> {
  return sql<string>`hashtextextended(${`${hashedAdvisoryLocks[family]}:${value}`}, 0)`;
}
