import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeEmail, normalizePhone } from '../../people/index.ts';
import {
  checkFormToken,
  checkSolution,
  formToken,
  hitLimits,
  issueChallenge,
  spendFormToken,
  spendOnce,
} from '../guards.ts';
import { enqueueSiteMessage } from '../messages.ts';
import { backLink, esc, fieldHtml, formHtml, messageBox } from '../render.ts';
import type { PublishedSite } from '../site.ts';
import { t } from '../texts.ts';
import { field } from './request.ts';
import { MAX_IDENTIFIER, type PagePluginOptions, TEN_MINUTES } from './site-context.ts';

/**
 * "Am I affected?" (invariant 6): the answer never appears on the page. Whatever is typed, a fresh form gets
 * the same status, body and work; the answer, if any, goes to the address itself as a queued message.
 */
export const lookupPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  const { db, crypto, config } = site.deps;

  async function lookupForm(
    request: FastifyRequest,
    reply: FastifyReply,
    published: PublishedSite,
    state: { sent?: boolean; identifier?: string; challengeMissing?: boolean },
  ) {
    const frame = await site.frameOf(request, published.slug, published);
    const l = frame.locale;
    const challenge = (await site.underLoad())
      ? {
          value: issueChallenge(crypto, config.CANDOR_LOOKUP_CHALLENGE_BITS),
          bits: config.CANDOR_LOOKUP_CHALLENGE_BITS,
        }
      : undefined;
    const sent = state.sent
      ? `${messageBox('ok', t(l, 'lookup_sent_title'), t(l, 'lookup_sent'))}<p class="hint">${esc(t(l, 'lookup_sent_hint'))}</p><h2>${esc(t(l, 'lookup_again'))}</h2>`
      : `<p>${esc(t(l, 'check_text'))}</p>`;
    const form = formHtml({
      action: `/n/${published.slug}/lookup`,
      token: formToken(crypto, 'lookup', published.incidentId),
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
    return site.page(
      reply,
      frame,
      200,
      `/n/${published.slug}/lookup`,
      t(l, 'lookup_title'),
      `${sent}${form}${backLink(frame)}`,
    );
  }

  site.siteRoute(app, 'GET', '/n/:slug/lookup', async (request, reply, published) =>
    lookupForm(request, reply, published, {}),
  );

  site.siteRoute(app, 'POST', '/n/:slug/lookup', async (request, reply, published) => {
    const frame = await site.frameOf(request, published.slug, published);
    const path = `/n/${published.slug}/lookup`;
    // The token is spent before anything that was typed is read: a replay gets this same page whatever
    // identifier it carries, and costs the same work.
    const token = field(request.body, 'form');
    const isFresh =
      checkFormToken(crypto, token, 'lookup', published.incidentId) &&
      (await spendFormToken(db, crypto, token));
    if (!isFresh) {
      return site.page(
        reply,
        frame,
        400,
        path,
        t(frame.locale, 'lookup_title'),
        `${messageBox('error', t(frame.locale, 'bad_form'), '')}<p><a href="${path}">${esc(t(frame.locale, 'lookup_title'))}</a></p>`,
      );
    }
    const limits = site.limitsFor(
      'lookup',
      request,
      config.CANDOR_LOOKUP_PER_IP,
      config.CANDOR_LOOKUP_PER_NETWORK,
      config.CANDOR_LOOKUP_GLOBAL,
    );
    const hit = await hitLimits(db, crypto, limits);
    if (hit.exceeded) return site.rateLimited(reply, frame, published.incidentId, hit.retryAfterMs, path);
    const raw = field(request.body, 'identifier').trim();
    if (config.CANDOR_PUBLIC_RATE_LIMITS) {
      const siteWide = hit.counts[2] ?? 0;
      if (config.CANDOR_LOOKUP_CHALLENGE_AT === 0 || siteWide > config.CANDOR_LOOKUP_CHALLENGE_AT) {
        const challenge = field(request.body, 'challenge');
        const solved =
          checkSolution(crypto, challenge, field(request.body, 'pow'), config.CANDOR_LOOKUP_CHALLENGE_BITS) &&
          (await spendOnce(db, crypto, challenge, TEN_MINUTES));
        if (!solved)
          return lookupForm(request, reply, published, {
            challengeMissing: true,
            identifier: raw.slice(0, MAX_IDENTIFIER),
          });
      }
    }
    site.deps.counters.add(published.incidentId, 'lookups');
    // The same page whatever was typed; the answer, if any, goes to the address itself.
    const email = raw.includes('@') && raw.length <= MAX_IDENTIFIER ? normalizeEmail(raw) : null;
    const phone = !email && raw.length <= 40 ? normalizePhone(raw, null) : null;
    if (email || phone) {
      await enqueueSiteMessage(db, crypto, published.incidentId, {
        kind: 'lookup',
        identifier: (email ?? phone)!,
        channel: email ? 'email' : 'sms',
        locale: frame.locale,
      });
      site.deps.messenger.kick();
    }
    return lookupForm(request, reply, published, { sent: true });
  });
};
