import { z } from 'zod';
import { wordLocales } from '../consistency/category-words.ts';
import { categories } from '../taxonomy.ts';

/**
 * The consistency check's company settings (Settings → Notice wording) and its findings as the API returns
 * them with notice versions and campaign variants.
 */
const phraseList = z.array(z.string().trim().min(2).max(80)).max(50);
const perLocale = z.object({ en: phraseList.optional(), es: phraseList.optional() }).strict();

export const consistencySettings = z
  .object({
    /** Share of people (0–1) above which an exposed category must be named in a notice. */
    threshold: z.number().min(0).max(1).default(0.05),
    /** Phrases that also name a category, per locale (added to the built-in ones). */
    phrases: z.partialRecord(z.enum(categories), perLocale).default({}),
    /** Words or phrases that also deny, per locale (added to the built-in ones). */
    negations: perLocale.default({}),
  })
  .strict();
export type ConsistencySettings = z.infer<typeof consistencySettings>;
export const defaultConsistencySettings: ConsistencySettings = {
  threshold: 0.05,
  phrases: {},
  negations: {},
};

export const consistencyWarning = z.object({
  kind: z.enum(['denies_exposed', 'not_mentioned']),
  locale: z.enum(wordLocales),
  category: z.enum(categories),
  /** Where the sentence is ("What information was involved", "FAQ 2", "email text"); null: the whole text. */
  where: z.string().nullable(),
  sentence: z.string().nullable(),
  people: z.number().nullable(),
  share: z.number().nullable(),
  message: z.string(),
});
export type ConsistencyWarningDto = z.infer<typeof consistencyWarning>;

/** What the notice editor needs to prefill and to check as comms types. */
export const noticeExposure = z.object({
  /** Where the counts come from: the imported people, the categories entered on the incident, or nothing yet. */
  source: z.enum(['people', 'entered', 'none']),
  people: z.number(),
  categories: z.array(z.object({ category: z.enum(categories), people: z.number().nullable() })),
  settings: consistencySettings,
  /** "What information was involved", written from the counts, per locale (null: nothing known yet). */
  whatInformation: z.object({ en: z.string().nullable(), es: z.string().nullable() }),
});
export type NoticeExposure = z.infer<typeof noticeExposure>;
