import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../../../platform/context.ts';
import { siteLocales } from '../content.ts';
import type { Counters } from '../counters.ts';
import { currentCount, type Limit, networkOf } from '../guards.ts';
import type { SiteMessenger } from '../messages.ts';
import { backLink, esc, layout, messageBox, type SiteFrame } from '../render.ts';
import { type PublishedSite, readBranding, type SiteCache } from '../site.ts';
import { createSiteIndex, siteIndexHtml } from '../site-index.ts';
import { t } from '../texts.ts';
import { pickLocale } from './request.ts';

/**
 * What every page of the public notice site shares: its dependencies, the published sites, and the helpers
 * that frame, send and refuse a page. Each page is a Fastify plugin given this context (`{ site }`).
 */
export type PublicSiteDeps = Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'> & {
  sites: SiteCache;
  messenger: SiteMessenger;
  counters: Counters;
  /** Files a contact-form message in the support inbox. */
  onContact: (message: {
    channel: 'web';
    from: string;
    name: string | null;
    body: string;
    incidentId: string;
    locale: string;
  }) => Promise<unknown>;
};

/** Options of a page plugin: the shared context. */
export interface PagePluginOptions {
  site: SiteContext;
}

export const TEN_MINUTES = 10 * 60_000;
export const MAX_IDENTIFIER = 320;

/** Every route of the site is public and kept out of the API description. */
export const PUBLIC_ROUTE = {
  config: { access: { public: true as const, reason: 'public notice site' } },
  schema: { hide: true },
};

/**
 * Pages that are the same for everyone and cacheable (the notice, its feed, the stylesheet and script): no
 * access-log line per request (a CDN in front logs them, and two log lines cost more than serving the page
 * from memory); warnings and errors are still logged with the request id.
 */
export const CACHEABLE_ROUTE = { ...PUBLIC_ROUTE, logLevel: 'warn' as const };

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

export function createSiteContext(deps: PublicSiteDeps) {
  const { db, crypto, config } = deps;
  const siteIndex = createSiteIndex(db);

  /** A page answer: HTML, never stored by a browser or proxy. */
  function html(reply: FastifyReply, status: number, page: string): FastifyReply {
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page);
  }

  /** A page of the site: the layout around a heading and `body`. */
  function page(
    reply: FastifyReply,
    frame: SiteFrame,
    status: number,
    path: string,
    title: string,
    body: string,
  ): FastifyReply {
    return html(reply, status, layout(frame, { title, path, body: `<h1>${esc(title)}</h1>${body}` }));
  }

  /** The frame outside any site (errors before a site is known): default colours, no company name. */
  function bareFrame(request: FastifyRequest): SiteFrame {
    const locale = pickLocale(request, siteLocales, 'en');
    return { slug: '', locale, locales: [locale], companyName: '', primaryColor: '#1f5fbf', hasLogo: false };
  }

  /** Frame of a page: the published site's locales and branding, or the defaults before publication. */
  async function frameOf(
    request: FastifyRequest,
    slug: string,
    site: PublishedSite | null,
  ): Promise<SiteFrame> {
    if (site) {
      const locale = pickLocale(request, site.locales, site.defaultLocale);
      return { slug, locale, locales: site.locales, ...site.branding };
    }
    const branding = await readBranding(db);
    return {
      slug,
      locale: pickLocale(request, siteLocales, 'en'),
      locales: siteLocales,
      companyName: branding.companyName,
      primaryColor: branding.primaryColor,
      hasLogo: branding.logo !== null,
    };
  }

  /**
   * The site's index (`/n/`) and its 404 page: the company's published notices and its contact, so someone
   * who mistyped the address in their letter lands somewhere useful. The same page for any unknown address.
   */
  async function indexPage(request: FastifyRequest, reply: FastifyReply, status: 200 | 404) {
    const { brand, notices } = await siteIndex.get();
    const locale = pickLocale(request, siteLocales, 'en');
    const frame: SiteFrame = { slug: '', locale, locales: [locale], ...brand };
    const title = t(locale, status === 404 ? 'not_found_title' : 'notices_title');
    const intro = status === 404 ? `<p>${esc(t(locale, 'not_found'))}</p>` : '';
    return html(
      reply,
      status,
      layout(frame, {
        title,
        path: '/n/',
        body: `<h1>${esc(title)}</h1>${intro}${siteIndexHtml(frame, notices)}`,
      }),
    );
  }

  function notFound(request: FastifyRequest, reply: FastifyReply) {
    return indexPage(request, reply, 404);
  }

  /** 429 with Retry-After, counted for the staff's view of the site. */
  function rateLimited(
    reply: FastifyReply,
    frame: SiteFrame,
    incidentId: string,
    retryAfterMs: number,
    path: string,
  ) {
    deps.counters.add(incidentId, 'rateLimited');
    reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    const l = frame.locale;
    return page(
      reply,
      frame,
      429,
      path,
      t(l, 'rate_limited_title'),
      `${messageBox('error', t(l, 'rate_limited_title'), t(l, 'rate_limited'))}${backLink(frame)}`,
    );
  }

  /** Limits of a form per address and per network (and site-wide when `global` is given), ten minutes each. */
  function limitsFor(
    purpose: string,
    request: FastifyRequest,
    perIp: number,
    perNetwork: number,
    global?: number,
  ): Limit[] {
    if (!config.CANDOR_PUBLIC_RATE_LIMITS) return [];
    const limits: Limit[] = [
      { scope: `${purpose}:ip`, key: request.ip, max: perIp, windowMs: TEN_MINUTES },
      { scope: `${purpose}:net`, key: networkOf(request.ip), max: perNetwork, windowMs: TEN_MINUTES },
    ];
    if (global !== undefined)
      limits.push({ scope: `${purpose}:all`, key: '', max: global, windowMs: TEN_MINUTES });
    return limits;
  }

  /** Whether lookups are under load, so forms must carry a proof of work. */
  async function underLoad(): Promise<boolean> {
    if (!config.CANDOR_PUBLIC_RATE_LIMITS) return false;
    if (config.CANDOR_LOOKUP_CHALLENGE_AT === 0) return true;
    return (await currentCount(db, crypto, 'lookup:all', '')) >= config.CANDOR_LOOKUP_CHALLENGE_AT;
  }

  /** A route of a published notice site: the public 404 page when the slug has none. */
  function siteRoute(
    app: FastifyInstance,
    method: 'GET' | 'POST',
    url: string,
    handler: (request: SlugRequest, reply: FastifyReply, site: PublishedSite) => Promise<unknown>,
  ) {
    app.route<{ Params: { slug: string } }>({
      method,
      url,
      ...PUBLIC_ROUTE,
      handler: async (request, reply) => {
        const site = await deps.sites.get(request.params.slug);
        if (!site) return notFound(request, reply);
        return handler(request, reply, site);
      },
    });
  }

  return {
    deps,
    html,
    page,
    bareFrame,
    frameOf,
    indexPage,
    notFound,
    rateLimited,
    limitsFor,
    underLoad,
    siteRoute,
  };
}

export type SiteContext = ReturnType<typeof createSiteContext>;
