import type { FastifyRequest } from 'fastify';
import type { PlatformContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/http/access.ts';
import { apiTokenRoutes } from './api-tokens.routes.ts';
import { resolveApiToken } from './api-tokens.service.ts';
import { authJobs } from './auth.jobs.ts';
import { authRoutes } from './auth.routes.ts';
import { resolveSession, SESSION_COOKIE } from './sessions.ts';

/** Staff authentication: sessions, MFA, setup links and API tokens. The module's only public door. */
export function createAuthModule(ctx: Pick<PlatformContext, 'db' | 'config' | 'crypto'>) {
  return {
    routes: [authRoutes(ctx), apiTokenRoutes(ctx)],
    async authenticate(request: FastifyRequest): Promise<Principal | null> {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) return resolveApiToken(ctx.db, header.slice(7).trim());
      const token = request.cookies[SESSION_COOKIE];
      return token ? resolveSession(ctx.db, ctx.config, token) : null;
    },
    /** Background jobs (the job registry runs them): expired sessions and spent setup links go. */
    jobs: authJobs(ctx),
  };
}

export { issueBootstrapLinkIfEmpty, issueSetupLink } from './enrollment.service.ts';
export { assertStrongPassword } from './passwords.ts';
export { SESSION_COOKIE } from './sessions.ts';
export { totpCode } from './totp.ts';
export type AuthModule = ReturnType<typeof createAuthModule>;
