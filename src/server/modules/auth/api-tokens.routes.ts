import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/tokens.ts';
import type { PlatformContext } from '../../platform/context.ts';
import * as tokens from './api-tokens.service.ts';

export function apiTokenRoutes(deps: Pick<PlatformContext, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/tokens',
      {
        config: { access: { permission: 'tokens:manage' } },
        schema: { tags: ['tokens'], response: { 200: contract.apiTokenList } },
      },
      async () => ({ tokens: await tokens.listApiTokens(deps) }),
    );
    app.post(
      '/api/tokens',
      {
        config: { access: { permission: 'tokens:manage', reauth: true } },
        schema: {
          tags: ['tokens'],
          body: contract.createTokenRequest,
          response: { 200: contract.createTokenResponse },
        },
      },
      async (request) =>
        tokens.createApiToken(deps, request.principal!, request.body, { requestId: request.id }),
    );
    app.delete(
      '/api/tokens/:id',
      {
        config: { access: { permission: 'tokens:manage' } },
        schema: { tags: ['tokens'], params: idParams, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await tokens.revokeApiToken(deps, request.principal!, request.params.id, { requestId: request.id });
        return reply.code(204).send(null);
      },
    );
  };
}
