import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isIssuedVerificationCode } from '../../outbound/index.ts';
import { checkFormToken, formToken, hitLimits } from '../guards.ts';
import { backLink, esc, fieldHtml, formHtml, messageBox } from '../render.ts';
import type { PublishedSite } from '../site.ts';
import { t } from '../texts.ts';
import { field } from './request.ts';
import type { PagePluginOptions } from './site-context.ts';

type VerifyResult = { kind: 'genuine' | 'unknown' | 'malformed'; code: string };

/**
 * "Is this notice genuine?": the code printed on a letter, email or SMS is checked against the notices that
 * went out, so a phishing copy can be told apart. Rate-limited like every form.
 */
export const verifyPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  const { db, crypto } = site.deps;

  async function verifyForm(
    request: FastifyRequest,
    reply: FastifyReply,
    published: PublishedSite,
    result: VerifyResult | null,
  ) {
    const frame = await site.frameOf(request, published.slug, published);
    const l = frame.locale;
    const answer =
      result?.kind === 'genuine'
        ? messageBox('ok', result.code, t(l, 'verify_genuine'))
        : result?.kind === 'unknown'
          ? messageBox('error', result.code, t(l, 'verify_unknown'))
          : '';
    const form = formHtml({
      action: `/n/${published.slug}/verify`,
      token: formToken(crypto, 'verify', published.incidentId),
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
    return site.page(
      reply,
      frame,
      result?.kind === 'malformed' ? 400 : 200,
      `/n/${published.slug}/verify`,
      t(l, 'verify_title'),
      `<p>${esc(t(l, 'genuine_text'))}</p>${answer}${form}${tips}${backLink(frame)}`,
    );
  }

  site.siteRoute(app, 'GET', '/n/:slug/verify', async (request, reply, published) =>
    verifyForm(request, reply, published, null),
  );

  site.siteRoute(app, 'POST', '/n/:slug/verify', async (request, reply, published) => {
    const frame = await site.frameOf(request, published.slug, published);
    const path = `/n/${published.slug}/verify`;
    if (!checkFormToken(crypto, field(request.body, 'form'), 'verify', published.incidentId)) {
      return site.page(
        reply,
        frame,
        400,
        path,
        t(frame.locale, 'verify_title'),
        `${messageBox('error', t(frame.locale, 'bad_form'), '')}<p><a href="${path}">${esc(t(frame.locale, 'verify_title'))}</a></p>`,
      );
    }
    const hit = await hitLimits(db, crypto, site.limitsFor('verify', request, 30, 300));
    if (hit.exceeded) return site.rateLimited(reply, frame, published.incidentId, hit.retryAfterMs, path);
    const typed = field(request.body, 'code').slice(0, 40);
    const code = typed.replace(/[\s-]/g, '').toUpperCase();
    if (!/^[0-9A-F]{12}$/.test(code))
      return verifyForm(request, reply, published, { kind: 'malformed', code: typed });
    const isGenuine = await isIssuedVerificationCode(db, published.incidentId, code);
    site.deps.counters.add(published.incidentId, isGenuine ? 'verifyGenuine' : 'verifyUnknown');
    return verifyForm(request, reply, published, { kind: isGenuine ? 'genuine' : 'unknown', code });
  });
};
