import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { SessionStage } from '../../db/schema.ts';
import { advisoryLocks } from '../../platform/advisory-locks.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { actorOf, staffLabel } from '../../platform/http/actors.ts';
import { nameCompanyIfUnset } from '../../platform/settings/branding.ts';
import * as repo from './auth.repository.ts';
import { assertStrongPassword, hashPassword } from './passwords.ts';
import { hashRecoveryCode, hashToken, newRecoveryCode, newToken } from './secrets.ts';
import { type IssuedSession, openSession } from './sessions.ts';
import type { RequestMeta } from './sign-in.service.ts';
import { enrollmentMaterial, matchTotp, newTotpSecret } from './totp.ts';

type Deps = Pick<PlatformContext, 'db' | 'config' | 'crypto'>;

const LINK_INVALID = 'This link has expired or was already used. Ask an admin for a new one.';
const TOTP_CONTEXT = 'users.totp_secret';
const PENDING_TOTP_CONTEXT = 'users.totp_pending_secret';

/**
 * Issues a one-time setup link (first admin, invitation, MFA reset) in the caller's transaction, voiding
 * earlier unused ones. The token travels in the URL fragment, which browsers never send to a server, so
 * it stays out of access logs and referrers.
 */
export async function issueSetupLink(
  tx: Executor,
  config: PlatformContext['config'],
  userId: string | null,
  purpose: 'bootstrap' | 'setup' | 'reset',
): Promise<{ setupUrl: string; expiresAt: Date }> {
  await repo.voidSetupLinks(tx, userId);
  const token = newToken();
  const expiresAt = new Date(Date.now() + config.CANDOR_SETUP_LINK_TTL);
  await repo.insertSetupLink(tx, { tokenHash: hashToken(token), userId, purpose, expiresAt });
  return { setupUrl: `${config.publicUrl}/setup#token=${token}`, expiresAt };
}

/**
 * On an installation without any admin, a bootstrap link (printed by `candor serve`) lets the first person
 * create the admin account. Returns null when an admin already exists.
 */
export async function issueBootstrapLinkIfEmpty(deps: Pick<Deps, 'db' | 'config'>) {
  return deps.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${advisoryLocks.firstAdmin})`.execute(tx);
    if (await hasAdmin(tx)) return null;
    return issueSetupLink(tx, deps.config, null, 'bootstrap');
  });
}

async function hasAdmin(tx: Executor): Promise<boolean> {
  const row = await tx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('status', '!=', 'disabled')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function inspectSetupLink(deps: Deps, token: string) {
  const link = await repo.findUsableSetupLink(deps.db, hashToken(token));
  if (!link) throw new AppError('link_invalid', LINK_INVALID);
  return { email: link.email, role: link.role ?? ('admin' as const), purpose: link.purpose };
}

/** Spends a setup link: sets the password and opens a session whose next step is MFA enrollment. */
export async function completeSetup(
  deps: Deps,
  input: {
    token: string;
    email?: string | undefined;
    password: string;
    displayName?: string | undefined;
    companyName?: string | undefined;
  },
  meta: RequestMeta,
): Promise<{ stage: SessionStage; session: IssuedSession }> {
  const preview = await repo.findUsableSetupLink(deps.db, hashToken(input.token));
  if (!preview) throw new AppError('link_invalid', LINK_INVALID);
  const email = preview.email ?? input.email;
  if (!email) {
    throw new AppError('validation_failed', 'Enter the email address you will sign in with.', {
      fields: [{ path: 'body.email', message: 'Required for the first admin.' }],
    });
  }
  assertStrongPassword(input.password, [email, email.split('@')[0] ?? '']);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (tx) => {
    const link = await repo.consumeSetupLink(tx, hashToken(input.token));
    if (!link) throw new AppError('link_invalid', LINK_INVALID);
    let userId = link.user_id;
    let isCompanyNamed = false;
    if (link.purpose === 'bootstrap') {
      await sql`SELECT pg_advisory_xact_lock(${advisoryLocks.firstAdmin})`.execute(tx);
      if (await hasAdmin(tx))
        throw new AppError('link_invalid', 'This installation already has an admin. Ask them to invite you.');
      const created = await tx
        .insertInto('users')
        .values({ email, role: 'admin' })
        .onConflict((oc) => oc.column('email').doUpdateSet({ role: 'admin' }))
        .returning('id')
        .executeTakeFirstOrThrow();
      userId = created.id;
      if (input.companyName) isCompanyNamed = await nameCompanyIfUnset(tx, input.companyName, email);
    }
    if (!userId) throw new AppError('link_invalid', LINK_INVALID);
    await repo.deleteSessionsOfUser(tx, userId);
    const user = await tx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        ...(input.displayName ? { display_name: input.displayName } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', userId)
      .returning(['id', 'role', 'totp_secret', 'display_name', 'email'])
      .executeTakeFirstOrThrow();
    const stage: SessionStage = user.totp_secret ? 'password' : 'enroll';
    const session = await openSession(tx, deps.config, user.id, stage, meta.userAgent);
    await recordAudit(tx, {
      actor: { type: 'user', id: user.id, label: staffLabel(user) },
      action: 'auth.setup_link_used',
      requestId: meta.requestId,
      target: { type: 'user', id: user.id },
      details: { purpose: link.purpose, ...(isCompanyNamed && { companyNamed: true }) },
    });
    return { stage, session };
  });
}

/** Starts (or restarts) enrollment: a fresh secret, stored encrypted until a code proves the app has it. */
export async function startEnrollment(deps: Deps, principal: Principal) {
  assertMayEnroll(deps, principal);
  const user = await repo.findUserById(deps.db, principal.userId);
  if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
  assertNotAlreadyEnrolled(principal, user.totp_secret);
  const secret = newTotpSecret();
  await deps.db
    .updateTable('users')
    .set({ totp_pending_secret: deps.crypto.encrypt(secret, PENDING_TOTP_CONTEXT) })
    .where('id', '=', user.id)
    .execute();
  return enrollmentMaterial(secret, user.email);
}

/** Confirms enrollment with a code from the app; returns ten new recovery codes, shown once. */
export async function confirmEnrollment(
  deps: Deps,
  principal: Principal,
  code: string,
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[]; session?: { token: string } }> {
  assertMayEnroll(deps, principal);
  const user = await repo.findUserById(deps.db, principal.userId);
  if (user) assertNotAlreadyEnrolled(principal, user.totp_secret);
  if (!user?.totp_pending_secret) {
    throw new AppError(
      'bad_request',
      'Start the authenticator setup first: the QR code was not generated yet.',
    );
  }
  const secret = await deps.crypto.decrypt(user.totp_pending_secret, PENDING_TOTP_CONTEXT);
  const step = matchTotp(secret, code);
  if (step === null) {
    throw new AppError(
      'invalid_credentials',
      'That code does not match. Check that your phone’s clock is right and enter the current code.',
    );
  }
  const recoveryCodes = Array.from({ length: 10 }, newRecoveryCode);
  return deps.db.transaction().execute(async (tx) => {
    let update = tx
      .updateTable('users')
      .set({
        totp_secret: deps.crypto.encrypt(secret, TOTP_CONTEXT),
        totp_pending_secret: null,
        totp_enrolled_at: sql`now()`,
        totp_last_step: step,
        status: 'active',
        updated_at: sql`now()`,
      })
      .where('id', '=', user.id);
    // Guarded: a second half-signed-in session cannot swap an authenticator enrolled meanwhile.
    if (principal.stage === 'enroll') update = update.where('totp_secret', 'is', null);
    const enrolled = await update.returning('id').executeTakeFirst();
    if (!enrolled) throw alreadyEnrolled();
    await repo.replaceRecoveryCodes(tx, user.id, recoveryCodes.map(hashRecoveryCode));
    let session: { token: string } | undefined;
    // A new authenticator ends every other session of the account (they may belong to whoever knew the password).
    await repo.deleteSessionsOfUser(tx, user.id, principal.credentialId);
    if (principal.stage === 'enroll') {
      const token = newToken();
      await repo.advanceSession(tx, principal.credentialId, 'enroll', 'active', hashToken(token), newToken());
      await tx
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() + deps.config.CANDOR_SESSION_ABSOLUTE_TIMEOUT) })
        .where('id', '=', principal.credentialId)
        .execute();
      await tx.updateTable('users').set({ last_sign_in_at: sql`now()` }).where('id', '=', user.id).execute();
      session = { token };
    }
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: 'auth.mfa_enrolled',
      requestId: meta.requestId,
      target: { type: 'user', id: user.id },
      details: { recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes, ...(session ? { session } : {}) };
  });
}

export async function regenerateRecoveryCodes(deps: Deps, principal: Principal, meta: RequestMeta) {
  const recoveryCodes = Array.from({ length: 10 }, newRecoveryCode);
  await deps.db.transaction().execute(async (tx) => {
    await repo.replaceRecoveryCodes(tx, principal.userId, recoveryCodes.map(hashRecoveryCode));
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: 'auth.recovery_codes_regenerated',
      requestId: meta.requestId,
      target: { type: 'user', id: principal.userId },
    });
  });
  return { recoveryCodes };
}

function alreadyEnrolled(): AppError {
  return new AppError(
    'conflict',
    'An authenticator is already set up for this account. Sign in with it, or ask an admin to reset MFA.',
  );
}

function assertNotAlreadyEnrolled(principal: Principal, totpSecret: Buffer | null): void {
  if (principal.stage === 'enroll' && totpSecret !== null) throw alreadyEnrolled();
}

/** During sign-up anyone may enroll; replacing an enrolled authenticator needs a fresh re-authentication. */
function assertMayEnroll(deps: Deps, principal: Principal): void {
  if (principal.stage === 'enroll') return; // and the user has no authenticator yet: checked with the user row
  const at = principal.reauthenticatedAt?.getTime() ?? 0;
  if (principal.kind !== 'session' || Date.now() - at > deps.config.CANDOR_REAUTH_WINDOW) {
    throw new AppError(
      'reauth_required',
      'Confirm it is you: enter your password and a code from your authenticator app.',
    );
  }
}
