import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canCredential } from '../../../shared/permissions.ts';
import { AppError } from '../errors.ts';
import type { Access, Principal } from './access.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface GuardDeps {
  /** Resolves the session cookie or bearer token to a principal, or null. */
  authenticate(request: FastifyRequest): Promise<Principal | null>;
  reauthWindowMs: number;
  /** Records a refused request in the audit log. */
  recordDenied(request: FastifyRequest, principal: Principal, permission: string): Promise<void>;
}

/**
 * Authentication, stage, CSRF, permission and re-authentication checks, in that order, before the body
 * is even parsed. Runs for every route; the route's `config.access` says what it needs. A public route
 * passes synchronously: no promise per request for the pages anyone may read (the notice page above all).
 */
export function installGuard(app: FastifyInstance, deps: GuardDeps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const access = request.routeOptions.config?.access as Access | undefined;
    if (!access || 'public' in access) return done();
    checkAccess(request, access, deps).then(() => done(), done);
  });
}

async function checkAccess(
  request: FastifyRequest,
  access: Extract<Access, { permission: unknown }>,
  deps: GuardDeps,
): Promise<void> {
  const principal = await deps.authenticate(request);
  if (!principal) {
    throw new AppError('unauthenticated', 'Sign in to continue: your session is missing or has expired.');
  }
  request.principal = principal;

  if (principal.stage !== 'active' && !access.stages?.includes(principal.stage)) {
    throw new AppError(
      'mfa_required',
      principal.stage === 'enroll'
        ? 'Set up your authenticator app before using Candor.'
        : 'Enter the code from your authenticator app to finish signing in.',
    );
  }

  // CSRF (synchronizer token): a cookie-authenticated change must carry the session's token in a header
  // that another site cannot set. Bearer tokens are not sent automatically by browsers, so need none.
  if (principal.kind === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !principal.csrfToken || !safeEqual(sent, principal.csrfToken)) {
      throw new AppError(
        'csrf_failed',
        'This request is missing its security token. Reload the page and try again.',
      );
    }
  }

  if (!canCredential(principal.kind, principal.role, access.permission)) {
    await deps.recordDenied(request, principal, access.permission);
    throw new AppError(
      'forbidden',
      principal.kind === 'token' && access.permission === 'session:self'
        ? 'API tokens cannot act on a person’s session, password or MFA. Sign in as that person instead.'
        : `Your role (${principal.role}) does not allow this. Ask an admin if you need it.`,
    );
  }

  if (access.reauth) {
    if (principal.kind === 'token') {
      throw new AppError(
        'reauth_required',
        'This change needs a person: sign in and confirm with your password and code.',
      );
    }
    const at = principal.reauthenticatedAt?.getTime() ?? 0;
    if (Date.now() - at > deps.reauthWindowMs) {
      throw new AppError(
        'reauth_required',
        'Confirm it is you: enter your password and a code from your authenticator app.',
      );
    }
  }
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
