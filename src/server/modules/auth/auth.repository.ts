import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { SessionStage } from '../../db/schema.ts';

/** SQL for sign-in, sessions, MFA and setup links. Every function takes the executor first. */

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSession(
  db: Executor,
  row: {
    tokenHash: Buffer;
    userId: string;
    stage: SessionStage;
    csrfToken: string;
    expiresAt: Date;
    userAgent: string | null;
  },
): Promise<string> {
  const inserted = await db
    .insertInto('sessions')
    .values({
      token_hash: row.tokenHash,
      user_id: row.userId,
      stage: row.stage,
      csrf_token: row.csrfToken,
      expires_at: row.expiresAt,
      user_agent: row.userAgent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** A live session: not past its absolute expiry nor idle for longer than `idleMs`, user not disabled. */
export function findLiveSession(db: Executor, tokenHash: Buffer, idleMs: number) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.stage',
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'sessions.reauthenticated_at',
      'users.role',
      'users.status',
      'users.display_name',
      'users.email',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('sessions.last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
    .where('users.status', '!=', 'disabled')
    .executeTakeFirst();
}

export function touchSession(db: Executor, sessionId: string) {
  return db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()` })
    .where('id', '=', sessionId)
    .where('last_seen_at', '<', sql<Date>`now() - interval '30 seconds'`)
    .execute();
}

/** Moves a session to the next stage and swaps its token (no session fixation across a privilege change). */
export function advanceSession(
  db: Executor,
  sessionId: string,
  from: SessionStage,
  to: SessionStage,
  tokenHash: Buffer,
  csrfToken: string,
) {
  return db
    .updateTable('sessions')
    .set({ stage: to, token_hash: tokenHash, csrf_token: csrfToken, last_seen_at: sql`now()` })
    .where('id', '=', sessionId)
    .where('stage', '=', from)
    .returning('id')
    .executeTakeFirst();
}

export function markReauthenticated(db: Executor, sessionId: string) {
  return db
    .updateTable('sessions')
    .set({ reauthenticated_at: sql`now()` })
    .where('id', '=', sessionId)
    .returning('reauthenticated_at')
    .executeTakeFirstOrThrow();
}

export function deleteSession(db: Executor, sessionId: string) {
  return db.deleteFrom('sessions').where('id', '=', sessionId).executeTakeFirst();
}

export async function deleteSessionsOfUser(
  db: Executor,
  userId: string,
  exceptSessionId?: string,
): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function deleteExpiredSessions(db: Executor, idleMs: number) {
  return db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', sql<Date>`now()`),
        eb('last_seen_at', '<=', sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`),
      ]),
    )
    .executeTakeFirst();
}

/** Setup links used, or expired, before `before`. */
export function deleteSpentSetupLinks(db: Executor, before: Date) {
  return db
    .deleteFrom('setup_links')
    .where((eb) => eb.or([eb('used_at', '<', before), eb('expires_at', '<', before)]))
    .executeTakeFirst();
}

/** Accepts a TOTP step only if it is newer than every step accepted before (guarded: no replay). */
export function acceptTotpStep(db: Executor, userId: string, step: number) {
  return db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
}

export async function deleteRecoveryCodes(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: Buffer[]): Promise<void> {
  await deleteRecoveryCodes(db, userId);
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

export function spendRecoveryCode(db: Executor, userId: string, codeHash: Buffer) {
  return db
    .updateTable('recovery_codes')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

export function findRecoveryCode(db: Executor, userId: string, codeHash: Buffer) {
  return db
    .selectFrom('recovery_codes')
    .select(['id', 'used_at'])
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertSetupLink(
  db: Executor,
  row: {
    tokenHash: Buffer;
    userId: string | null;
    purpose: 'bootstrap' | 'setup' | 'reset';
    expiresAt: Date;
  },
) {
  return db
    .insertInto('setup_links')
    .values({
      token_hash: row.tokenHash,
      user_id: row.userId,
      purpose: row.purpose,
      expires_at: row.expiresAt,
    })
    .execute();
}

export function findUsableSetupLink(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('setup_links')
    .leftJoin('users', 'users.id', 'setup_links.user_id')
    .select(['setup_links.user_id', 'setup_links.purpose', 'users.email', 'users.role', 'users.status'])
    .where('setup_links.token_hash', '=', tokenHash)
    .where('setup_links.used_at', 'is', null)
    .where('setup_links.expires_at', '>', sql<Date>`now()`)
    .where((eb) => eb.or([eb('users.status', 'is', null), eb('users.status', '!=', 'disabled')]))
    .executeTakeFirst();
}

/** Spends a setup link; a miss means unknown, expired or already used. */
export function consumeSetupLink(db: Executor, tokenHash: Buffer) {
  return db
    .updateTable('setup_links')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['user_id', 'purpose'])
    .executeTakeFirst();
}

/** Voids every unused link of a user, or every bootstrap link for null (a new one replaces them). */
export function voidSetupLinks(db: Executor, userId: string | null) {
  return db
    .updateTable('setup_links')
    .set({ used_at: sql`now()` })
    .where((eb) => (userId ? eb('user_id', '=', userId) : eb('purpose', '=', 'bootstrap')))
    .where('used_at', 'is', null)
    .execute();
}

export function findThrottle(db: Executor, keyHash: Buffer) {
  return db.selectFrom('sign_in_throttle').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

/**
 * Counts a failure; from the `threshold`-th consecutive failure on, locks for a doubling period
 * (1, 2, 4 … minutes, at most `maxLockMinutes`). Returns the lock end, if any.
 */
export async function recordThrottleFailure(
  db: Executor,
  keyHash: Buffer,
  threshold: number,
  maxLockMinutes: number,
): Promise<Date | null> {
  const row = await db
    .insertInto('sign_in_throttle')
    .values({ key_hash: keyHash, failures: 1 })
    .onConflict((oc) =>
      oc.column('key_hash').doUpdateSet({
        failures: sql`sign_in_throttle.failures + 1`,
        updated_at: sql`now()`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  if (row.failures < threshold) return null;
  const minutes = Math.min(2 ** (row.failures - threshold), maxLockMinutes);
  const locked = await db
    .updateTable('sign_in_throttle')
    .set({ locked_until: sql`now() + make_interval(mins => ${minutes})` })
    .where('key_hash', '=', keyHash)
    .returning('locked_until')
    .executeTakeFirstOrThrow();
  return locked.locked_until as Date;
}

export function clearThrottle(db: Executor, keyHash: Buffer) {
  return db.deleteFrom('sign_in_throttle').where('key_hash', '=', keyHash).execute();
}
