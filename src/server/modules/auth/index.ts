import type { FastifyRequest } from 'fastify';
import type { PlatformContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/http/access.ts';
import { apiTokenRoutes } from './api-tokens.routes.ts';
import { resolveApiToken } from './api-tokens.service.ts';
import { authJobs } from './auth.jobs.ts';
import { authRoutes } from './auth.routes.ts';
import { resolveSession, SESSION_COOKIE } from './sessions.ts';
import { usersRoutes } from './users.routes.ts';
import * as users from './users.service.ts';

/**
 * Staff accounts and their credentials: the accounts and roles (the console's Users page), sign-in,
 * sessions, MFA, setup links and API tokens. An account's password hash and authenticator live on its
 * `users` row, so one module owns the row and everything that signs in with it. The module's only door.
 */
export function createAuthModule(ctx: Pick<PlatformContext, 'db' | 'config' | 'crypto'>) {
  return {
    routes: [authRoutes(ctx), apiTokenRoutes(ctx), usersRoutes(ctx)],
    async authenticate(request: FastifyRequest): Promise<Principal | null> {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) return resolveApiToken(ctx.db, header.slice(7).trim());
      const token = request.cookies[SESSION_COOKIE];
      return token ? resolveSession(ctx.db, ctx.config, token) : null;
    },
    /** Staff accounts, for the CLI (`candor user …`, `candor admin create`). */
    users: {
      list: () => users.listUsers(ctx),
      createAdmin: (email: string, meta: users.ChangeMeta) => users.createAdmin(ctx, email, meta),
      setDisabled: (userId: string, isDisabled: boolean, meta: users.ChangeMeta) =>
        users.setDisabled(ctx, userId, isDisabled, meta),
      resetMfa: (userId: string, meta: users.ChangeMeta) => users.resetMfa(ctx, userId, meta),
    },
    /** Background jobs (the job registry runs them): expired sessions and spent setup links go. */
    jobs: authJobs(ctx),
  };
}

export { issueBootstrapLinkIfEmpty, issueSetupLink } from './enrollment.service.ts';
export { assertStrongPassword } from './passwords.ts';
export { SESSION_COOKIE } from './sessions.ts';
export { totpCode } from './totp.ts';
export {
  activeStaffEmails,
  enabledStaffIds,
  isAssignableStaff,
  isEnabledStaffEmail,
  listAssignableStaff,
  staffEmails,
  staffNames,
  upsertDisabledStaff,
} from './users.repository.ts';
export type AuthModule = ReturnType<typeof createAuthModule>;
