import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { incidentBySlug } from '../../incidents/index.ts';
import { siteLocales } from '../content.ts';
import { checkFormToken, formToken } from '../guards.ts';
import { saveFeedback } from '../notice.repository.ts';
import {
  isRevoked,
  openPersonalLink,
  type PersonSession,
  personalView,
  readSessionCookie,
  revokePersonLinks,
  SESSION_TTL_MS,
  sessionCookieValue,
} from '../person.ts';
import { backLink, esc, messageBox, type SiteFrame } from '../render.ts';
import type { PublishedSite } from '../site.ts';
import { t } from '../texts.ts';
import { personalPageBody } from './personal-page-html.ts';
import { field, pickLocale } from './request.ts';
import { type PagePluginOptions, PUBLIC_ROUTE } from './site-context.ts';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
const COOKIE_NAME = 'candor_me';
const cookiePath = (slug: string) => `/n/${slug}/me`;

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

/**
 * The personal page: a signed personal link is exchanged for a short-lived cookie (path `/n/<slug>/me`),
 * checked against revocations on every request; each view is decrypted for that request and audited
 * (`person.ts`). Also the person's feedback, and "close this page on all devices". It works before the
 * notice is published too (links go out with the notices), framed by the company's branding alone.
 */
export const personalPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  const { db, crypto, config } = site.deps;

  async function incidentOf(slug: string): Promise<{ id: string; slug: string } | null> {
    if (!SLUG.test(slug)) return null;
    return (await incidentBySlug(db, slug)) ?? null;
  }

  function invalidLink(reply: FastifyReply, frame: SiteFrame, published: PublishedSite | null) {
    const l = frame.locale;
    const retry = published
      ? `<p><a class="button" href="/n/${frame.slug}/lookup">${esc(t(l, 'lookup_title'))}</a></p>`
      : '';
    return site.page(
      reply,
      frame,
      403,
      `/n/${frame.slug}/me`,
      t(l, 'link_invalid_title'),
      `<p>${esc(t(l, 'link_invalid'))}</p>${retry}${published ? backLink(frame) : ''}`,
    );
  }

  async function sessionOf(request: FastifyRequest, incidentId: string): Promise<PersonSession | null> {
    const session = readSessionCookie(crypto, request.cookies[COOKIE_NAME]);
    if (!session || session.incidentId !== incidentId) return null;
    return (await isRevoked(db, incidentId, session.pn, session.linkIssuedAt)) ? null : session;
  }

  async function showPage(
    request: SlugRequest,
    reply: FastifyReply,
    notice?: { kind: 'ok' | 'error'; text: string },
  ) {
    const incident = await incidentOf(request.params.slug);
    if (!incident) return site.notFound(request, reply);
    const published = await site.deps.sites.get(incident.slug);
    const frame = await site.frameOf(request, incident.slug, published);
    const session = await sessionOf(request, incident.id);
    if (!session) return invalidLink(reply, frame, published);
    const view = await personalView(db, crypto, session, frame.locale, request.id);
    if (!view) return invalidLink(reply, frame, published);
    site.deps.counters.add(incident.id, 'personalViews');
    const body = personalPageBody({
      frame,
      site: published,
      view,
      feedbackToken: formToken(crypto, 'feedback', incident.id),
      closeToken: formToken(crypto, 'close', incident.id),
      notice,
    });
    const status = notice?.kind === 'error' ? 400 : 200;
    return site.page(reply, frame, status, `/n/${incident.slug}/me`, t(frame.locale, 'me_title'), body);
  }

  app.get<{ Params: { slug: string; token: string } }>(
    '/n/:slug/me/:token',
    PUBLIC_ROUTE,
    async (request, reply) => {
      const incident = await incidentOf(request.params.slug);
      if (!incident) return site.notFound(request, reply);
      const published = await site.deps.sites.get(incident.slug);
      const session = await openPersonalLink(db, crypto, incident.id, request.params.token);
      if (!session)
        return invalidLink(reply, await site.frameOf(request, incident.slug, published), published);
      // The token becomes a short-lived cookie; the redirect keeps it out of history and referrers.
      return reply
        .setCookie(COOKIE_NAME, sessionCookieValue(crypto, session), {
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

  app.get<{ Params: { slug: string } }>('/n/:slug/me', PUBLIC_ROUTE, (request, reply) =>
    showPage(request, reply),
  );

  app.post<{ Params: { slug: string } }>('/n/:slug/me/feedback', PUBLIC_ROUTE, async (request, reply) => {
    const incident = await incidentOf(request.params.slug);
    if (!incident) return site.notFound(request, reply);
    const session = await sessionOf(request, incident.id);
    const locale = pickLocale(request, siteLocales, 'en');
    if (!session) return showPage(request, reply);
    if (!checkFormToken(crypto, field(request.body, 'form'), 'feedback', incident.id)) {
      return showPage(request, reply, { kind: 'error', text: t(locale, 'bad_form') });
    }
    const rating = Number(field(request.body, 'rating'));
    const comment = field(request.body, 'comment').trim();
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
      return showPage(request, reply, { kind: 'error', text: t(locale, 'bad_rating') });
    }
    if (comment.length > 2000)
      return showPage(request, reply, { kind: 'error', text: t(locale, 'too_long') });
    await saveFeedback(db, {
      incidentId: incident.id,
      pn: session.pn,
      rating,
      commentSealed: comment ? crypto.encrypt(comment, 'notice_feedback.comment') : null,
    });
    return showPage(request, reply, { kind: 'ok', text: t(locale, 'feedback_thanks') });
  });

  app.post<{ Params: { slug: string } }>('/n/:slug/me/close', PUBLIC_ROUTE, async (request, reply) => {
    const incident = await incidentOf(request.params.slug);
    if (!incident) return site.notFound(request, reply);
    const published = await site.deps.sites.get(incident.slug);
    const frame = await site.frameOf(request, incident.slug, published);
    const session = await sessionOf(request, incident.id);
    if (!session || !checkFormToken(crypto, field(request.body, 'form'), 'close', incident.id)) {
      return invalidLink(reply, frame, published);
    }
    await revokePersonLinks(db, incident.id, session.pn);
    reply.clearCookie(COOKIE_NAME, { path: cookiePath(incident.slug) });
    const l = frame.locale;
    return site.page(
      reply,
      frame,
      200,
      `/n/${incident.slug}`,
      t(l, 'me_title'),
      `${messageBox('ok', t(l, 'me_closed'), '')}${published ? backLink(frame) : ''}`,
    );
  });
};
