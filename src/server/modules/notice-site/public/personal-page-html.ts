import type { PersonalView } from '../person.ts';
import { backLink, contactHtml, esc, fieldHtml, messageBox, type SiteFrame } from '../render.ts';
import type { PublishedSite } from '../site.ts';
import { t } from '../texts.ts';

/**
 * The body of the personal page: what leaked about this person, what to do about each, their activation
 * code, how to reach the company, the feedback form and "close this page on all devices". Everything
 * personal comes from `view` (decrypted for this request) and goes through `esc`.
 */
export function personalPageBody(options: {
  frame: SiteFrame;
  site: PublishedSite | null;
  view: PersonalView;
  feedbackToken: string;
  closeToken: string;
  notice?: { kind: 'ok' | 'error'; text: string } | undefined;
}): string {
  const { frame, site, view, notice } = options;
  const l = frame.locale;
  const slug = frame.slug;
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
          .map((s) => `<h3>${esc(s.title)}</h3><ul>${s.steps.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`)
          .join('')
      : `<p>${esc(t(l, 'me_no_steps'))}</p>`;
  const scale = t(l, 'feedback_scale');
  const feedbackForm = `<form method="post" action="/n/${slug}/me/feedback">
<input type="hidden" name="form" value="${esc(options.feedbackToken)}"><input type="hidden" name="lang" value="${l}">
<fieldset><legend>${esc(t(l, 'feedback_title'))}</legend><div class="scale">${scale
    .map(
      (label, i) =>
        `<label><input type="radio" name="rating" value="${i + 1}"${view.feedback?.rating === i + 1 ? ' checked' : ''} required> ${i + 1} · ${esc(label)}</label>`,
    )
    .join('')}</div></fieldset>
${fieldHtml({ name: 'comment', label: t(l, 'feedback_comment'), type: 'textarea', maxLength: 2000 })}
<p><button type="submit">${esc(t(l, 'feedback_button'))}</button></p></form>`;
  const close = `<form method="post" action="/n/${slug}/me/close"><input type="hidden" name="form" value="${esc(
    options.closeToken,
  )}"><input type="hidden" name="lang" value="${l}"><p class="hint">${esc(t(l, 'me_sign_out_hint'))}</p><p><button type="submit" class="secondary">${esc(t(l, 'me_sign_out'))}</button></p></form>`;
  return `${notice ? messageBox(notice.kind, notice.text, '') : ''}<p>${esc(t(l, 'me_intro'))}</p>
<section aria-labelledby="exposed"><h2 id="exposed">${esc(t(l, 'me_exposed'))}</h2><ul>${view.exposed
    .map((e) => `<li>${esc(e.phrase.charAt(0).toUpperCase() + e.phrase.slice(1))}</li>`)
    .join('')}</ul>
${view.identifiers.length > 0 ? `<h3>${esc(t(l, 'me_identifiers'))}</h3><ul>${view.identifiers.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : ''}</section>
<section aria-labelledby="steps"><h2 id="steps">${esc(t(l, 'me_steps'))}</h2>${steps}</section>
${code}
${site && text ? `<section aria-labelledby="contact"><h2 id="contact">${esc(t(l, 'h_contact'))}</h2>${contactHtml(frame, site.content.contact, text)}</section>` : ''}
<section aria-labelledby="feedback-h"><h2 id="feedback-h">${esc(t(l, 'feedback_title'))}</h2>${feedbackForm}</section>
${close}${site ? backLink(frame) : ''}`;
}
