import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { confirmSubscription, findSubscription, unsubscribe } from '../notice.repository.ts';
import { backLink, esc, messageBox } from '../render.ts';
import { readSubscriptionToken } from '../subscriptions.ts';
import { t } from '../texts.ts';
import { type PagePluginOptions, PUBLIC_ROUTE } from './site-context.ts';

type TokenRequest = FastifyRequest<{ Params: { slug: string; token: string } }>;
type Purpose = 'confirm' | 'unsubscribe';

/**
 * The links in subscription mail: confirm, and unsubscribe. A GET only shows a button (mail scanners follow
 * links); the POST does it, including RFC 8058 one-click unsubscribes from mail clients.
 */
export const subscriptionLinksPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  const { db, crypto } = site.deps;

  async function subscriptionAction(
    request: TokenRequest,
    reply: FastifyReply,
    purpose: Purpose,
    apply: boolean,
  ) {
    const published = await site.deps.sites.get(request.params.slug);
    if (!published) return site.notFound(request, reply);
    const frame = await site.frameOf(request, published.slug, published);
    const l = frame.locale;
    const title = purpose === 'confirm' ? t(l, 'subscribe_confirm_title') : t(l, 'unsubscribe_title');
    const path = `/n/${published.slug}/${purpose === 'confirm' ? 'subscribe/confirm' : 'unsubscribe'}/${request.params.token}`;
    const id = readSubscriptionToken(crypto, request.params.token, purpose);
    const row = id ? await findSubscription(db, published.incidentId, id) : undefined;
    if (!row) {
      return site.page(
        reply,
        frame,
        404,
        `/n/${published.slug}`,
        t(l, 'link_invalid_title'),
        `<p>${esc(t(l, 'link_invalid'))}</p><p><a href="/n/${published.slug}/subscribe">${esc(t(l, 'subscribe_title'))}</a></p>`,
      );
    }
    if (!apply) {
      return site.page(
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
    if (purpose === 'confirm') await confirmSubscription(db, row.id);
    else await unsubscribe(db, row.id);
    const done =
      purpose === 'confirm' && row.status !== 'unsubscribed'
        ? t(l, 'subscribe_confirmed')
        : t(l, 'unsubscribed');
    return site.page(
      reply,
      frame,
      200,
      `/n/${published.slug}`,
      title,
      `${messageBox('ok', title, done)}${backLink(frame)}`,
    );
  }

  const routes: Array<[url: string, purpose: Purpose]> = [
    ['/n/:slug/subscribe/confirm/:token', 'confirm'],
    ['/n/:slug/unsubscribe/:token', 'unsubscribe'],
  ];
  for (const [url, purpose] of routes) {
    app.get<{ Params: { slug: string; token: string } }>(url, PUBLIC_ROUTE, (request, reply) =>
      subscriptionAction(request, reply, purpose, false),
    );
    // For unsubscribe, also RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" here.
    app.post<{ Params: { slug: string; token: string } }>(url, PUBLIC_ROUTE, (request, reply) =>
      subscriptionAction(request, reply, purpose, true),
    );
  }
};
