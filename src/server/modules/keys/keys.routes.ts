import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as contract from '../../../shared/contracts/keys.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { actorOf } from '../../platform/http/actors.ts';
import { listDataKeys, rotateKeys } from './keys.service.ts';

export function keysRoutes(
  deps: Pick<PlatformContext, 'db' | 'crypto' | 'masterKeys'>,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/keys',
      {
        config: { access: { permission: 'keys:manage' } },
        schema: { tags: ['keys'], response: { 200: contract.dataKeyList } },
      },
      async () => ({ keys: await listDataKeys(deps), masterKeySource: deps.masterKeys.source.kind }),
    );
    app.post(
      '/api/keys/rotate',
      {
        config: { access: { permission: 'keys:manage', reauth: true } },
        schema: { tags: ['keys'], response: { 200: contract.rotationResponse } },
      },
      async (request) => {
        const result = await rotateKeys(deps, { actor: actorOf(request.principal!), requestId: request.id });
        return {
          newDataKeyId: result.newDataKeyId,
          rewrapped: result.rewrapped,
          masterKeyId: result.masterKeyId,
        };
      },
    );
  };
}
