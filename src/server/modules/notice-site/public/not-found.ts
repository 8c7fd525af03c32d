import type { FastifyPluginAsync } from 'fastify';
import { type PagePluginOptions, PUBLIC_ROUTE } from './site-context.ts';

/**
 * `/n/` lists the company's published notices; anything else under /n/ that no page claims is the public
 * 404 page (never the console), logged as the route pattern, not the path typed.
 */
export const notFoundPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  app.get('/n/*', PUBLIC_ROUTE, async (request, reply) => site.notFound(request, reply));
  for (const url of ['/n', '/n/']) {
    app.get(url, PUBLIC_ROUTE, async (request, reply) => site.indexPage(request, reply, 200));
  }
};
