import type { WordLocale } from './category-words.ts';
import { type CheckInput, type ConsistencyWarning, checkConsistency, type Exposure } from './check.ts';
import type { CompanyWords } from './matcher.ts';

/**
 * The public notice as the consistency check reads it: each section under the heading the console shows,
 * and each FAQ answer with its question. Shared so the editor (as comms types) and the server (when legal
 * approves) find the same things.
 */
export interface NoticeText {
  title: string;
  summary: string;
  whatHappened: string;
  whatInformation: string;
  whatWeAreDoing: string;
  whatYouCanDo: string;
  moreInformation: string;
  faq: ReadonlyArray<{ question: string; answer: string }>;
}

const sections: ReadonlyArray<[keyof Omit<NoticeText, 'faq'>, string]> = [
  ['title', 'Title'],
  ['summary', 'Summary'],
  ['whatHappened', 'What happened'],
  ['whatInformation', 'What information was involved'],
  ['whatWeAreDoing', 'What we are doing'],
  ['whatYouCanDo', 'What you can do'],
  ['moreInformation', 'For more information'],
];

export function noticeTextParts(text: NoticeText): CheckInput['parts'] {
  return [
    ...sections.map(([key, where]) => ({ where, text: text[key] })),
    ...text.faq.flatMap((entry, i) => [
      { where: `FAQ ${i + 1} (question)`, text: entry.question },
      { where: `FAQ ${i + 1}`, text: entry.answer, question: entry.question },
    ]),
  ];
}

/** Every language of a notice, checked against one exposure. */
export function checkNoticeText(
  locales: Partial<Record<WordLocale, NoticeText>>,
  exposure: Exposure,
  settings: { threshold: number } & CompanyWords,
): ConsistencyWarning[] {
  return (Object.entries(locales) as Array<[WordLocale, NoticeText | undefined]>).flatMap(([locale, text]) =>
    text
      ? checkConsistency({
          locale,
          parts: noticeTextParts(text),
          exposure,
          threshold: settings.threshold,
          words: { phrases: settings.phrases, negations: settings.negations },
        })
      : [],
  );
}
