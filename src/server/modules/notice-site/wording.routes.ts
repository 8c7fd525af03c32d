import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { consistencySettings } from '../../../shared/contracts/consistency.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import { readConsistencySettings } from '../../platform/settings/consistency.ts';
import { saveWording } from './wording.service.ts';

/**
 * Settings → Notice wording: the share of people above which an exposed category must be named, and the
 * company's own phrases for categories and for denials, which the consistency check adds to its own.
 */
export function wordingRoutes(deps: Pick<PlatformContext, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['notice'];
    app.get(
      '/api/settings/consistency',
      {
        config: { access: { permission: 'settings:read' as const } },
        schema: { tags, response: { 200: consistencySettings } },
      },
      async () => readConsistencySettings(deps.db),
    );
    app.put(
      '/api/settings/consistency',
      {
        config: { access: { permission: 'settings:manage' as const } },
        schema: { tags, body: consistencySettings, response: { 200: consistencySettings } },
      },
      async (request) => saveWording(deps.db, request.body, requestMeta(request)),
    );
  };
}
