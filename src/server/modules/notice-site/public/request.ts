import type { FastifyRequest } from 'fastify';
import type { SiteLocale } from '../content.ts';

/** What the public pages read from a request: the reader's language, form fields, validators, PII in URLs. */

/** Query parameters that hold personal data, or values that look like it: refused, never logged. */
const PII_KEYS = /^(identifier|email|e-mail|mail|phone|tel|mobile|name|code|token|ssn|address|dob)$/i;

export function looksLikePii(query: Record<string, unknown>): boolean {
  for (const key in query) {
    const value = query[key];
    if (PII_KEYS.test(key)) return true;
    if (typeof value === 'string' && (/@/.test(value) || /(\d[\s().-]*){7,}/.test(value))) return true;
  }
  return false;
}

/**
 * Primary language tags of an Accept-Language header, best first (q=0 dropped). Browsers send a handful of
 * distinct headers, so the ranking is kept for the last few hundred seen: the notice page, which is served
 * from memory, would otherwise spend a good part of its time parsing this header.
 */
const rankedByHeader = new Map<string, readonly string[]>();
const RANKED_KEPT = 256;

function rankedLanguages(header: string): readonly string[] {
  const known = rankedByHeader.get(header);
  if (known) return known;
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
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.lang);
  if (header.length <= 200) {
    if (rankedByHeader.size >= RANKED_KEPT) rankedByHeader.clear();
    rankedByHeader.set(header, ranked);
  }
  return ranked;
}

/** `?lang=` or the form's `lang` when the site has it, else the best of Accept-Language, else `fallback`. */
export function pickLocale(
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
    for (const lang of rankedLanguages(header)) {
      if ((available as readonly string[]).includes(lang)) return lang as SiteLocale;
    }
  }
  return fallback;
}

/** If-None-Match with weak comparison (RFC 9110 §13.1.2): a list, `W/` prefixes (proxies that compress) or `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/** A form field as a string ('' when missing or not a string). */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
