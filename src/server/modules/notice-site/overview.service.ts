import type { NoticeOverview, SiteLocale } from '../../../shared/contracts/notice-site.ts';
import { companyNameUnsetWarning } from '../../platform/settings/branding.ts';
import { type Deps, noticeIncident } from './notice.deps.ts';
import { updateOf, versionOf, versionSummary } from './notice-view.ts';
import { selfContainedPreview } from './preview-page.ts';
import { renderNoticePage } from './render.ts';
import { frameFor, localesOf, publishedUpdates, readBranding } from './site.ts';
import { listUpdates } from './updates.repository.ts';
import { listVersions } from './versions.repository.ts';
import { getVersion, withConsistency } from './versions.service.ts';

/** What the console's notice page shows: the address, the versions, the pending one, updates, a preview. */

export async function overview(deps: Deps, incidentId: string): Promise<NoticeOverview> {
  const incident = await noticeIncident(deps.db, incidentId);
  const rows = await listVersions(deps.db, incidentId);
  const updates = await listUpdates(deps.db, incidentId);
  const published = rows.find((r) => r.status === 'published');
  const pending = rows.find((r) => r.status === 'draft' || r.status === 'approved');
  const branding = await readBranding(deps.db);
  return {
    warnings: branding.isCompanyNameSet ? [] : [companyNameUnsetWarning],
    slug: incident.slug,
    publicUrl: `${deps.config.noticeUrl}/n/${incident.slug}`,
    canEditSlug: !rows.some((r) => r.published_at !== null),
    published: published ? versionSummary(published) : null,
    pending: pending ? await withConsistency(deps.db, incidentId, versionOf(pending)) : null,
    versions: rows.map(versionSummary),
    updates: updates.map(updateOf),
  };
}

/** The page as the public would see it with this version (a draft included), for the console's preview. */
export async function preview(deps: Deps, incidentId: string, versionId: string, locale: SiteLocale) {
  const incident = await noticeIncident(deps.db, incidentId);
  const v = await getVersion(deps.db, incidentId, versionId);
  const branding = await readBranding(deps.db);
  const locales = localesOf(v.content);
  const chosen = locales.includes(locale) ? locale : v.content.defaultLocale;
  const page = renderNoticePage(
    frameFor(incident.slug, chosen, locales, {
      companyName: branding.companyName,
      primaryColor: branding.primaryColor,
      hasLogo: branding.logo !== null,
    }),
    v.content,
    await publishedUpdates(deps.db, incidentId),
    v.publishedAt ? new Date(v.publishedAt) : new Date(),
  );
  return selfContainedPreview(page, branding);
}
