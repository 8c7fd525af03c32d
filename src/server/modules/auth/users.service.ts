import { sql } from 'kysely';
import type { SetupLinkResponse, UserSummary } from '../../../shared/contracts/users.ts';
import type { Role } from '../../../shared/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { advisoryLocks } from '../../platform/advisory-locks.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { deleteRecoveryCodes, deleteSessionsOfUser } from './auth.repository.ts';
import { issueSetupLink } from './enrollment.service.ts';
import * as repo from './users.repository.ts';

/**
 * Staff accounts: invitations with a one-time setup link, roles, disabling and MFA resets. Every change
 * is audited in its transaction; the last admin can be neither demoted nor disabled.
 */
type Deps = Pick<PlatformContext, 'db' | 'config'>;
export interface ChangeMeta {
  actor: Actor;
  requestId?: string | undefined;
}

export function toUserSummary(row: repo.UserSummaryRow): UserSummary {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    status: row.status,
    mfaEnrolled: row.totp_secret !== null,
    lastSignInAt: row.last_sign_in_at ? new Date(row.last_sign_in_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function listUsers(deps: Deps): Promise<UserSummary[]> {
  return (await repo.listUsers(deps.db)).map(toUserSummary);
}

/** Creates an invited account (or re-invites one that never finished setup) and returns its setup link. */
export async function inviteUser(
  deps: Deps,
  input: { email: string; role: Role; displayName?: string | undefined },
  meta: ChangeMeta,
): Promise<SetupLinkResponse> {
  return deps.db.transaction().execute(async (tx) => {
    let user = await repo.findUserByEmail(tx, input.email);
    if (user && user.status !== 'invited') {
      throw new AppError(
        'conflict',
        'Someone with this email already has an account. Reset their MFA instead if they are locked out.',
      );
    }
    if (!user) {
      const created = await tx
        .insertInto('users')
        .values({ email: input.email, role: input.role, display_name: input.displayName ?? '' })
        .returning('id')
        .executeTakeFirstOrThrow();
      user = await repo.findUser(tx, created.id);
    }
    const link = await issueSetupLink(tx, deps.config, user!.id, 'setup');
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'user.invited',
      requestId: meta.requestId,
      target: { type: 'user', id: user!.id },
      details: { role: input.role },
    });
    return { user: toUserSummary(user!), setupUrl: link.setupUrl, expiresAt: link.expiresAt.toISOString() };
  });
}

export async function changeRole(
  deps: Deps,
  userId: string,
  role: Role,
  meta: ChangeMeta,
): Promise<UserSummary> {
  return deps.db.transaction().execute(async (tx) => {
    const before = await lockUser(tx, userId);
    if (before.role === 'admin' && role !== 'admin') await assertAnotherAdmin(tx, userId);
    await tx.updateTable('users').set({ role, updated_at: sql`now()` }).where('id', '=', userId).execute();
    // Sessions carry the role from the database on every request, so nothing else to revoke.
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'user.role_changed',
      requestId: meta.requestId,
      target: { type: 'user', id: userId },
      details: { from: before.role, to: role },
    });
    return toUserSummary((await repo.findUser(tx, userId))!);
  });
}

export async function setDisabled(
  deps: Deps,
  userId: string,
  isDisabled: boolean,
  meta: ChangeMeta,
): Promise<UserSummary> {
  return deps.db.transaction().execute(async (tx) => {
    const before = await lockUser(tx, userId);
    if (isDisabled && meta.actor.type === 'user' && meta.actor.id === userId) {
      throw new AppError('bad_request', 'You cannot disable your own account. Ask another admin.');
    }
    if (isDisabled && before.role === 'admin') await assertAnotherAdmin(tx, userId);
    const from = isDisabled ? ['invited', 'active'] : ['disabled'];
    const to = isDisabled ? 'disabled' : before.totp_secret ? 'active' : 'invited';
    const updated = await tx
      .updateTable('users')
      .set({ status: to, updated_at: sql`now()` })
      .where('id', '=', userId)
      .where('status', 'in', from as Array<'invited' | 'active' | 'disabled'>)
      .returning('id')
      .executeTakeFirst();
    if (!updated)
      throw new AppError(
        'conflict',
        isDisabled ? 'This account is already disabled.' : 'This account is not disabled.',
      );
    if (isDisabled) await deleteSessionsOfUser(tx, userId);
    await recordAudit(tx, {
      actor: meta.actor,
      action: isDisabled ? 'user.disabled' : 'user.enabled',
      requestId: meta.requestId,
      target: { type: 'user', id: userId },
    });
    return toUserSummary((await repo.findUser(tx, userId))!);
  });
}

/**
 * Lost authenticator: clears the MFA secret, recovery codes, password and sessions, and issues a reset
 * link. Clearing the password too means only the holder of the new link can enroll a new authenticator.
 */
export async function resetMfa(deps: Deps, userId: string, meta: ChangeMeta): Promise<SetupLinkResponse> {
  return deps.db.transaction().execute(async (tx) => {
    const before = await lockUser(tx, userId);
    if (before.status === 'disabled')
      throw new AppError('conflict', 'Enable this account before resetting its MFA.');
    await tx
      .updateTable('users')
      .set({
        totp_secret: null,
        totp_pending_secret: null,
        totp_enrolled_at: null,
        totp_last_step: null,
        password_hash: null,
        updated_at: sql`now()`,
      })
      .where('id', '=', userId)
      .execute();
    await deleteRecoveryCodes(tx, userId);
    await deleteSessionsOfUser(tx, userId);
    const link = await issueSetupLink(tx, deps.config, userId, 'reset');
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'user.mfa_reset',
      requestId: meta.requestId,
      target: { type: 'user', id: userId },
    });
    const user = (await repo.findUser(tx, userId))!;
    return { user: toUserSummary(user), setupUrl: link.setupUrl, expiresAt: link.expiresAt.toISOString() };
  });
}

/** `candor admin create`: a new admin, or a fresh link for an admin who never finished setup. */
export async function createAdmin(deps: Deps, email: string, meta: ChangeMeta): Promise<SetupLinkResponse> {
  const existing = await repo.findUserByEmail(deps.db, email);
  if (existing && existing.status !== 'invited') {
    throw new AppError(
      'conflict',
      `An account with this email already exists (${existing.status}); use \`candor user reset-mfa\`.`,
    );
  }
  if (existing && existing.role !== 'admin') {
    throw new AppError(
      'conflict',
      'This email is invited with another role; change the role in the console.',
    );
  }
  return inviteUser(deps, { email, role: 'admin' }, meta);
}

async function lockUser(tx: Executor, userId: string) {
  const row = await tx
    .selectFrom('users')
    .select(['id', 'role', 'status', 'totp_secret'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('A user with this id');
  return row;
}

async function assertAnotherAdmin(tx: Executor, userId: string): Promise<void> {
  // Serialize last-admin checks so two concurrent demotions cannot both pass.
  await sql`SELECT pg_advisory_xact_lock(${advisoryLocks.lastAdmin})`.execute(tx);
  if ((await repo.countActiveAdmins(tx, userId)) === 0) {
    throw new AppError('conflict', 'This is the last admin. Make someone else an admin first.');
  }
}
