import { type WordLocale, wordLocales } from '../../../shared/consistency/category-words.ts';
import {
  type ConsistencyWarning,
  checkConsistency,
  type Exposure,
} from '../../../shared/consistency/check.ts';
import { variantLocaleContent } from '../../../shared/contracts/campaigns.ts';
import type { ConsistencySettings } from '../../../shared/contracts/consistency.ts';
import { stripHtml } from './templates/index.ts';

/**
 * The consistency check over a variant's templates, against the exposure of the people the variant reaches:
 * a sentence that denies what they had exposed, and, in an email or letter that does not list each person's
 * own exposure (`person.exposed`), a category most of them had exposed that the text never names. An SMS is
 * checked for denials only: it is too short to list anything and links to the details.
 */
const stripLiquid = (source: string) =>
  source.replace(/\{\{[\s\S]*?\}\}/g, '').replace(/\{%[\s\S]*?%\}/g, '\n');
const listsEachPersonsExposure = (source: string) => /\bperson\.exposed(_categories)?\b/.test(source);

export function variantConsistency(
  content: Record<string, unknown>,
  exposure: Exposure,
  settings: ConsistencySettings,
): ConsistencyWarning[] {
  const found = new Map<string, ConsistencyWarning>();
  const words = { phrases: settings.phrases, negations: settings.negations };
  for (const [locale, raw] of Object.entries(content)) {
    if (!(wordLocales as readonly string[]).includes(locale)) continue;
    const parsed = variantLocaleContent.safeParse(raw);
    if (!parsed.success) continue;
    const c = parsed.data;
    const messages: Array<{ scope: string; sources: Array<[string, string]>; isList: boolean }> = [];
    if (c.email) {
      messages.push({
        scope: 'email',
        sources: [
          ['email subject', c.email.subject],
          ['email text', c.email.text],
          ['email HTML', stripHtml(stripLiquid(c.email.html))],
        ],
        isList: true,
      });
    }
    if (c.sms) messages.push({ scope: 'SMS', sources: [['SMS', c.sms.text]], isList: false });
    if (c.letter) messages.push({ scope: 'letter', sources: [['letter', c.letter.text]], isList: true });
    for (const m of messages) {
      const warnings = checkConsistency({
        locale: locale as WordLocale,
        parts: m.sources.map(([where, text]) => ({ where, text: stripLiquid(text) })),
        exposure,
        threshold: settings.threshold,
        words,
        scope: m.scope,
        checkMentions: m.isList && !m.sources.some(([, text]) => listsEachPersonsExposure(text)),
      });
      // The same sentence in the email's text and HTML is one finding.
      for (const w of warnings) {
        const key = `${w.locale}:${w.kind}:${w.category}:${w.sentence ?? w.where}`;
        if (!found.has(key)) found.set(key, w);
      }
    }
  }
  return [...found.values()];
}
