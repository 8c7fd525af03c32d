import { createHash } from 'node:crypto';
import { esc } from '../../platform/html-escape.ts';
import type { Contact, LocaleText, NoticeContent, SiteLocale, UpdateContent } from './content.ts';
import { t } from './texts.ts';

/**
 * The public site's HTML, rendered on the server: works without JavaScript, on a phone, with a screen
 * reader. Everything from the company or the public is escaped here; nothing else builds markup.
 */
export { esc };

/** Plain text as HTML: a blank line starts a paragraph; a block of "- " lines is a list. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((line) => /^\s*[-•*]\s+/.test(line))) {
        return `<ul>${lines.map((line) => `<li>${esc(line.replace(/^\s*[-•*]\s+/, ''))}</li>`).join('')}</ul>`;
      }
      return `<p>${lines.map(esc).join('<br>')}</p>`;
    })
    .join('\n');
}

export interface SiteFrame {
  slug: string;
  locale: SiteLocale;
  /** Locales the company wrote the notice in (the switcher offers these). */
  locales: readonly SiteLocale[];
  companyName: string;
  primaryColor: string;
  hasLogo: boolean;
}

const STYLE = `
:root{--brand:#1f5fbf;--ink:#1b1f24;--muted:#4a5360;--line:#d5dae1;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand);text-underline-offset:.15em}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
header{background:#fff;border-bottom:4px solid var(--brand)}
.bar{max-width:46rem;margin:0 auto;padding:.75rem 1rem;display:flex;gap:1rem;align-items:center;justify-content:space-between;flex-wrap:wrap}
.brand{display:flex;align-items:center;gap:.75rem;font-weight:700;font-size:1.125rem;color:var(--ink);text-decoration:none}
.brand img{max-height:2.5rem;max-width:10rem}
nav.lang ul{list-style:none;margin:0;padding:0;display:flex;gap:.75rem}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.3rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.25rem 0 .25rem}
.meta{color:var(--muted);font-size:.95rem}
.summary{font-size:1.125rem}
.actions{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));margin:1.5rem 0}
.card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem}
.card h2{border:0;margin:0 0 .25rem;padding:0;font-size:1.1rem}
.card p{margin:.25rem 0 .75rem}
.button,button{display:inline-block;background:var(--brand);color:#fff;border:0;border-radius:.375rem;padding:.6rem 1.1rem;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.button.secondary,button.secondary{background:#fff;color:var(--brand);border:2px solid var(--brand)}
form{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:1rem 0}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=email],textarea{width:100%;font:inherit;padding:.55rem;border:1px solid #7a8594;border-radius:.375rem}
textarea{min-height:8rem}
.hint{color:var(--muted);font-size:.95rem;margin:.25rem 0}
.notice{border-left:4px solid var(--brand);background:#fff;padding:.75rem 1rem;margin:1rem 0}
.notice.error{border-color:#b3261e}
.notice.ok{border-color:#1e7b34}
.error-text{color:#b3261e;font-weight:600}
fieldset{border:0;padding:0;margin:.75rem 0}
legend{font-weight:600}
.scale{display:flex;flex-wrap:wrap;gap:.5rem}
.scale label{font-weight:400;margin:0;display:flex;gap:.35rem;align-items:center;background:var(--bg);padding:.35rem .6rem;border-radius:.375rem}
ol.updates{list-style:none;padding:0}
ol.updates li{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
dl.contact dt{font-weight:600;margin-top:.5rem}dl.contact dd{margin:0}
details{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.5rem 1rem;margin:.5rem 0}
summary{cursor:pointer;font-weight:600}
.code{font:600 1.4rem/1.2 ui-monospace,monospace;letter-spacing:.08em;background:#fff;border:1px dashed var(--brand);padding:.5rem .75rem;display:inline-block}
footer{max-width:46rem;margin:0 auto;padding:1rem;color:var(--muted);font-size:.9rem;border-top:1px solid var(--line)}
`;

const STYLE_VERSION = createHash('sha256').update(STYLE).digest('hex').slice(0, 10);

/**
 * The site's stylesheet, served as a file (no inline styles: the CSP of the public pages allows none). Its
 * address carries the brand colour and a hash of the rules, so it is cached for good and changes with either.
 */
export function stylesheetPath(primaryColor: string): string {
  const hex = /^#[0-9a-fA-F]{6}$/.test(primaryColor) ? primaryColor.slice(1).toLowerCase() : '1f5fbf';
  return `/n/_assets/site.${STYLE_VERSION}.${hex}.css`;
}

/** The stylesheet for an address made by stylesheetPath, or null for any other name. */
export function stylesheetFor(file: string): string | null {
  const match = /^site\.([0-9a-f]{10})\.([0-9a-f]{6})\.css$/.exec(file);
  if (!match || match[1] !== STYLE_VERSION) return null;
  return STYLE.replace('--brand:#1f5fbf', `--brand:#${match[2]}`);
}

export interface PageOptions {
  title: string;
  body: string;
  /** The page's path without query: the language switcher links to it. */
  path: string;
}

export function layout(frame: SiteFrame, options: PageOptions): string {
  const others = frame.locales.length > 1 ? frame.locales : [];
  const switcher =
    others.length > 0
      ? `<nav class="lang" aria-label="${esc(t(frame.locale, 'language'))}"><ul>${others
          .map((l) =>
            l === frame.locale
              ? `<li><span aria-current="true" lang="${l}">${esc(t(l, 'lang_name'))}</span></li>`
              : `<li><a href="${esc(options.path)}?lang=${l}" hreflang="${l}" lang="${l}">${esc(t(l, 'lang_name'))}</a></li>`,
          )
          .join('')}</ul></nav>`
      : '';
  const logo = frame.hasLogo ? `<img src="/n/_brand/logo" alt="">` : '';
  return `<!doctype html>
<html lang="${frame.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(options.title)} · ${esc(frame.companyName)}</title>
${frame.slug ? `<link rel="alternate" type="application/atom+xml" href="/n/${frame.slug}/feed.atom" title="${esc(t(frame.locale, 'feed_link'))}">\n` : ''}<link rel="stylesheet" href="${stylesheetPath(frame.primaryColor)}">
</head>
<body>
<a class="skip" href="#content">${esc(t(frame.locale, 'skip'))}</a>
<header><div class="bar"><a class="brand" href="/n/${frame.slug}">${logo}<span>${esc(frame.companyName)}</span></a>${switcher}</div></header>
<main id="content">
${options.body}
</main>
<footer><p>${esc(t(frame.locale, 'footer_privacy'))}${frame.slug ? ` <a href="/n/${frame.slug}/feed.atom">${esc(t(frame.locale, 'feed_link'))}</a>` : ''}</p></footer>
</body>
</html>
`;
}

export interface PublishedUpdate {
  id: string;
  publishedAt: Date;
  content: UpdateContent;
}

function dateText(date: Date, locale: SiteLocale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-US', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(date);
}

function timeTag(date: Date, locale: SiteLocale): string {
  return `<time datetime="${date.toISOString()}">${esc(dateText(date, locale))}</time>`;
}

/** The update in the reader's language, else in whichever language it was written. */
export function updateText(update: UpdateContent, locale: SiteLocale): { title: string; body: string } {
  return (update.locales[locale] ?? update.locales.en ?? update.locales.es)!;
}

export function contactHtml(frame: SiteFrame, contact: Contact, text: LocaleText): string {
  const l = frame.locale;
  const items: string[] = [];
  if (contact.phone) {
    const tel = contact.phone.replace(/[^\d+]/g, '');
    items.push(
      `<dt>${esc(t(l, 'phone'))}</dt><dd><a href="tel:${esc(tel)}">${esc(contact.phone)}</a>${
        text.phoneHours ? `<br><span class="hint">${esc(t(l, 'hours'))}: ${esc(text.phoneHours)}</span>` : ''
      }</dd>`,
    );
  }
  if (contact.email) {
    items.push(
      `<dt>${esc(t(l, 'email'))}</dt><dd><a href="mailto:${esc(contact.email)}">${esc(contact.email)}</a></dd>`,
    );
  }
  if (contact.webForm) {
    items.push(
      `<dt>${esc(t(l, 'web_form'))}</dt><dd><a href="/n/${frame.slug}/contact">${esc(t(l, 'web_form_link'))}</a></dd>`,
    );
  }
  if (contact.postalAddress) {
    items.push(
      `<dt>${esc(t(l, 'postal'))}</dt><dd>${esc(contact.postalAddress).replace(/\n/g, '<br>')}</dd>`,
    );
  }
  return items.length > 0 ? `<dl class="contact">${items.join('')}</dl>` : '';
}

/** The notice itself: rendered once per locale at publication and served from memory. */
export function renderNoticePage(
  frame: SiteFrame,
  content: NoticeContent,
  updates: readonly PublishedUpdate[],
  publishedAt: Date,
): string {
  const l = frame.locale;
  const text = content.locales[l] ?? content.locales[content.defaultLocale]!;
  const lastChange = new Date(
    Math.max(publishedAt.getTime(), ...updates.map((u) => u.publishedAt.getTime())),
  );
  const section = (heading: string, id: string, body: string) =>
    body.trim()
      ? `<section aria-labelledby="${id}"><h2 id="${id}">${esc(heading)}</h2>${textToHtml(body)}</section>`
      : '';
  const updatesHtml =
    updates.length === 0
      ? `<p>${esc(t(l, 'no_updates'))}</p>`
      : `<ol class="updates">${[...updates]
          .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
          .map((u) => {
            const ut = updateText(u.content, l);
            return `<li id="update-${u.id}"><h3>${esc(ut.title)}</h3><p class="meta">${timeTag(u.publishedAt, l)}</p>${textToHtml(ut.body)}</li>`;
          })
          .join('')}</ol>`;
  const faq =
    text.faq.length > 0
      ? `<section aria-labelledby="faq"><h2 id="faq">${esc(t(l, 'h_faq'))}</h2>${text.faq
          .map((f) => `<details><summary>${esc(f.question)}</summary>${textToHtml(f.answer)}</details>`)
          .join('')}</section>`
      : '';
  const body = `
<h1>${esc(text.title)}</h1>
<p class="meta">${esc(t(l, 'published_on'))} ${timeTag(publishedAt, l)}${
    lastChange > publishedAt ? ` · ${esc(t(l, 'updated_on'))} ${timeTag(lastChange, l)}` : ''
  }</p>
${text.summary ? `<div class="summary">${textToHtml(text.summary)}</div>` : ''}
<div class="actions">
<div class="card"><h2>${esc(t(l, 'check_title'))}</h2><p>${esc(t(l, 'check_text'))}</p><a class="button" href="/n/${frame.slug}/lookup">${esc(t(l, 'check_button'))}</a></div>
<div class="card"><h2>${esc(t(l, 'genuine_title'))}</h2><p>${esc(t(l, 'genuine_text'))}</p><a class="button secondary" href="/n/${frame.slug}/verify">${esc(t(l, 'genuine_link'))}</a></div>
</div>
${section(t(l, 'h_what_happened'), 'what-happened', text.whatHappened)}
${section(t(l, 'h_what_information'), 'what-information', text.whatInformation)}
${section(t(l, 'h_what_we_are_doing'), 'what-we-are-doing', text.whatWeAreDoing)}
${section(t(l, 'h_what_you_can_do'), 'what-you-can-do', text.whatYouCanDo)}
<section aria-labelledby="updates"><h2 id="updates">${esc(t(l, 'h_updates'))}</h2>${updatesHtml}
<p><a href="/n/${frame.slug}/subscribe">${esc(t(l, 'subscribe_title'))}</a> · <a href="/n/${frame.slug}/feed.atom">${esc(t(l, 'feed_link'))}</a></p></section>
${faq}
<section aria-labelledby="more-information"><h2 id="more-information">${esc(t(l, 'h_more_information'))}</h2>${textToHtml(text.moreInformation)}
<h3>${esc(t(l, 'h_contact'))}</h3>${contactHtml(frame, content.contact, text)}</section>`;
  return layout(frame, { title: text.title, body, path: `/n/${frame.slug}` });
}

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'textarea';
  value?: string;
  hint?: string;
  error?: string;
  autocomplete?: string;
  maxLength: number;
  required?: boolean;
}

export function fieldHtml(field: FormField): string {
  const hintId = field.hint ? `${field.name}-hint` : '';
  const errorId = field.error ? `${field.name}-error` : '';
  const described = [hintId, errorId].filter(Boolean).join(' ');
  const common = `id="${field.name}" name="${field.name}" maxlength="${field.maxLength}"${
    field.required ? ' required' : ''
  }${described ? ` aria-describedby="${described}"` : ''}${field.error ? ' aria-invalid="true"' : ''}${
    field.autocomplete ? ` autocomplete="${field.autocomplete}"` : ''
  }`;
  const control =
    field.type === 'textarea'
      ? `<textarea ${common}>${esc(field.value ?? '')}</textarea>`
      : `<input type="${field.type}" ${common} value="${esc(field.value ?? '')}">`;
  return `<label for="${field.name}">${esc(field.label)}</label>${
    field.hint ? `<p class="hint" id="${hintId}">${esc(field.hint)}</p>` : ''
  }${field.error ? `<p class="error-text" id="${errorId}">${esc(field.error)}</p>` : ''}${control}`;
}

export function formHtml(options: {
  action: string;
  token: string;
  fields: string;
  button: string;
  challenge?: { value: string; bits: number } | undefined;
  locale: SiteLocale;
}): string {
  const challenge = options.challenge
    ? `<div class="notice" data-challenge="${esc(options.challenge.value)}" data-bits="${options.challenge.bits}"><p><strong>${esc(
        t(options.locale, 'challenge_title'),
      )}</strong> ${esc(t(options.locale, 'challenge_text'))}</p><input type="hidden" name="pow" value=""><p class="hint" role="status" aria-live="polite"></p></div><script src="/n/_assets/challenge.js" defer></script>`
    : '';
  return `<form method="post" action="${esc(options.action)}" accept-charset="utf-8">
<input type="hidden" name="form" value="${esc(options.token)}">
${options.fields}
${challenge}
<p><button type="submit">${esc(options.button)}</button></p>
</form>`;
}

export function messageBox(kind: 'ok' | 'error' | 'info', title: string, text: string): string {
  return `<div class="notice${kind === 'info' ? '' : ` ${kind}`}" role="${kind === 'error' ? 'alert' : 'status'}"><p><strong>${esc(
    title,
  )}</strong></p><p>${esc(text)}</p></div>`;
}

export function backLink(frame: SiteFrame): string {
  return `<p><a href="/n/${frame.slug}">${esc(t(frame.locale, 'back_to_notice'))}</a></p>`;
}
