import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Access } from './access.ts';

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  /** The status codes with a response schema (`schema.response`), which filters what the route sends. */
  responses: string[];
}

/**
 * Collects every route with its access declaration and refuses, at registration, a route that has none.
 * Routes outside /api (the console's static files, health checks) must be declared public too.
 */
export function trackRoutes(app: FastifyInstance): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = (route.config as { access?: Access } | undefined)?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const responses = Object.keys((route.schema?.response as object | undefined) ?? {});
    if (!access) {
      throw new Error(
        `Route ${methods.join(',')} ${route.url} declares no access (config.access): add a permission or public.`,
      );
    }
    for (const method of methods) {
      if (method === 'HEAD') continue;
      table.push({ method, url: route.url, access, responses });
    }
  });
  return table;
}
