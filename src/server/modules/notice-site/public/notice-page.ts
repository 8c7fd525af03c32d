import type { FastifyPluginAsync } from 'fastify';
import { matchesEtag, pickLocale } from './request.ts';
import { CACHEABLE_ROUTE, type PagePluginOptions } from './site-context.ts';

/**
 * The published notice, the page everyone affected is sent to (and a CDN may cache): rendered once at
 * publication (`site.ts`), served from memory with no query, its bytes and headers prepared once per
 * rendered page. Measured by `npm run bench:public` against a bare Node server sending the same bytes.
 */
interface RenderedPage {
  html: string;
  etag: string;
}

interface PreparedPage {
  body: Buffer;
  headers: Record<string, string>;
}

/** Keyed by the cached page itself: a new publication brings new objects, and the old ones go with it. */
const prepared = new WeakMap<RenderedPage, PreparedPage>();

function prepare(page: RenderedPage): PreparedPage {
  let ready = prepared.get(page);
  if (!ready) {
    ready = {
      body: Buffer.from(page.html),
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'public, max-age=60',
        vary: 'Accept-Language',
        etag: page.etag,
      },
    };
    prepared.set(page, ready);
  }
  return ready;
}

export const noticePage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  app.get<{ Params: { slug: string } }>('/n/:slug', CACHEABLE_ROUTE, async (request, reply) => {
    const published = await site.deps.sites.get(request.params.slug);
    if (!published) return site.notFound(request, reply);
    const locale = pickLocale(request, published.locales, published.defaultLocale);
    const page = prepare(published.pages[locale] ?? published.pages[published.defaultLocale]!);
    reply.headers(page.headers);
    if (matchesEtag(request.headers['if-none-match'], page.headers.etag!)) return reply.code(304).send();
    return reply.send(page.body);
  });
};
