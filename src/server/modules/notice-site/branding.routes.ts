import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { brandingRequest, brandingView } from '../../../shared/contracts/branding.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import { getBranding, setBranding } from './branding.service.ts';
import type { Deps } from './notice.deps.ts';
import type { SiteCache } from './site.ts';

/** Settings → Branding: the name, colour and logo every public page and message carries. */
export function brandingRoutes(deps: Deps & { sites: SiteCache }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['notice'];
    app.get(
      '/api/settings/branding',
      {
        config: { access: { permission: 'settings:read' as const } },
        schema: { tags, response: { 200: brandingView } },
      },
      async () => getBranding(deps.db),
    );
    app.put(
      '/api/settings/branding',
      {
        config: { access: { permission: 'settings:manage' as const } },
        schema: { tags, body: brandingRequest, response: { 200: brandingView } },
      },
      async (request) => {
        const result = await setBranding(deps, request.body, requestMeta(request));
        deps.sites.invalidate();
        return result;
      },
    );
  };
}
