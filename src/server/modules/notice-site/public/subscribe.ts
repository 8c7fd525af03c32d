import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeEmail } from '../../people/index.ts';
import { checkFormToken, formToken, hitLimits } from '../guards.ts';
import { enqueueSiteMessage } from '../messages.ts';
import { upsertSubscription } from '../notice.repository.ts';
import { backLink, esc, fieldHtml, formHtml, messageBox } from '../render.ts';
import type { PublishedSite } from '../site.ts';
import { t } from '../texts.ts';
import { field } from './request.ts';
import { MAX_IDENTIFIER, type PagePluginOptions } from './site-context.ts';

/**
 * Updates by email: a subscription is pending until its confirmation link is followed. The page says the
 * same whether the address was already subscribed or not, and someone already subscribed gets no new mail.
 */
export const subscribePage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  const { db, crypto } = site.deps;

  async function subscribeForm(
    request: FastifyRequest,
    reply: FastifyReply,
    published: PublishedSite,
    state: { sent?: boolean; error?: string; value?: string },
  ) {
    const frame = await site.frameOf(request, published.slug, published);
    const l = frame.locale;
    const path = `/n/${published.slug}/subscribe`;
    const sent = state.sent ? messageBox('ok', t(l, 'subscribe_sent_title'), t(l, 'subscribe_sent')) : '';
    const form = formHtml({
      action: path,
      token: formToken(crypto, 'subscribe', published.incidentId),
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
    return site.page(
      reply,
      frame,
      state.error ? 400 : 200,
      path,
      t(l, 'subscribe_title'),
      `<p>${esc(t(l, 'subscribe_text'))}</p>${sent}${form}<p><a href="/n/${published.slug}/feed.atom">${esc(t(l, 'feed_link'))}</a></p>${backLink(frame)}`,
    );
  }

  site.siteRoute(app, 'GET', '/n/:slug/subscribe', async (request, reply, published) =>
    subscribeForm(request, reply, published, {}),
  );

  site.siteRoute(app, 'POST', '/n/:slug/subscribe', async (request, reply, published) => {
    const frame = await site.frameOf(request, published.slug, published);
    const l = frame.locale;
    const typed = field(request.body, 'email');
    if (!checkFormToken(crypto, field(request.body, 'form'), 'subscribe', published.incidentId)) {
      return subscribeForm(request, reply, published, {
        error: t(l, 'bad_form'),
        value: typed.slice(0, MAX_IDENTIFIER),
      });
    }
    const hit = await hitLimits(db, crypto, site.limitsFor('subscribe', request, 10, 60, 10_000));
    if (hit.exceeded) {
      const path = `/n/${published.slug}/subscribe`;
      return site.rateLimited(reply, frame, published.incidentId, hit.retryAfterMs, path);
    }
    if (typed.length > MAX_IDENTIFIER)
      return subscribeForm(request, reply, published, { error: t(l, 'too_long'), value: '' });
    const email = normalizeEmail(typed);
    if (!email) return subscribeForm(request, reply, published, { error: t(l, 'bad_email'), value: typed });
    await db.transaction().execute(async (tx) => {
      const subscription = await upsertSubscription(tx, {
        incidentId: published.incidentId,
        emailSealed: crypto.encrypt(email, 'notice_subscriptions.email'),
        emailIdx: crypto.blindIndex('notice_subscription', email),
        locale: l,
      });
      // Someone already subscribed gets no new mail (the page says the same either way).
      if (subscription.status === 'pending') {
        await enqueueSiteMessage(tx, crypto, published.incidentId, {
          kind: 'subscribe_confirm',
          email,
          locale: l,
          subscriptionId: subscription.id,
        });
      }
      if (subscription.isFresh) site.deps.counters.add(published.incidentId, 'subscribed');
    });
    site.deps.messenger.kick();
    return subscribeForm(request, reply, published, { sent: true });
  });
};
