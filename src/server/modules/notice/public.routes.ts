import formBody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { PlatformContext } from '../../platform/context.ts';
import { normalizeEmail, normalizePhone } from '../population/index.ts';
import { CHALLENGE_SCRIPT } from './challenge-script.ts';
import { type SiteLocale, siteLocales } from './content.ts';
import type { Counters } from './counters.ts';
import {
  checkFormToken,
  checkSolution,
  currentCount,
  formToken,
  hitLimits,
  issueChallenge,
  type Limit,
  networkOf,
  spendFormToken,
  spendOnce,
} from './guards.ts';
import { enqueueSiteMessage, type SiteMessenger } from './messages.ts';
import {
  isRevoked,
  openPersonalLink,
  type PersonSession,
  personalView,
  readSessionCookie,
  revokePersonLinks,
  SESSION_TTL_MS,
  sessionCookieValue,
} from './person.ts';
import {
  backLink,
  contactHtml,
  esc,
  fieldHtml,
  formHtml,
  layout,
  messageBox,
  type SiteFrame,
  stylesheetFor,
} from './render.ts';
import { type PublishedSite, readBranding, type SiteCache } from './site.ts';
import { createSiteIndex, siteIndexHtml } from './site-index.ts';
import { readSubscriptionToken } from './subscriptions.ts';
import { t } from './texts.ts';

/**
 * The public notice site under /n/<slug>: server-rendered pages for people with no account. Every form
 * carries a per-request token, is rate-limited, and answers the same way whatever it was given where the
 * answer could tell a stranger something (lookup, subscribe). Only the notice page and feed are cacheable.
 */
type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'> & {
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

const PUBLIC = { access: { public: true as const, reason: 'public notice site' } };
const TEN_MINUTES = 10 * 60_000;
const MAX_IDENTIFIER = 320;
const SLUG = '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$';

/** Query parameters that hold personal data, or values that look like it: refused, never logged. */
const PII_KEYS = /^(identifier|email|e-mail|mail|phone|tel|mobile|name|code|token|ssn|address|dob)$/i;
function looksLikePii(query: Record<string, unknown>): boolean {
  return Object.entries(query).some(
    ([key, value]) =>
      PII_KEYS.test(key) ||
      (typeof value === 'string' && (/@/.test(value) || /(\d[\s().-]*){7,}/.test(value))),
  );
}

function pickLocale(
  request: FastifyRequest,
  available: readonly SiteLocale[],
  fallback: SiteLocale,
): SiteLocale {
  const body = request.body as Record<string, unknown> | undefined;
  const wanted = (request.query as Record<string, unknown>).lang ?? body?.lang;
  if (typeof wanted === 'string' && (available as readonly string[]).includes(wanted))
    return wanted as SiteLocale;
  const header = request.headers['accept-language'];
  if (typeof header === 'string') {
    const ranked = header
      .split(',')
      .slice(0, 20)
      .map((part) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return {
          lang: (tag ?? '').trim().toLowerCase().split('-')[0] ?? '',
          q: q ? Number(q.trim().slice(2)) : 1,
        };
      })
      .filter((entry) => entry.lang && Number.isFinite(entry.q) && entry.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const entry of ranked) {
      if ((available as readonly string[]).includes(entry.lang)) return entry.lang as SiteLocale;
    }
  }
  return fallback;
}

/** If-None-Match with weak comparison (RFC 9110 §13.1.2): a list, `W/` prefixes (proxies that compress) or `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function html(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page);
}

export function publicSiteRoutes(deps: Deps) {
  const { db, crypto, config } = deps;
  const siteIndex = createSiteIndex(db);

  return async function plugin(app: FastifyInstance) {
    await app.register(formBody, { bodyLimit: 64 * 1024 });

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

    function page(
      reply: FastifyReply,
      frame: SiteFrame,
      status: number,
      path: string,
      title: string,
      body: string,
    ) {
      return html(reply, status, layout(frame, { title, path, body: `<h1>${esc(title)}</h1>${body}` }));
    }

    async function rateLimited(
      _request: FastifyRequest,
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

    app.addHook('onRequest', async (request, reply) => {
      if (looksLikePii(request.query as Record<string, unknown>)) {
        const locale = pickLocale(request, siteLocales, 'en');
        const frame: SiteFrame = {
          slug: '',
          locale,
          locales: [locale],
          companyName: '',
          primaryColor: '#1f5fbf',
          hasLogo: false,
        };
        return html(
          reply,
          400,
          layout(frame, {
            title: t(locale, 'pii_in_url_title'),
            path: '/',
            body: `<h1>${esc(t(locale, 'pii_in_url_title'))}</h1><p>${esc(t(locale, 'pii_in_url'))}</p>`,
          }),
        );
      }
    });

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) deps.logger.error({ err: error }, 'public site request failed');
      const locale = pickLocale(request, siteLocales, 'en');
      const frame: SiteFrame = {
        slug: '',
        locale,
        locales: [locale],
        companyName: '',
        primaryColor: '#1f5fbf',
        hasLogo: false,
      };
      const text =
        status === 413
          ? t(locale, 'too_long')
          : status === 500
            ? 'Something went wrong on our side. Please try again in a few minutes.'
            : t(locale, 'bad_form');
      return html(
        reply,
        status,
        layout(frame, {
          title: text,
          path: '/',
          body: `${messageBox('error', text, '')}<p><a href="javascript:history.back()">←</a></p>`,
        }),
      );
    });

    // ---- Assets -------------------------------------------------------------------------------------

    app.get('/n/_assets/challenge.js', { config: PUBLIC, schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(CHALLENGE_SCRIPT),
    );

    app.get<{ Params: { file: string } }>(
      '/n/_assets/:file',
      { config: PUBLIC, schema: { hide: true } },
      async (request, reply) => {
        const css = stylesheetFor(request.params.file);
        if (css === null) return notFound(request, reply);
        return reply
          .header('content-type', 'text/css; charset=utf-8')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(css);
      },
    );

    app.get('/n/_brand/logo', { config: PUBLIC, schema: { hide: true } }, async (request, reply) => {
      const branding = await readBranding(db);
      if (!branding.logo) return notFound(request, reply);
      return reply
        .header('content-type', branding.logo.contentType)
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(branding.logo.dataBase64, 'base64'));
    });

    /** A route of a published notice site: the public 404 page when the slug has none. */
    function siteRoute(
      method: 'GET' | 'POST',
      url: string,
      handler: (
        request: FastifyRequest<{ Params: { slug: string } }>,
        reply: FastifyReply,
        site: PublishedSite,
      ) => Promise<unknown>,
    ) {
      app.route<{ Params: { slug: string } }>({
        method,
        url,
        config: PUBLIC,
        schema: { hide: true },
        handler: async (request, reply) => {
          const site = await deps.sites.get(request.params.slug);
          if (!site) return notFound(request, reply);
          return handler(request, reply, site);
        },
      });
    }

    // Anything else under /n/ is a public 404 (never the console), logged as the pattern, not the path typed.
    app.get('/n/*', { config: PUBLIC, schema: { hide: true } }, async (request, reply) =>
      notFound(request, reply),
    );
    for (const url of ['/n', '/n/']) {
      app.get(url, { config: PUBLIC, schema: { hide: true } }, async (request, reply) =>
        indexPage(request, reply, 200),
      );
    }

    // ---- The notice and its feed --------------------------------------------------------------------

    siteRoute('GET', '/n/:slug', async (request, reply, site) => {
      const locale = pickLocale(request, site.locales, site.defaultLocale);
      const rendered = site.pages[locale] ?? site.pages[site.defaultLocale]!;
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .header('vary', 'Accept-Language')
        .header('etag', rendered.etag);
      if (matchesEtag(request.headers['if-none-match'], rendered.etag)) return reply.code(304).send();
      return reply.send(rendered.html);
    });

    siteRoute('GET', '/n/:slug/feed.atom', async (_request, reply, site) => {
      return reply
        .header('content-type', 'application/atom+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .send(site.feed);
    });

    // ---- Am I affected? -----------------------------------------------------------------------------

    async function lookupPage(
      request: FastifyRequest,
      reply: FastifyReply,
      site: PublishedSite,
      state: { sent?: boolean; identifier?: string; challengeMissing?: boolean },
    ) {
      const frame = await frameOf(request, site.slug, site);
      const l = frame.locale;
      const challenge = (await underLoad())
        ? {
            value: issueChallenge(crypto, config.CANDOR_LOOKUP_CHALLENGE_BITS),
            bits: config.CANDOR_LOOKUP_CHALLENGE_BITS,
          }
        : undefined;
      const sent = state.sent
        ? `${messageBox('ok', t(l, 'lookup_sent_title'), t(l, 'lookup_sent'))}<p class="hint">${esc(t(l, 'lookup_sent_hint'))}</p><h2>${esc(t(l, 'lookup_again'))}</h2>`
        : `<p>${esc(t(l, 'check_text'))}</p>`;
      const form = formHtml({
        action: `/n/${site.slug}/lookup`,
        token: formToken(crypto, 'lookup', site.incidentId),
        locale: l,
        challenge,
        button: t(l, 'check_button'),
        fields: `<input type="hidden" name="lang" value="${l}">${fieldHtml({
          name: 'identifier',
          label: t(l, 'identifier_label'),
          type: 'text',
          hint: t(l, 'identifier_hint'),
          maxLength: MAX_IDENTIFIER,
          autocomplete: 'email',
          required: true,
          value: state.challengeMissing ? state.identifier : '',
        })}`,
      });
      return page(
        reply,
        frame,
        200,
        `/n/${site.slug}/lookup`,
        t(l, 'lookup_title'),
        `${sent}${form}${backLink(frame)}`,
      );
    }

    siteRoute('GET', '/n/:slug/lookup', async (request, reply, site) => {
      return lookupPage(request, reply, site, {});
    });

    siteRoute('POST', '/n/:slug/lookup', async (request, reply, site) => {
      const frame = await frameOf(request, site.slug, site);
      const path = `/n/${site.slug}/lookup`;
      // The token is spent before anything that was typed is read: a replay gets this same page whatever
      // identifier it carries, and costs the same work.
      const token = field(request.body, 'form');
      const isFresh =
        checkFormToken(crypto, token, 'lookup', site.incidentId) && (await spendFormToken(db, crypto, token));
      if (!isFresh) {
        return page(
          reply,
          frame,
          400,
          path,
          t(frame.locale, 'lookup_title'),
          `${messageBox('error', t(frame.locale, 'bad_form'), '')}<p><a href="${path}">${esc(t(frame.locale, 'lookup_title'))}</a></p>`,
        );
      }
      const limits = limitsFor(
        'lookup',
        request,
        config.CANDOR_LOOKUP_PER_IP,
        config.CANDOR_LOOKUP_PER_NETWORK,
        config.CANDOR_LOOKUP_GLOBAL,
      );
      const hit = await hitLimits(db, crypto, limits);
      if (hit.exceeded) return rateLimited(request, reply, frame, site.incidentId, hit.retryAfterMs, path);
      const raw = field(request.body, 'identifier').trim();
      if (config.CANDOR_PUBLIC_RATE_LIMITS) {
        const siteWide = hit.counts[2] ?? 0;
        if (config.CANDOR_LOOKUP_CHALLENGE_AT === 0 || siteWide > config.CANDOR_LOOKUP_CHALLENGE_AT) {
          const challenge = field(request.body, 'challenge');
          const solved =
            checkSolution(
              crypto,
              challenge,
              field(request.body, 'pow'),
              config.CANDOR_LOOKUP_CHALLENGE_BITS,
            ) && (await spendOnce(db, crypto, challenge, TEN_MINUTES));
          if (!solved)
            return lookupPage(request, reply, site, {
              challengeMissing: true,
              identifier: raw.slice(0, MAX_IDENTIFIER),
            });
        }
      }
      deps.counters.add(site.incidentId, 'lookups');
      // The same page whatever was typed; the answer, if any, goes to the address itself.
      const email = raw.includes('@') && raw.length <= MAX_IDENTIFIER ? normalizeEmail(raw) : null;
      const phone = !email && raw.length <= 40 ? normalizePhone(raw, null) : null;
      if (email || phone) {
        await enqueueSiteMessage(db, crypto, site.incidentId, {
          kind: 'lookup',
          identifier: (email ?? phone)!,
          channel: email ? 'email' : 'sms',
          locale: frame.locale,
        });
        deps.messenger.kick();
      }
      return lookupPage(request, reply, site, { sent: true });
    });

    // ---- Is this notice genuine? --------------------------------------------------------------------

    async function verifyPage(
      request: FastifyRequest,
      reply: FastifyReply,
      site: PublishedSite,
      result: { kind: 'genuine' | 'unknown' | 'malformed'; code: string } | null,
    ) {
      const frame = await frameOf(request, site.slug, site);
      const l = frame.locale;
      const answer =
        result?.kind === 'genuine'
          ? messageBox('ok', result.code, t(l, 'verify_genuine'))
          : result?.kind === 'unknown'
            ? messageBox('error', result.code, t(l, 'verify_unknown'))
            : '';
      const form = formHtml({
        action: `/n/${site.slug}/verify`,
        token: formToken(crypto, 'verify', site.incidentId),
        locale: l,
        button: t(l, 'verify_button'),
        fields: `<input type="hidden" name="lang" value="${l}">${fieldHtml({
          name: 'code',
          label: t(l, 'verify_label'),
          type: 'text',
          hint: t(l, 'verify_hint'),
          maxLength: 40,
          autocomplete: 'off',
          required: true,
          value: result?.kind === 'malformed' ? result.code : '',
          ...(result?.kind === 'malformed' ? { error: t(l, 'verify_malformed') } : {}),
        })}`,
      });
      const tips = `<h2>${esc(t(l, 'phishing_title'))}</h2><ul>${t(l, 'phishing_tips')
        .map((tip) => `<li>${esc(tip)}</li>`)
        .join('')}</ul>`;
      return page(
        reply,
        frame,
        result?.kind === 'malformed' ? 400 : 200,
        `/n/${site.slug}/verify`,
        t(l, 'verify_title'),
        `<p>${esc(t(l, 'genuine_text'))}</p>${answer}${form}${tips}${backLink(frame)}`,
      );
    }

    siteRoute('GET', '/n/:slug/verify', async (request, reply, site) => {
      return verifyPage(request, reply, site, null);
    });

    siteRoute('POST', '/n/:slug/verify', async (request, reply, site) => {
      const frame = await frameOf(request, site.slug, site);
      const path = `/n/${site.slug}/verify`;
      if (!checkFormToken(crypto, field(request.body, 'form'), 'verify', site.incidentId)) {
        return page(
          reply,
          frame,
          400,
          path,
          t(frame.locale, 'verify_title'),
          `${messageBox('error', t(frame.locale, 'bad_form'), '')}<p><a href="${path}">${esc(t(frame.locale, 'verify_title'))}</a></p>`,
        );
      }
      const hit = await hitLimits(db, crypto, limitsFor('verify', request, 30, 300));
      if (hit.exceeded) return rateLimited(request, reply, frame, site.incidentId, hit.retryAfterMs, path);
      const typed = field(request.body, 'code').slice(0, 40);
      const code = typed.replace(/[\s-]/g, '').toUpperCase();
      if (!/^[0-9A-F]{12}$/.test(code))
        return verifyPage(request, reply, site, { kind: 'malformed', code: typed });
      const found = await sql<{ ok: number }>`
          SELECT 1 AS ok FROM deliveries
          WHERE incident_id = ${site.incidentId}::uuid AND verification_code = ${code}
            AND state IN ('sent', 'delivered', 'bounced', 'fell_back')
          LIMIT 1`.execute(db);
      const genuine = found.rows.length > 0;
      deps.counters.add(site.incidentId, genuine ? 'verifyGenuine' : 'verifyUnknown');
      return verifyPage(request, reply, site, { kind: genuine ? 'genuine' : 'unknown', code });
    });

    // ---- Contact form -------------------------------------------------------------------------------

    async function contactPage(
      request: FastifyRequest,
      reply: FastifyReply,
      site: PublishedSite,
      state: { sent?: boolean; errors?: Record<string, string>; values?: Record<string, string> },
    ) {
      const frame = await frameOf(request, site.slug, site);
      const l = frame.locale;
      const path = `/n/${site.slug}/contact`;
      if (state.sent) {
        return page(
          reply,
          frame,
          200,
          path,
          t(l, 'contact_sent_title'),
          `${messageBox('ok', t(l, 'contact_sent_title'), t(l, 'contact_sent'))}${backLink(frame)}`,
        );
      }
      const v = state.values ?? {};
      const e = state.errors ?? {};
      const text = site.content.locales[l] ?? site.content.locales[site.defaultLocale]!;
      const form = formHtml({
        action: path,
        token: formToken(crypto, 'contact', site.incidentId),
        locale: l,
        button: t(l, 'contact_button'),
        fields: [
          `<input type="hidden" name="lang" value="${l}">`,
          fieldHtml({
            name: 'name',
            label: t(l, 'name_label'),
            type: 'text',
            maxLength: 200,
            autocomplete: 'name',
            value: v.name ?? '',
            ...(e.name ? { error: e.name } : {}),
          }),
          fieldHtml({
            name: 'email',
            label: t(l, 'email_label'),
            type: 'email',
            maxLength: MAX_IDENTIFIER,
            autocomplete: 'email',
            required: true,
            value: v.email ?? '',
            ...(e.email ? { error: e.email } : {}),
          }),
          fieldHtml({
            name: 'message',
            label: t(l, 'message_label'),
            type: 'textarea',
            maxLength: 5000,
            required: true,
            value: v.message ?? '',
            ...(e.message ? { error: e.message } : {}),
          }),
        ].join(''),
      });
      const summary =
        Object.keys(e).length > 0
          ? messageBox('error', t(l, 'bad_form').split('.')[0] ?? '', Object.values(e).join(' '))
          : '';
      return page(
        reply,
        frame,
        Object.keys(e).length > 0 ? 400 : 200,
        path,
        t(l, 'contact_title'),
        `<p>${esc(t(l, 'contact_text'))}</p>${summary}${form}<h2>${esc(t(l, 'h_contact'))}</h2>${contactHtml(frame, { ...site.content.contact, webForm: false }, text)}${backLink(frame)}`,
      );
    }

    siteRoute('GET', '/n/:slug/contact', async (request, reply, site) => {
      return contactPage(request, reply, site, {});
    });

    siteRoute('POST', '/n/:slug/contact', async (request, reply, site) => {
      const frame = await frameOf(request, site.slug, site);
      const l = frame.locale;
      const path = `/n/${site.slug}/contact`;
      const values = {
        name: field(request.body, 'name'),
        email: field(request.body, 'email'),
        message: field(request.body, 'message'),
      };
      if (!checkFormToken(crypto, field(request.body, 'form'), 'contact', site.incidentId)) {
        return contactPage(request, reply, site, { values, errors: { form: t(l, 'bad_form') } });
      }
      const hit = await hitLimits(db, crypto, limitsFor('contact', request, 5, 30, 5_000));
      if (hit.exceeded) return rateLimited(request, reply, frame, site.incidentId, hit.retryAfterMs, path);
      const errors: Record<string, string> = {};
      const email = values.email.length <= MAX_IDENTIFIER ? normalizeEmail(values.email) : null;
      if (values.name.length > 200) errors.name = t(l, 'too_long');
      if (!values.email.trim()) errors.email = t(l, 'required');
      else if (values.email.length > MAX_IDENTIFIER) errors.email = t(l, 'too_long');
      else if (!email) errors.email = t(l, 'bad_email');
      if (!values.message.trim()) errors.message = t(l, 'required');
      else if (values.message.length > 5000) errors.message = t(l, 'too_long');
      if (Object.keys(errors).length > 0) {
        return contactPage(request, reply, site, {
          errors,
          values: {
            name: values.name.slice(0, 200),
            email: values.email.slice(0, MAX_IDENTIFIER),
            message: values.message.slice(0, 5000),
          },
        });
      }
      // Filed in the support inbox (threaded, linked, classified there); a confirmation goes to the sender.
      await deps.onContact({
        channel: 'web',
        from: email!,
        name: values.name.trim() || null,
        body: values.message.trim(),
        incidentId: site.incidentId,
        locale: l,
      });
      await enqueueSiteMessage(db, crypto, site.incidentId, {
        kind: 'contact_ack',
        email: email!,
        locale: l,
      });
      deps.counters.add(site.incidentId, 'contacts');
      deps.messenger.kick();
      return contactPage(request, reply, site, { sent: true });
    });

    // ---- Subscriptions ------------------------------------------------------------------------------

    async function subscribePage(
      request: FastifyRequest,
      reply: FastifyReply,
      site: PublishedSite,
      state: { sent?: boolean; error?: string; value?: string },
    ) {
      const frame = await frameOf(request, site.slug, site);
      const l = frame.locale;
      const path = `/n/${site.slug}/subscribe`;
      const sent = state.sent ? messageBox('ok', t(l, 'subscribe_sent_title'), t(l, 'subscribe_sent')) : '';
      const form = formHtml({
        action: path,
        token: formToken(crypto, 'subscribe', site.incidentId),
        locale: l,
        button: t(l, 'subscribe_button'),
        fields: `<input type="hidden" name="lang" value="${l}">${fieldHtml({
          name: 'email',
          label: t(l, 'email_label'),
          type: 'email',
          maxLength: MAX_IDENTIFIER,
          autocomplete: 'email',
          required: true,
          value: state.value ?? '',
          ...(state.error ? { error: state.error } : {}),
        })}`,
      });
      return page(
        reply,
        frame,
        state.error ? 400 : 200,
        path,
        t(l, 'subscribe_title'),
        `<p>${esc(t(l, 'subscribe_text'))}</p>${sent}${form}<p><a href="/n/${site.slug}/feed.atom">${esc(t(l, 'feed_link'))}</a></p>${backLink(frame)}`,
      );
    }

    siteRoute('GET', '/n/:slug/subscribe', async (request, reply, site) => {
      return subscribePage(request, reply, site, {});
    });

    siteRoute('POST', '/n/:slug/subscribe', async (request, reply, site) => {
      const frame = await frameOf(request, site.slug, site);
      const l = frame.locale;
      const typed = field(request.body, 'email');
      if (!checkFormToken(crypto, field(request.body, 'form'), 'subscribe', site.incidentId)) {
        return subscribePage(request, reply, site, {
          error: t(l, 'bad_form'),
          value: typed.slice(0, MAX_IDENTIFIER),
        });
      }
      const hit = await hitLimits(db, crypto, limitsFor('subscribe', request, 10, 60, 10_000));
      if (hit.exceeded)
        return rateLimited(
          request,
          reply,
          frame,
          site.incidentId,
          hit.retryAfterMs,
          `/n/${site.slug}/subscribe`,
        );
      if (typed.length > MAX_IDENTIFIER)
        return subscribePage(request, reply, site, { error: t(l, 'too_long'), value: '' });
      const email = normalizeEmail(typed);
      if (!email) return subscribePage(request, reply, site, { error: t(l, 'bad_email'), value: typed });
      const idx = crypto.blindIndex('notice_subscription', email);
      await db.transaction().execute(async (tx) => {
        const row = await sql<{ id: string; status: string; fresh: boolean }>`
            INSERT INTO notice_subscriptions (incident_id, email_sealed, email_idx, locale)
            VALUES (${site.incidentId}::uuid, ${crypto.encrypt(email, 'notice_subscriptions.email')}, ${idx}, ${l})
            ON CONFLICT (incident_id, email_idx) DO UPDATE SET
              status = CASE WHEN notice_subscriptions.status = 'unsubscribed' THEN 'pending' ELSE notice_subscriptions.status END,
              locale = EXCLUDED.locale
            RETURNING id, status, (xmax = 0) AS fresh`.execute(tx);
        const sub = row.rows[0]!;
        // Someone already subscribed gets no new mail (the page says the same either way).
        if (sub.status === 'pending') {
          await enqueueSiteMessage(tx, crypto, site.incidentId, {
            kind: 'subscribe_confirm',
            email,
            locale: l,
            subscriptionId: sub.id,
          });
        }
        if (sub.fresh) deps.counters.add(site.incidentId, 'subscribed');
      });
      deps.messenger.kick();
      return subscribePage(request, reply, site, { sent: true });
    });

    async function subscriptionAction(
      request: FastifyRequest<{ Params: { slug: string; token: string } }>,
      reply: FastifyReply,
      purpose: 'confirm' | 'unsubscribe',
      apply: boolean,
    ) {
      const site = await deps.sites.get(request.params.slug);
      if (!site) return notFound(request, reply);
      const frame = await frameOf(request, site.slug, site);
      const l = frame.locale;
      const title = purpose === 'confirm' ? t(l, 'subscribe_confirm_title') : t(l, 'unsubscribe_title');
      const path = `/n/${site.slug}/${purpose === 'confirm' ? 'subscribe/confirm' : 'unsubscribe'}/${request.params.token}`;
      const id = readSubscriptionToken(crypto, request.params.token, purpose);
      const row = id
        ? await db
            .selectFrom('notice_subscriptions')
            .select(['id', 'status'])
            .where('id', '=', id)
            .where('incident_id', '=', site.incidentId)
            .executeTakeFirst()
        : undefined;
      if (!row) {
        return page(
          reply,
          frame,
          404,
          `/n/${site.slug}`,
          t(l, 'link_invalid_title'),
          `<p>${esc(t(l, 'link_invalid'))}</p><p><a href="/n/${site.slug}/subscribe">${esc(t(l, 'subscribe_title'))}</a></p>`,
        );
      }
      if (!apply) {
        return page(
          reply,
          frame,
          200,
          path,
          title,
          `<form method="post" action="${esc(path)}"><input type="hidden" name="lang" value="${l}"><p><button type="submit">${esc(
            purpose === 'confirm' ? t(l, 'subscribe_confirm_button') : t(l, 'unsubscribe_button'),
          )}</button></p></form>${backLink(frame)}`,
        );
      }
      if (purpose === 'confirm') {
        await db
          .updateTable('notice_subscriptions')
          .set({ status: 'confirmed', confirmed_at: new Date() })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .execute();
      } else {
        await db
          .updateTable('notice_subscriptions')
          .set({ status: 'unsubscribed', unsubscribed_at: new Date() })
          .where('id', '=', row.id)
          .where('status', '<>', 'unsubscribed')
          .execute();
      }
      const done =
        purpose === 'confirm' && row.status !== 'unsubscribed'
          ? t(l, 'subscribe_confirmed')
          : t(l, 'unsubscribed');
      return page(
        reply,
        frame,
        200,
        `/n/${site.slug}`,
        title,
        `${messageBox('ok', title, done)}${backLink(frame)}`,
      );
    }

    const tokenRoute = { config: PUBLIC, schema: { hide: true } };
    app.get<{ Params: { slug: string; token: string } }>(
      '/n/:slug/subscribe/confirm/:token',
      tokenRoute,
      (request, reply) => subscriptionAction(request, reply, 'confirm', false),
    );
    app.post<{ Params: { slug: string; token: string } }>(
      '/n/:slug/subscribe/confirm/:token',
      tokenRoute,
      (request, reply) => subscriptionAction(request, reply, 'confirm', true),
    );
    app.get<{ Params: { slug: string; token: string } }>(
      '/n/:slug/unsubscribe/:token',
      tokenRoute,
      (request, reply) => subscriptionAction(request, reply, 'unsubscribe', false),
    );
    // Also RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" here.
    app.post<{ Params: { slug: string; token: string } }>(
      '/n/:slug/unsubscribe/:token',
      tokenRoute,
      (request, reply) => subscriptionAction(request, reply, 'unsubscribe', true),
    );

    // ---- Personal page ------------------------------------------------------------------------------

    async function incidentBySlug(slug: string): Promise<{ id: string; slug: string } | null> {
      if (!new RegExp(SLUG).test(slug)) return null;
      const row = await db
        .selectFrom('incidents')
        .select(['id', 'public_slug'])
        .where('public_slug', '=', slug)
        .executeTakeFirst();
      return row ? { id: row.id, slug: row.public_slug } : null;
    }

    function invalidLink(reply: FastifyReply, frame: SiteFrame, site: PublishedSite | null) {
      const l = frame.locale;
      const retry = site
        ? `<p><a class="button" href="/n/${frame.slug}/lookup">${esc(t(l, 'lookup_title'))}</a></p>`
        : '';
      return page(
        reply,
        frame,
        403,
        `/n/${frame.slug}/me`,
        t(l, 'link_invalid_title'),
        `<p>${esc(t(l, 'link_invalid'))}</p>${retry}${site ? backLink(frame) : ''}`,
      );
    }

    const cookieName = 'candor_me';
    const cookiePath = (slug: string) => `/n/${slug}/me`;

    async function sessionOf(request: FastifyRequest, incidentId: string): Promise<PersonSession | null> {
      const session = readSessionCookie(crypto, request.cookies[cookieName]);
      if (!session || session.incidentId !== incidentId) return null;
      return (await isRevoked(db, incidentId, session.pn, session.linkIssuedAt)) ? null : session;
    }

    app.get<{ Params: { slug: string; token: string } }>(
      '/n/:slug/me/:token',
      { config: PUBLIC, schema: { hide: true } },
      async (request, reply) => {
        const incident = await incidentBySlug(request.params.slug);
        if (!incident) return notFound(request, reply);
        const site = await deps.sites.get(incident.slug);
        const session = await openPersonalLink(db, crypto, incident.id, request.params.token);
        if (!session) return invalidLink(reply, await frameOf(request, incident.slug, site), site);
        // The token becomes a short-lived cookie; the redirect keeps it out of history and referrers.
        return reply
          .setCookie(cookieName, sessionCookieValue(crypto, session), {
            path: cookiePath(incident.slug),
            httpOnly: true,
            sameSite: 'lax',
            secure: config.noticeUrl.startsWith('https://'),
            maxAge: SESSION_TTL_MS / 1000,
          })
          .header('cache-control', 'no-store')
          .redirect(`/n/${incident.slug}/me`, 303);
      },
    );

    async function personalPage(
      request: FastifyRequest<{ Params: { slug: string } }>,
      reply: FastifyReply,
      notice?: { kind: 'ok' | 'error'; text: string },
    ) {
      const incident = await incidentBySlug(request.params.slug);
      if (!incident) return notFound(request, reply);
      const site = await deps.sites.get(incident.slug);
      const frame = await frameOf(request, incident.slug, site);
      const session = await sessionOf(request, incident.id);
      if (!session) return invalidLink(reply, frame, site);
      const view = await personalView(db, crypto, session, frame.locale, request.id);
      if (!view) return invalidLink(reply, frame, site);
      deps.counters.add(incident.id, 'personalViews');
      const l = frame.locale;
      const monitoring = site?.content.monitoring;
      const text = site ? (site.content.locales[l] ?? site.content.locales[site.defaultLocale]!) : null;
      const code = view.activationCode
        ? `<section aria-labelledby="code"><h2 id="code">${esc(t(l, 'me_code'))}</h2><p class="code">${esc(view.activationCode)}</p><p>${esc(t(l, 'me_code_how'))}</p>${
            monitoring
              ? `<p>${esc(monitoring.provider)}: <a class="button" href="${esc(monitoring.enrollUrl)}" rel="noopener noreferrer">${esc(t(l, 'me_enroll'))}</a></p>`
              : ''
          }</section>`
        : '';
      const steps =
        view.steps.length > 0
          ? view.steps
              .map(
                (s) =>
                  `<h3>${esc(s.title)}</h3><ul>${s.steps.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
              )
              .join('')
          : `<p>${esc(t(l, 'me_no_steps'))}</p>`;
      const scale = t(l, 'feedback_scale');
      const feedbackForm = `<form method="post" action="/n/${incident.slug}/me/feedback">
<input type="hidden" name="form" value="${esc(formToken(crypto, 'feedback', incident.id))}"><input type="hidden" name="lang" value="${l}">
<fieldset><legend>${esc(t(l, 'feedback_title'))}</legend><div class="scale">${scale
        .map(
          (label, i) =>
            `<label><input type="radio" name="rating" value="${i + 1}"${view.feedback?.rating === i + 1 ? ' checked' : ''} required> ${i + 1} · ${esc(label)}</label>`,
        )
        .join('')}</div></fieldset>
${fieldHtml({ name: 'comment', label: t(l, 'feedback_comment'), type: 'textarea', maxLength: 2000 })}
<p><button type="submit">${esc(t(l, 'feedback_button'))}</button></p></form>`;
      const close = `<form method="post" action="/n/${incident.slug}/me/close"><input type="hidden" name="form" value="${esc(
        formToken(crypto, 'close', incident.id),
      )}"><input type="hidden" name="lang" value="${l}"><p class="hint">${esc(t(l, 'me_sign_out_hint'))}</p><p><button type="submit" class="secondary">${esc(t(l, 'me_sign_out'))}</button></p></form>`;
      const body = `${notice ? messageBox(notice.kind, notice.text, '') : ''}<p>${esc(t(l, 'me_intro'))}</p>
<section aria-labelledby="exposed"><h2 id="exposed">${esc(t(l, 'me_exposed'))}</h2><ul>${view.exposed
        .map((e) => `<li>${esc(e.phrase.charAt(0).toUpperCase() + e.phrase.slice(1))}</li>`)
        .join('')}</ul>
${view.identifiers.length > 0 ? `<h3>${esc(t(l, 'me_identifiers'))}</h3><ul>${view.identifiers.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : ''}</section>
<section aria-labelledby="steps"><h2 id="steps">${esc(t(l, 'me_steps'))}</h2>${steps}</section>
${code}
${site && text ? `<section aria-labelledby="contact"><h2 id="contact">${esc(t(l, 'h_contact'))}</h2>${contactHtml(frame, site.content.contact, text)}</section>` : ''}
<section aria-labelledby="feedback-h"><h2 id="feedback-h">${esc(t(l, 'feedback_title'))}</h2>${feedbackForm}</section>
${close}${site ? backLink(frame) : ''}`;
      return page(
        reply,
        frame,
        notice?.kind === 'error' ? 400 : 200,
        `/n/${incident.slug}/me`,
        t(l, 'me_title'),
        body,
      );
    }

    app.get<{ Params: { slug: string } }>(
      '/n/:slug/me',
      { config: PUBLIC, schema: { hide: true } },
      (request, reply) => personalPage(request, reply),
    );

    app.post<{ Params: { slug: string } }>(
      '/n/:slug/me/feedback',
      { config: PUBLIC, schema: { hide: true } },
      async (request, reply) => {
        const incident = await incidentBySlug(request.params.slug);
        if (!incident) return notFound(request, reply);
        const session = await sessionOf(request, incident.id);
        const locale = pickLocale(request, siteLocales, 'en');
        if (!session) return personalPage(request, reply);
        if (!checkFormToken(crypto, field(request.body, 'form'), 'feedback', incident.id)) {
          return personalPage(request, reply, { kind: 'error', text: t(locale, 'bad_form') });
        }
        const rating = Number(field(request.body, 'rating'));
        const comment = field(request.body, 'comment').trim();
        if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
          return personalPage(request, reply, { kind: 'error', text: t(locale, 'bad_rating') });
        }
        if (comment.length > 2000)
          return personalPage(request, reply, { kind: 'error', text: t(locale, 'too_long') });
        const sealed = comment ? crypto.encrypt(comment, 'notice_feedback.comment') : null;
        await db
          .insertInto('notice_feedback')
          .values({ incident_id: incident.id, pn: session.pn, rating, comment_sealed: sealed })
          .onConflict((oc) =>
            oc
              .columns(['incident_id', 'pn'])
              .doUpdateSet({ rating, comment_sealed: sealed, updated_at: new Date() }),
          )
          .execute();
        return personalPage(request, reply, { kind: 'ok', text: t(locale, 'feedback_thanks') });
      },
    );

    app.post<{ Params: { slug: string } }>(
      '/n/:slug/me/close',
      { config: PUBLIC, schema: { hide: true } },
      async (request, reply) => {
        const incident = await incidentBySlug(request.params.slug);
        if (!incident) return notFound(request, reply);
        const site = await deps.sites.get(incident.slug);
        const frame = await frameOf(request, incident.slug, site);
        const session = await sessionOf(request, incident.id);
        if (!session || !checkFormToken(crypto, field(request.body, 'form'), 'close', incident.id)) {
          return invalidLink(reply, frame, site);
        }
        await revokePersonLinks(db, incident.id, session.pn);
        reply.clearCookie(cookieName, { path: cookiePath(incident.slug) });
        const l = frame.locale;
        return page(
          reply,
          frame,
          200,
          `/n/${incident.slug}`,
          t(l, 'me_title'),
          `${messageBox('ok', t(l, 'me_closed'), '')}${site ? backLink(frame) : ''}`,
        );
      },
    );
  };
}
