import type { FastifyPluginAsync } from 'fastify';
import { CACHEABLE_ROUTE, type PagePluginOptions } from './site-context.ts';

/** The notice's Atom feed of updates, rendered at publication and served from memory. */
export const feedPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  app.get<{ Params: { slug: string } }>('/n/:slug/feed.atom', CACHEABLE_ROUTE, async (request, reply) => {
    const published = await site.deps.sites.get(request.params.slug);
    if (!published) return site.notFound(request, reply);
    return reply
      .header('content-type', 'application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(published.feed);
  });
};
