import type { FastifyInstance } from 'fastify';
import { esc, layout, messageBox } from '../render.ts';
import { t } from '../texts.ts';
import { looksLikePii } from './request.ts';
import type { SiteContext } from './site-context.ts';

/**
 * What stands in front of every public page: a URL carrying personal data (or what looks like it) is
 * refused before routing goes further (invariant 6: no GET with PII in the URL), and errors answer as an
 * HTML page of the site, never problem+json.
 */
export function installPublicSafety(app: FastifyInstance, site: SiteContext): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!looksLikePii(request.query as Record<string, unknown>)) return done();
    const frame = site.bareFrame(request);
    const locale = frame.locale;
    site.html(
      reply,
      400,
      layout(frame, {
        title: t(locale, 'pii_in_url_title'),
        path: '/',
        body: `<h1>${esc(t(locale, 'pii_in_url_title'))}</h1><p>${esc(t(locale, 'pii_in_url'))}</p>`,
      }),
    );
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) site.deps.logger.error({ err: error }, 'public site request failed');
    const frame = site.bareFrame(request);
    const locale = frame.locale;
    const text =
      status === 413
        ? t(locale, 'too_long')
        : status === 500
          ? 'Something went wrong on our side. Please try again in a few minutes.'
          : t(locale, 'bad_form');
    return site.html(
      reply,
      status,
      layout(frame, {
        title: text,
        path: '/',
        body: `${messageBox('error', text, '')}<p><a href="javascript:history.back()">←</a></p>`,
      }),
    );
  });
}
