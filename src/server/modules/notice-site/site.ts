import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import { readBranding } from '../../platform/settings/branding.ts';
import { incidentAddresses, incidentSlug } from '../incidents/index.ts';
import {
  type NoticeContent,
  noticeContentSchema,
  type SiteLocale,
  siteLocales,
  type UpdateContent,
  updateContentSchema,
} from './content.ts';
import { renderFeed } from './feed.ts';
import { type PublishedUpdate, renderNoticePage, type SiteFrame } from './render.ts';

/**
 * The published site of each incident: rendered once when something is published (the notice, an update,
 * new branding) into `notice_sites`, and served from memory. Each process checks the render version at most
 * once a second (one indexed query, made by the first request after that second), so a publication by any
 * process shows on the next request and nearly every request is served without a query.
 */
export { readBranding, writeBranding } from '../../platform/settings/branding.ts';

export interface PublishedSite {
  incidentId: string;
  slug: string;
  renderVersion: number;
  locales: SiteLocale[];
  defaultLocale: SiteLocale;
  content: NoticeContent;
  /** Locale → the page and its ETag. */
  pages: Partial<Record<SiteLocale, { html: string; etag: string }>>;
  feed: string;
  publishedAt: Date;
  branding: { companyName: string; primaryColor: string; hasLogo: boolean };
}

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

export function localesOf(content: NoticeContent): SiteLocale[] {
  return siteLocales.filter((l) => content.locales[l] !== undefined);
}

export function frameFor(
  slug: string,
  locale: SiteLocale,
  locales: readonly SiteLocale[],
  branding: { companyName: string; primaryColor: string; hasLogo: boolean },
): SiteFrame {
  return { slug, locale, locales, ...branding };
}

export async function publishedUpdates(db: Executor, incidentId: string): Promise<PublishedUpdate[]> {
  const rows = await db
    .selectFrom('notice_updates')
    .select(['id', 'published_at', 'content'])
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    publishedAt: new Date(r.published_at!),
    content: updateContentSchema.parse(r.content) as UpdateContent,
  }));
}

/**
 * Renders the incident's published notice (every locale) and feed into `notice_sites`, in the caller's
 * transaction. Does nothing when no version is published yet.
 */
export async function renderSite(tx: Executor, incidentId: string, noticeUrl: string): Promise<boolean> {
  const slug = await incidentSlug(tx, incidentId, { lock: false });
  if (slug === undefined) throw new Error(`renderSite: no incident ${incidentId}`);
  const published = await tx
    .selectFrom('notice_versions')
    .select(['content', 'published_at'])
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (!published) return false;
  const content = noticeContentSchema.parse(published.content);
  const branding = await readBranding(tx);
  const brand = {
    companyName: branding.companyName,
    primaryColor: branding.primaryColor,
    hasLogo: branding.logo !== null,
  };
  const updates = await publishedUpdates(tx, incidentId);
  const publishedAt = new Date(published.published_at!);
  const locales = localesOf(content);
  const pages: Record<string, string> = {};
  for (const locale of locales) {
    pages[locale] = renderNoticePage(frameFor(slug, locale, locales, brand), content, updates, publishedAt);
  }
  const feed = renderFeed({
    incidentId,
    noticeUrl,
    slug,
    companyName: branding.companyName,
    content,
    updates,
    publishedAt,
  });
  await sql`
    INSERT INTO notice_sites (incident_id, pages, feed, render_version, rendered_at)
    VALUES (${incidentId}, ${JSON.stringify(pages)}::jsonb, ${feed}, 1, now())
    ON CONFLICT (incident_id) DO UPDATE SET pages = EXCLUDED.pages, feed = EXCLUDED.feed,
      render_version = notice_sites.render_version + 1, rendered_at = now()`.execute(tx);
  return true;
}

/** Re-renders every published site (after a branding change). */
export async function renderAllSites(tx: Executor, noticeUrl: string): Promise<number> {
  const rows = await tx
    .selectFrom('notice_versions')
    .select('incident_id')
    .where('status', '=', 'published')
    .execute();
  for (const row of rows) await renderSite(tx, row.incident_id, noticeUrl);
  return rows.length;
}

const REVALIDATE_MS = 1_000;

export function createSiteCache(db: Db) {
  const entries = new Map<string, { site: PublishedSite | null; checkedAt: number; refreshing: boolean }>();

  async function load(slug: string, known: PublishedSite | null): Promise<PublishedSite | null> {
    const head = await db
      .selectFrom('notice_sites')
      .innerJoin(incidentAddresses(db).as('address'), 'address.incident_id', 'notice_sites.incident_id')
      .select(['notice_sites.incident_id as id', 'notice_sites.render_version'])
      .where('address.slug', '=', slug)
      .where('notice_sites.rendered_at', 'is not', null)
      .executeTakeFirst();
    if (!head) return null;
    if (known && known.incidentId === head.id && known.renderVersion === head.render_version) return known;
    const row = await db
      .selectFrom('notice_sites')
      .innerJoin('notice_versions', (join) =>
        join
          .onRef('notice_versions.incident_id', '=', 'notice_sites.incident_id')
          .on('notice_versions.status', '=', 'published'),
      )
      .select([
        'notice_sites.pages',
        'notice_sites.feed',
        'notice_sites.render_version',
        'notice_versions.content',
        'notice_versions.published_at',
      ])
      .where('notice_sites.incident_id', '=', head.id)
      .executeTakeFirst();
    if (!row) return null;
    const content = noticeContentSchema.parse(row.content);
    const branding = await readBranding(db);
    const pages: PublishedSite['pages'] = {};
    for (const [locale, html] of Object.entries(row.pages as Record<string, string>)) {
      pages[locale as SiteLocale] = { html, etag: etagOf(html) };
    }
    return {
      incidentId: head.id,
      slug,
      renderVersion: row.render_version,
      locales: localesOf(content),
      defaultLocale: content.defaultLocale,
      content,
      pages,
      feed: row.feed ?? '',
      publishedAt: new Date(row.published_at!),
      branding: {
        companyName: branding.companyName,
        primaryColor: branding.primaryColor,
        hasLogo: branding.logo !== null,
      },
    };
  }

  return {
    /** The published site for a slug, or null. A memory hit unless this slug was never seen. */
    async get(slug: string): Promise<PublishedSite | null> {
      const entry = entries.get(slug);
      const now = Date.now();
      if (entry) {
        // Stale: the one request that notices reloads (one indexed query when nothing changed) and waits,
        // so a publication by another process shows on the next request; the others keep being served.
        if (now - entry.checkedAt > REVALIDATE_MS && !entry.refreshing) {
          entry.refreshing = true;
          try {
            const site = await load(slug, entry.site);
            entries.set(slug, { site, checkedAt: Date.now(), refreshing: false });
            return site;
          } catch (error) {
            entry.refreshing = false;
            throw error;
          }
        }
        return entry.site;
      }
      const site = await load(slug, null);
      // Unknown slugs are not remembered (a flood of random slugs must not grow the map).
      if (site) entries.set(slug, { site, checkedAt: now, refreshing: false });
      return site;
    },
    /** Forgets what this process holds (after it published something itself). */
    invalidate(slug?: string) {
      if (slug) entries.delete(slug);
      else entries.clear();
    },
  };
}
export type SiteCache = ReturnType<typeof createSiteCache>;
