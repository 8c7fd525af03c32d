import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import type { SessionStage } from '../../db/schema.ts';
import type { Principal } from '../../platform/http/access.ts';
import { staffLabel } from '../../platform/http/actors.ts';
import { findLiveSession, insertSession, touchSession } from './auth.repository.ts';
import { hashToken, newToken } from './secrets.ts';

/**
 * Server-side sessions: the cookie carries a 256-bit random token, the database its SHA-256. A session is
 * live until its absolute expiry and while requests keep coming within the idle timeout.
 */
export const SESSION_COOKIE = 'candor_session';

export interface IssuedSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function openSession(
  db: Executor,
  config: Config,
  userId: string,
  stage: SessionStage,
  userAgent: string | undefined,
): Promise<IssuedSession> {
  const token = newToken();
  const csrfToken = newToken();
  // Unfinished sign-ins (second factor or enrollment pending) get at most the idle timeout.
  const lifetime =
    stage === 'active' ? config.CANDOR_SESSION_ABSOLUTE_TIMEOUT : config.CANDOR_SESSION_IDLE_TIMEOUT;
  const expiresAt = new Date(Date.now() + lifetime);
  const id = await insertSession(db, {
    tokenHash: hashToken(token),
    userId,
    stage,
    csrfToken,
    expiresAt,
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return { id, token, csrfToken, expiresAt };
}

export async function resolveSession(db: Executor, config: Config, token: string): Promise<Principal | null> {
  if (token.length > 100) return null;
  const row = await findLiveSession(db, hashToken(token), config.CANDOR_SESSION_IDLE_TIMEOUT);
  if (!row) return null;
  await touchSession(db, row.id);
  return {
    kind: 'session',
    userId: row.user_id,
    role: row.role,
    credentialId: row.id,
    stage: row.stage,
    csrfToken: row.csrf_token,
    reauthenticatedAt: row.reauthenticated_at ? new Date(row.reauthenticated_at) : null,
    label: staffLabel(row),
  };
}

export function cookieOptions(config: Config, expiresAt?: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.isHttps,
    ...(expiresAt ? { expires: expiresAt } : {}),
  };
}
