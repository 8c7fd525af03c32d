import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/users.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { actorOf } from '../../platform/http/actors.ts';
import * as users from './users.service.ts';

export function usersRoutes(deps: Pick<PlatformContext, 'db' | 'config'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/users',
      {
        config: { access: { permission: 'users:read' } },
        schema: { tags: ['users'], response: { 200: contract.userList } },
      },
      async () => ({ users: await users.listUsers(deps) }),
    );
    app.post(
      '/api/users/invite',
      {
        config: { access: { permission: 'users:manage' } },
        schema: {
          tags: ['users'],
          body: contract.inviteRequest,
          response: { 200: contract.setupLinkResponse },
        },
      },
      async (request) =>
        users.inviteUser(deps, request.body, { actor: actorOf(request.principal!), requestId: request.id }),
    );
    app.patch(
      '/api/users/:id/role',
      {
        config: { access: { permission: 'users:manage', reauth: true } },
        schema: {
          tags: ['users'],
          params: idParams,
          body: contract.changeRoleRequest,
          response: { 200: contract.userSummary },
        },
      },
      async (request) =>
        users.changeRole(deps, request.params.id, request.body.role, {
          actor: actorOf(request.principal!),
          requestId: request.id,
        }),
    );
    for (const [action, isDisabled] of [
      ['disable', true],
      ['enable', false],
    ] as const) {
      app.post(
        `/api/users/:id/${action}`,
        {
          config: { access: { permission: 'users:manage' } },
          schema: { tags: ['users'], params: idParams, response: { 200: contract.userSummary } },
        },
        async (request) =>
          users.setDisabled(deps, request.params.id, isDisabled, {
            actor: actorOf(request.principal!),
            requestId: request.id,
          }),
      );
    }
    app.post(
      '/api/users/:id/reset-mfa',
      {
        config: { access: { permission: 'users:manage', reauth: true } },
        schema: { tags: ['users'], params: idParams, response: { 200: contract.setupLinkResponse } },
      },
      async (request) =>
        users.resetMfa(deps, request.params.id, {
          actor: actorOf(request.principal!),
          requestId: request.id,
        }),
    );
  };
}
