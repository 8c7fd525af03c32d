import { sql } from 'kysely';
import type { SessionResponse } from '../../../shared/contracts/auth.ts';
import { type Permission, rolePermissions } from '../../../shared/permissions.ts';
import type { SessionStage } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { actorOf, anonymousActor, staffLabel } from '../../platform/http/actors.ts';
import * as repo from './auth.repository.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.ts';
import { hashRecoveryCode, hashToken, newToken } from './secrets.ts';
import { type IssuedSession, openSession } from './sessions.ts';
import { assertNotLocked, recordFailure, recordSuccess, throttleKey } from './throttle.ts';
import { matchTotp } from './totp.ts';

type Deps = Pick<PlatformContext, 'db' | 'config' | 'crypto'>;

const GENERIC_SIGN_IN_FAILURE = 'The email or password is not right. Check both and try again.';
const GENERIC_CODE_FAILURE =
  'That code is not right. Enter the current 6-digit code from your authenticator app.';

export interface RequestMeta {
  requestId: string;
  userAgent?: string | undefined;
}

/**
 * Step one: email and password. Same message, and an argon2 verification either way, whether or not the
 * account exists. Success opens a session that still needs the second factor (or MFA enrollment).
 */
export async function signInWithPassword(
  deps: Deps,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<{ stage: SessionStage; session: IssuedSession }> {
  const { db } = deps;
  const key = throttleKey.signIn(input.email);
  await assertNotLocked(db, key);
  const user = await repo.findUserByEmail(db, input.email);
  const isPasswordRight = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !isPasswordRight || user.status === 'disabled') {
    await db.transaction().execute(async (tx) => {
      await recordFailure(tx, key);
      await recordAudit(tx, {
        actor: anonymousActor,
        action: 'auth.sign_in',
        outcome: 'failure',
        requestId: meta.requestId,
        target: user ? { type: 'user', id: user.id } : undefined,
        details: {
          step: 'password',
          reason: !user ? 'unknown_account' : user.status === 'disabled' ? 'disabled' : 'wrong_password',
        },
      });
    });
    throw new AppError('invalid_credentials', GENERIC_SIGN_IN_FAILURE);
  }
  return db.transaction().execute(async (tx) => {
    await recordSuccess(tx, key);
    const stage: SessionStage = user.totp_secret ? 'password' : 'enroll';
    const session = await openSession(tx, deps.config, user.id, stage, meta.userAgent);
    await recordAudit(tx, {
      actor: { type: 'user', id: user.id, label: staffLabel(user) },
      action: 'auth.password_accepted',
      requestId: meta.requestId,
      target: { type: 'user', id: user.id },
      details: { next: stage },
    });
    return { stage, session };
  });
}

/** Checks a TOTP code (or a recovery code) for a user, spending it; throws a reader-facing error. */
export async function spendSecondFactor(
  deps: Deps,
  userId: string,
  input: { code: string } | { recoveryCode: string },
  meta: RequestMeta,
  purpose: string,
): Promise<'totp' | 'recovery_code'> {
  const { db } = deps;
  const key = throttleKey.secondFactor(userId);
  await assertNotLocked(db, key);
  const user = await repo.findUserById(db, userId);
  if (!user?.totp_secret) throw new AppError('mfa_required', 'Set up your authenticator app first.');

  const fail = async (reason: string, error: AppError): Promise<never> => {
    await db.transaction().execute(async (tx) => {
      await recordFailure(tx, key);
      await recordAudit(tx, {
        actor: { type: 'user', id: userId, label: staffLabel(user) },
        action: purpose,
        outcome: 'failure',
        requestId: meta.requestId,
        target: { type: 'user', id: userId },
        details: { reason },
      });
    });
    throw error;
  };

  if ('code' in input) {
    const secret = await deps.crypto.decrypt(user.totp_secret, 'users.totp_secret');
    const step = matchTotp(secret, input.code);
    if (step === null) return fail('wrong_code', new AppError('invalid_credentials', GENERIC_CODE_FAILURE));
    const accepted = await repo.acceptTotpStep(db, userId, step);
    if (!accepted) {
      return fail(
        'code_replayed',
        new AppError(
          'code_reused',
          'That code was already used. Wait for the next code in your app and enter it.',
        ),
      );
    }
    await recordSuccess(db, key);
    return 'totp';
  }

  const codeHash = hashRecoveryCode(input.recoveryCode);
  const spent = await repo.spendRecoveryCode(db, userId, codeHash);
  if (!spent) {
    const known = await repo.findRecoveryCode(db, userId, codeHash);
    return known
      ? fail(
          'recovery_code_reused',
          new AppError(
            'code_reused',
            'That recovery code was already used. Each code works once; use another.',
          ),
        )
      : fail(
          'wrong_recovery_code',
          new AppError('invalid_credentials', 'That recovery code is not right. Check it and try again.'),
        );
  }
  await recordSuccess(db, key);
  return 'recovery_code';
}

/** Step two: the second factor. The session becomes active and gets a new token. */
export async function completeSignIn(
  deps: Deps,
  principal: Principal,
  input: { code: string } | { recoveryCode: string },
  meta: RequestMeta,
): Promise<{ token: string; expiresAt: Date }> {
  const method = await spendSecondFactor(deps, principal.userId, input, meta, 'auth.sign_in');
  return deps.db.transaction().execute(async (tx) => {
    const token = newToken();
    const advanced = await repo.advanceSession(
      tx,
      principal.credentialId,
      'password',
      'active',
      hashToken(token),
      newToken(),
    );
    if (!advanced)
      throw new AppError(
        'unauthenticated',
        'This sign-in has expired. Start again with your email and password.',
      );
    const expiresAt = new Date(Date.now() + deps.config.CANDOR_SESSION_ABSOLUTE_TIMEOUT);
    await tx
      .updateTable('sessions')
      .set({ expires_at: expiresAt })
      .where('id', '=', principal.credentialId)
      .execute();
    await tx
      .updateTable('users')
      .set({ last_sign_in_at: sql`now()` })
      .where('id', '=', principal.userId)
      .execute();
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: 'auth.sign_in',
      requestId: meta.requestId,
      target: { type: 'user', id: principal.userId },
      details: { method },
    });
    return { token, expiresAt };
  });
}

/** Password + code again, before changing roles, MFA or keys. */
export async function reauthenticate(
  deps: Deps,
  principal: Principal,
  input: { password: string; code: string },
  meta: RequestMeta,
): Promise<Date> {
  await assertNotLocked(deps.db, throttleKey.secondFactor(principal.userId));
  const user = await repo.findUserById(deps.db, principal.userId);
  const isPasswordRight = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!isPasswordRight) {
    await deps.db.transaction().execute(async (tx) => {
      await recordFailure(tx, throttleKey.secondFactor(principal.userId));
      await recordAudit(tx, {
        actor: actorOf(principal),
        action: 'auth.reauthenticate',
        outcome: 'failure',
        requestId: meta.requestId,
        details: { reason: 'wrong_password' },
      });
    });
    throw new AppError('invalid_credentials', 'The password or code is not right.');
  }
  await spendSecondFactor(deps, principal.userId, { code: input.code }, meta, 'auth.reauthenticate');
  return deps.db.transaction().execute(async (tx) => {
    const row = await repo.markReauthenticated(tx, principal.credentialId);
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: 'auth.reauthenticate',
      requestId: meta.requestId,
    });
    return new Date(row.reauthenticated_at as Date);
  });
}

export async function signOut(deps: Deps, principal: Principal, everywhere: boolean, meta: RequestMeta) {
  await deps.db.transaction().execute(async (tx) => {
    const ended = everywhere
      ? await repo.deleteSessionsOfUser(tx, principal.userId)
      : Number((await repo.deleteSession(tx, principal.credentialId)).numDeletedRows);
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: everywhere ? 'auth.sign_out_everywhere' : 'auth.sign_out',
      requestId: meta.requestId,
      details: { sessionsEnded: ended },
    });
  });
}

export async function changePassword(
  deps: Deps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
) {
  await assertNotLocked(deps.db, throttleKey.secondFactor(principal.userId));
  const user = await repo.findUserById(deps.db, principal.userId);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordFailure(deps.db, throttleKey.secondFactor(principal.userId));
    throw new AppError('invalid_credentials', 'Your current password is not right.');
  }
  assertStrongPassword(input.newPassword, [user.email, user.email.split('@')[0] ?? '']);
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: sql`now()` })
      .where('id', '=', user.id)
      .execute();
    // Other sessions may belong to whoever knew the old password.
    const ended = await repo.deleteSessionsOfUser(tx, user.id, principal.credentialId);
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: 'auth.password_changed',
      requestId: meta.requestId,
      target: { type: 'user', id: user.id },
      details: { otherSessionsEnded: ended },
    });
  });
}

export async function describeSession(deps: Deps, principal: Principal): Promise<SessionResponse> {
  const user = await repo.findUserById(deps.db, principal.userId);
  const session = await deps.db
    .selectFrom('sessions')
    .select(['expires_at', 'last_seen_at', 'csrf_token', 'reauthenticated_at'])
    .where('id', '=', principal.credentialId)
    .executeTakeFirst();
  if (!user || !session) throw new AppError('unauthenticated', 'Sign in to continue.');
  const reauthUntil = session.reauthenticated_at
    ? new Date(new Date(session.reauthenticated_at).getTime() + deps.config.CANDOR_REAUTH_WINDOW)
    : null;
  return {
    user: { id: user.id, email: user.email, displayName: user.display_name, role: user.role },
    stage: principal.stage,
    csrfToken: session.csrf_token,
    permissions: principal.stage === 'active' ? ([...rolePermissions[user.role]] as Permission[]) : [],
    mfaEnrolled: user.totp_secret !== null,
    expiresAt: new Date(session.expires_at).toISOString(),
    idleExpiresAt: new Date(
      new Date(session.last_seen_at).getTime() + deps.config.CANDOR_SESSION_IDLE_TIMEOUT,
    ).toISOString(),
    reauthenticatedUntil:
      reauthUntil && reauthUntil.getTime() > Date.now() ? reauthUntil.toISOString() : null,
    unusedRecoveryCodes: await repo.countUnusedRecoveryCodes(deps.db, user.id),
  };
}
