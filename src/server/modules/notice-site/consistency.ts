import type { ConsistencyWarning, Exposure } from '../../../shared/consistency/check.ts';
import { checkNoticeText } from '../../../shared/consistency/notice-parts.ts';
import { whatInformationText } from '../../../shared/consistency/prefill.ts';
import type { NoticeExposure } from '../../../shared/contracts/consistency.ts';
import { categories } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { readConsistencySettings } from '../../platform/settings/consistency.ts';
import { incidentPublicFacts } from '../incidents/index.ts';
import { peopleStats } from '../people/index.ts';
import type { NoticeContent } from './content.ts';

/**
 * What the notice must agree with: the incident's measured exposure (people per category, from the
 * people module's counts), or, before any import, the categories entered on the incident. Feeds the
 * "What information was involved" prefill and the consistency check legal sees before approving.
 */
export async function exposureOf(
  db: Executor,
  incidentId: string,
): Promise<{ source: NoticeExposure['source']; exposure: Exposure }> {
  const facts = await incidentPublicFacts(db, incidentId);
  if (!facts) throw notFound('The incident');
  const stats = await peopleStats(db, incidentId);
  if (stats.people > 0) {
    return { source: 'people', exposure: { people: stats.people, counts: stats.byCategory } };
  }
  if (facts.categoriesEntered.length > 0) {
    return {
      source: 'entered',
      exposure: { people: 0, counts: Object.fromEntries(facts.categoriesEntered.map((c) => [c, null])) },
    };
  }
  return { source: 'none', exposure: { people: 0, counts: {} } };
}

export async function noticeExposure(db: Executor, incidentId: string): Promise<NoticeExposure> {
  const [{ source, exposure }, settings] = await Promise.all([
    exposureOf(db, incidentId),
    readConsistencySettings(db),
  ]);
  return {
    source,
    people: exposure.people,
    categories: categories
      .filter((c) => exposure.counts[c] !== undefined)
      .map((c) => ({ category: c, people: exposure.counts[c] ?? null })),
    settings,
    whatInformation: { en: whatInformationText(exposure, 'en'), es: whatInformationText(exposure, 'es') },
  };
}

/** What the notice's texts say that the data contradicts, every language. */
export async function checkNotice(
  db: Executor,
  incidentId: string,
  content: NoticeContent,
): Promise<ConsistencyWarning[]> {
  const [{ exposure }, settings] = await Promise.all([
    exposureOf(db, incidentId),
    readConsistencySettings(db),
  ]);
  return checkNoticeText(content.locales, exposure, settings);
}
