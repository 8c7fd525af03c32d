import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeEmail } from '../../people/index.ts';
import { checkFormToken, formToken, hitLimits } from '../guards.ts';
import { enqueueSiteMessage } from '../messages.ts';
import { backLink, contactHtml, esc, fieldHtml, formHtml, messageBox } from '../render.ts';
import type { PublishedSite } from '../site.ts';
import { t } from '../texts.ts';
import { field } from './request.ts';
import { MAX_IDENTIFIER, type PagePluginOptions } from './site-context.ts';

const MAX_NAME = 200;
const MAX_MESSAGE = 5000;

interface ContactState {
  sent?: boolean;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

/**
 * The contact form: a question filed in the support inbox (through `onContact`, wired in app.ts) and a
 * confirmation queued to the sender, with the company's other ways to be reached beside it.
 */
export const contactPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  const { db, crypto } = site.deps;

  async function contactForm(
    request: FastifyRequest,
    reply: FastifyReply,
    published: PublishedSite,
    state: ContactState,
  ) {
    const frame = await site.frameOf(request, published.slug, published);
    const l = frame.locale;
    const path = `/n/${published.slug}/contact`;
    if (state.sent) {
      return site.page(
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
    const text = published.content.locales[l] ?? published.content.locales[published.defaultLocale]!;
    const form = formHtml({
      action: path,
      token: formToken(crypto, 'contact', published.incidentId),
      locale: l,
      button: t(l, 'contact_button'),
      fields: [
        `<input type="hidden" name="lang" value="${l}">`,
        fieldHtml({
          name: 'name',
          label: t(l, 'name_label'),
          type: 'text',
          maxLength: MAX_NAME,
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
          maxLength: MAX_MESSAGE,
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
    return site.page(
      reply,
      frame,
      Object.keys(e).length > 0 ? 400 : 200,
      path,
      t(l, 'contact_title'),
      `<p>${esc(t(l, 'contact_text'))}</p>${summary}${form}<h2>${esc(t(l, 'h_contact'))}</h2>${contactHtml(frame, { ...published.content.contact, webForm: false }, text)}${backLink(frame)}`,
    );
  }

  site.siteRoute(app, 'GET', '/n/:slug/contact', async (request, reply, published) =>
    contactForm(request, reply, published, {}),
  );

  site.siteRoute(app, 'POST', '/n/:slug/contact', async (request, reply, published) => {
    const frame = await site.frameOf(request, published.slug, published);
    const l = frame.locale;
    const path = `/n/${published.slug}/contact`;
    const values = {
      name: field(request.body, 'name'),
      email: field(request.body, 'email'),
      message: field(request.body, 'message'),
    };
    if (!checkFormToken(crypto, field(request.body, 'form'), 'contact', published.incidentId)) {
      return contactForm(request, reply, published, { values, errors: { form: t(l, 'bad_form') } });
    }
    const hit = await hitLimits(db, crypto, site.limitsFor('contact', request, 5, 30, 5_000));
    if (hit.exceeded) return site.rateLimited(reply, frame, published.incidentId, hit.retryAfterMs, path);
    const errors: Record<string, string> = {};
    const email = values.email.length <= MAX_IDENTIFIER ? normalizeEmail(values.email) : null;
    if (values.name.length > MAX_NAME) errors.name = t(l, 'too_long');
    if (!values.email.trim()) errors.email = t(l, 'required');
    else if (values.email.length > MAX_IDENTIFIER) errors.email = t(l, 'too_long');
    else if (!email) errors.email = t(l, 'bad_email');
    if (!values.message.trim()) errors.message = t(l, 'required');
    else if (values.message.length > MAX_MESSAGE) errors.message = t(l, 'too_long');
    if (Object.keys(errors).length > 0 || !email) {
      return contactForm(request, reply, published, {
        errors,
        values: {
          name: values.name.slice(0, MAX_NAME),
          email: values.email.slice(0, MAX_IDENTIFIER),
          message: values.message.slice(0, MAX_MESSAGE),
        },
      });
    }
    // Filed in the support inbox (threaded, linked, classified there); a confirmation goes to the sender.
    await site.deps.onContact({
      channel: 'web',
      from: email,
      name: values.name.trim() || null,
      body: values.message.trim(),
      incidentId: published.incidentId,
      locale: l,
    });
    await enqueueSiteMessage(db, crypto, published.incidentId, { kind: 'contact_ack', email, locale: l });
    site.deps.counters.add(published.incidentId, 'contacts');
    site.deps.messenger.kick();
    return contactForm(request, reply, published, { sent: true });
  });
};
