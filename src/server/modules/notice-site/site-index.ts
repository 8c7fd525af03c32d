import type { Db } from '../../db/database.ts';
import { incidentAddresses } from '../incidents/index.ts';
import { type Contact, type LocaleText, noticeContentSchema, type SiteLocale } from './content.ts';
import { contactHtml, esc, type SiteFrame } from './render.ts';
import { readBranding } from './site.ts';
import { t } from './texts.ts';

/**
 * The company's published notices, for whoever reaches an address that holds none (a mistyped letter, `/n/`):
 * the public 404 page and the site's index offer them, with the company's contact. Only notices published
 * and rendered are listed (what `/n/<slug>` would serve anyway), never an incident without one.
 */
export interface ListedNotice {
  slug: string;
  publishedAt: Date;
  defaultLocale: SiteLocale;
  locales: Partial<Record<SiteLocale, LocaleText>>;
  contact: Contact;
}

/** The notice's own title in the reader's language, else in the language it was written in. */
export function listedTitle(notice: ListedNotice, locale: SiteLocale): string {
  return (notice.locales[locale] ?? notice.locales[notice.defaultLocale])?.title ?? notice.slug;
}

/** What the pages outside any notice show: the company's name, colour and logo, and its notices. */
export interface SiteIndex {
  brand: Pick<SiteFrame, 'companyName' | 'primaryColor' | 'hasLogo'>;
  notices: ListedNotice[];
}

/** Most recently published first; the first one's contact is the company's current one. */
async function loadPublished(db: Db): Promise<ListedNotice[]> {
  const rows = await db
    .selectFrom('notice_sites')
    .innerJoin(incidentAddresses(db).as('address'), 'address.incident_id', 'notice_sites.incident_id')
    .innerJoin('notice_versions', (join) =>
      join
        .onRef('notice_versions.incident_id', '=', 'notice_sites.incident_id')
        .on('notice_versions.status', '=', 'published'),
    )
    .select(['address.slug', 'notice_versions.content', 'notice_versions.published_at'])
    .where('notice_sites.rendered_at', 'is not', null)
    .orderBy('notice_versions.published_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((row) => {
    const content = noticeContentSchema.parse(row.content);
    return {
      slug: row.slug,
      publishedAt: new Date(row.published_at!),
      defaultLocale: content.defaultLocale,
      locales: content.locales,
      contact: content.contact,
    };
  });
}

const REFRESH_MS = 5_000;

/**
 * The index, held in memory and reloaded at most every five seconds: 404s cost no query each (anyone can
 * request random addresses), and a publication or a new brand shows within seconds.
 */
export function createSiteIndex(db: Db) {
  let held: { index: SiteIndex; loadedAt: number } | null = null;
  let loading: Promise<SiteIndex> | null = null;
  const load = async (): Promise<SiteIndex> => {
    const [branding, notices] = await Promise.all([readBranding(db), loadPublished(db)]);
    return {
      brand: {
        companyName: branding.companyName,
        primaryColor: branding.primaryColor,
        hasLogo: branding.logo !== null,
      },
      notices,
    };
  };
  return {
    async get(): Promise<SiteIndex> {
      if (held && Date.now() - held.loadedAt < REFRESH_MS) return held.index;
      loading ??= load().then(
        (index) => {
          held = { index, loadedAt: Date.now() };
          loading = null;
          return index;
        },
        (error: unknown) => {
          loading = null;
          throw error;
        },
      );
      return loading;
    },
  };
}

/**
 * The published notices (one: a button to it; several: a list, newest first) and how to reach the company
 * (the contact of the newest notice). Every link goes to a page that exists.
 */
export function siteIndexHtml(frame: SiteFrame, notices: readonly ListedNotice[]): string {
  const l = frame.locale;
  const [latest] = notices;
  if (!latest) return `<p>${esc(t(l, 'notices_none'))}</p>`;
  const list =
    notices.length === 1
      ? `<p>${esc(t(l, 'notices_one'))}</p><p><a class="button" href="/n/${esc(latest.slug)}">${esc(listedTitle(latest, l))}</a></p>`
      : `<p>${esc(t(l, 'notices_many'))}</p><ul>${notices
          .map((n) => `<li><a href="/n/${esc(n.slug)}">${esc(listedTitle(n, l))}</a></li>`)
          .join('')}</ul>`;
  const text = latest.locales[l] ?? latest.locales[latest.defaultLocale];
  const contact = text ? contactHtml({ ...frame, slug: latest.slug }, latest.contact, text) : '';
  return `${list}${contact ? `<h2>${esc(t(l, 'h_contact'))}</h2>${contact}` : ''}`;
}
