import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as contract from '../../../shared/contracts/auth.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { CLEAR_SITE_DATA } from '../../platform/http/security-headers.ts';
import * as enrollment from './enrollment.service.ts';
import { cookieOptions, SESSION_COOKIE } from './sessions.ts';
import * as signIn from './sign-in.service.ts';

type Deps = Pick<PlatformContext, 'db' | 'config' | 'crypto'>;

/** Sign-in and MFA endpoints are limited per client address, on top of the per-account lockout. */
const strictLimit = { max: 10, timeWindow: '1 minute' };
const self = (stages?: Array<'password' | 'enroll'>) => ({
  permission: 'session:self' as const,
  ...(stages ? { stages } : {}),
});

export function authRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const meta = (request: FastifyRequest) => ({
      requestId: request.id,
      userAgent: request.headers['user-agent'],
    });
    const setCookie = (reply: FastifyReply, token: string, expiresAt?: Date) =>
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps.config, expiresAt));

    app.post(
      '/api/auth/login',
      {
        config: { access: { public: true, reason: 'sign-in' }, rateLimit: strictLimit },
        schema: { tags: ['auth'], body: contract.loginRequest, response: { 200: contract.stageResponse } },
      },
      async (request, reply) => {
        const { stage, session } = await signIn.signInWithPassword(deps, request.body, meta(request));
        setCookie(reply, session.token, session.expiresAt);
        return { stage };
      },
    );

    app.post(
      '/api/auth/mfa/verify',
      {
        config: { access: self(['password']), rateLimit: strictLimit },
        schema: {
          tags: ['auth'],
          body: contract.mfaVerifyRequest,
          response: { 200: contract.stageResponse },
        },
      },
      async (request, reply) => {
        const { token, expiresAt } = await signIn.completeSignIn(
          deps,
          request.principal!,
          request.body,
          meta(request),
        );
        setCookie(reply, token, expiresAt);
        return { stage: 'active' as const };
      },
    );

    app.post(
      '/api/auth/setup/inspect',
      {
        config: { access: { public: true, reason: 'setup link holder' }, rateLimit: strictLimit },
        schema: {
          tags: ['auth'],
          body: contract.setupInspectRequest,
          response: { 200: contract.setupInspectResponse },
        },
      },
      async (request) => enrollment.inspectSetupLink(deps, request.body.token),
    );

    app.post(
      '/api/auth/setup',
      {
        config: { access: { public: true, reason: 'setup link holder' }, rateLimit: strictLimit },
        schema: { tags: ['auth'], body: contract.setupRequest, response: { 200: contract.stageResponse } },
      },
      async (request, reply) => {
        const { stage, session } = await enrollment.completeSetup(deps, request.body, meta(request));
        setCookie(reply, session.token, session.expiresAt);
        return { stage };
      },
    );

    app.post(
      '/api/auth/mfa/enroll/start',
      {
        config: { access: self(['enroll']), rateLimit: strictLimit },
        schema: { tags: ['auth'], response: { 200: contract.enrollStartResponse } },
      },
      async (request) => enrollment.startEnrollment(deps, request.principal!),
    );

    app.post(
      '/api/auth/mfa/enroll/confirm',
      {
        config: { access: self(['enroll']), rateLimit: strictLimit },
        schema: {
          tags: ['auth'],
          body: contract.enrollConfirmRequest,
          response: { 200: contract.recoveryCodesResponse },
        },
      },
      async (request, reply) => {
        const result = await enrollment.confirmEnrollment(
          deps,
          request.principal!,
          request.body.code,
          meta(request),
        );
        if (result.session) {
          setCookie(
            reply,
            result.session.token,
            new Date(Date.now() + deps.config.CANDOR_SESSION_ABSOLUTE_TIMEOUT),
          );
        }
        return { recoveryCodes: result.recoveryCodes };
      },
    );

    app.post(
      '/api/auth/reauth',
      {
        config: { access: self(), rateLimit: strictLimit },
        schema: { tags: ['auth'], body: contract.reauthRequest, response: { 200: contract.reauthResponse } },
      },
      async (request) => {
        const at = await signIn.reauthenticate(deps, request.principal!, request.body, meta(request));
        return {
          reauthenticatedUntil: new Date(at.getTime() + deps.config.CANDOR_REAUTH_WINDOW).toISOString(),
        };
      },
    );

    app.post(
      '/api/auth/recovery-codes/regenerate',
      {
        config: { access: { permission: 'session:self', reauth: true } },
        schema: { tags: ['auth'], response: { 200: contract.recoveryCodesResponse } },
      },
      async (request) => enrollment.regenerateRecoveryCodes(deps, request.principal!, meta(request)),
    );

    app.post(
      '/api/auth/password',
      {
        config: { access: self(), rateLimit: strictLimit },
        schema: { tags: ['auth'], body: contract.changePasswordRequest, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await signIn.changePassword(deps, request.principal!, request.body, meta(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/auth/session',
      {
        config: { access: self(['password', 'enroll']) },
        schema: { tags: ['auth'], response: { 200: contract.sessionResponse } },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return signIn.describeSession(deps, request.principal!);
      },
    );

    for (const [url, everywhere] of [
      ['/api/auth/logout', false],
      ['/api/auth/logout-all', true],
    ] as const) {
      app.post(
        url,
        {
          config: { access: self(['password', 'enroll']) },
          schema: { tags: ['auth'], response: { 204: z.null() } },
        },
        async (request, reply) => {
          await signIn.signOut(deps, request.principal!, everywhere, meta(request));
          reply.clearCookie(SESSION_COOKIE, cookieOptions(deps.config));
          reply.header('clear-site-data', CLEAR_SITE_DATA);
          return reply.code(204).send(null);
        },
      );
    }
  };
}
