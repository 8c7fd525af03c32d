import { type Category, categories } from '../taxonomy.ts';
import { categoryNames, type WordLocale } from './category-words.ts';
import {
  type CompanyWords,
  clausesOf,
  hasExposureWord,
  isDenial,
  matcherFor,
  mentionsIn,
  normalize,
} from './matcher.ts';

/**
 * The consistency check: does what we tell people agree with the data? Pure, so the notice editor runs it as
 * comms types and the server runs the same code when legal approves. Two findings, per language:
 * - a sentence denies a category the data shows exposed ("It did not hold full payment card numbers." while
 *   446 people had their card exposed), named with the sentence and where it is;
 * - a category exposed for more than the company's share of people (default 5 %) is never mentioned.
 * Heuristics, tuned to be quiet on what notices normally say: a negation needs an exposure word in the same
 * clause ("we will never ask for your card number" is not a denial), and questions, conditions ("if your
 * card was not involved") and statements about evidence ("no evidence that cards were misused") are not read
 * as denials.
 */
export interface Exposure {
  /** People in the incident; 0 when the exposure comes from the incident record alone. */
  people: number;
  /** People exposed per category; null: the incident record lists it as exposed, count unknown. */
  counts: Partial<Record<Category, number | null>>;
}

export interface TextPart {
  /** Where the text is, in the words the console uses ("What information was involved", "FAQ 2"). */
  where: string;
  text: string;
  /** For an FAQ answer: its question, whose categories a short answer ("No.") is about. */
  question?: string | undefined;
}

export interface CheckInput {
  locale: WordLocale;
  parts: TextPart[];
  exposure: Exposure;
  /** Share of people (0–1) above which an exposed category must be mentioned. */
  threshold: number;
  words?: CompanyWords | undefined;
  /** False where the text is not meant to list what leaked (an SMS) or lists it per person by itself. */
  checkMentions?: boolean | undefined;
  /** Which message the text is, when there are several ("email", "letter"): named in "never mentions". */
  scope?: string | undefined;
}

export type ConsistencyKind = 'denies_exposed' | 'not_mentioned';

export interface ConsistencyWarning {
  kind: ConsistencyKind;
  locale: WordLocale;
  category: Category;
  where: string | null;
  sentence: string | null;
  people: number | null;
  share: number | null;
  message: string;
}

export const languageNames: Record<WordLocale, string> = { en: 'English', es: 'Spanish' };

export function formatShare(share: number): string {
  if (share > 0 && share < 0.005) return 'under 1%';
  return `${Math.round(share * 100)}%`;
}

interface Sentence {
  text: string;
  /** Categories denied by the line this bullet sits under ("It did not contain:"), if any. */
  deniedByLead: Category[] | null;
}

/** Sentences of a plain text (lines, bullets, then . ! ?), each bullet knowing the line it sits under. */
function sentencesOf(text: string, mentionsOf: (s: string) => Category[], denies: (s: string) => boolean) {
  const out: Sentence[] = [];
  let lead: { denies: boolean } | null = null;
  for (const rawLine of text.split(/\n+/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const bullet = /^[-*•]\s+/.exec(line);
    const body = bullet ? line.slice(bullet[0].length) : line;
    if (!bullet) lead = /:\s*$/.test(body) ? { denies: denies(body) } : null;
    const sentences = body.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== '');
    for (const s of sentences) {
      out.push({
        text: s.trim(),
        deniedByLead: bullet && lead?.denies ? mentionsOf(s) : null,
      });
    }
  }
  return out;
}

const isQuestion = (s: string) => /\?\s*$/.test(s) || /^\s*¿/.test(s);

export function checkConsistency(input: CheckInput): ConsistencyWarning[] {
  const { locale, exposure } = input;
  const matcher = matcherFor(locale, input.words);
  const mentionsOf = (s: string) => mentionsIn(normalize(s), matcher);
  const denies = (s: string) =>
    !isQuestion(s) && clausesOf(normalize(s), matcher).some((c) => isDenial(c, matcher));
  const exposed = (c: Category) => {
    const n = exposure.counts[c];
    return n === null || (n !== undefined && n > 0);
  };
  const mentioned = new Set<Category>();
  const denials = new Map<string, ConsistencyWarning>();
  const deny = (category: Category, where: string, sentence: string) => {
    if (!exposed(category)) return;
    const key = `${category}\u0000${where}\u0000${sentence}`;
    if (!denials.has(key)) denials.set(key, denialWarning(input, category, where, sentence));
  };

  for (const part of input.parts) {
    const asked = part.question ? mentionsOf(part.question) : [];
    const askedAboutExposure = part.question ? hasExposureWord(normalize(part.question), matcher) : false;
    for (const c of asked) mentioned.add(c);
    const sentences = sentencesOf(part.text, mentionsOf, denies);
    for (const [i, sentence] of sentences.entries()) {
      const normalized = normalize(sentence.text);
      for (const c of mentionsIn(normalized, matcher)) mentioned.add(c);
      for (const c of sentence.deniedByLead ?? []) deny(c, part.where, sentence.text);
      if (isQuestion(sentence.text)) continue;
      // "Was my payment card exposed?" — "No." The answer's first word denies what the question asks about.
      if (i === 0 && askedAboutExposure && /^no(?![a-z0-9])/.test(normalized)) {
        for (const c of asked) deny(c, part.where, sentence.text);
      }
      for (const clause of clausesOf(normalized, matcher)) {
        if (!isDenial(clause, matcher)) continue;
        const named = mentionsIn(clause, matcher);
        // "The backup did not contain full numbers." answers a question about payment cards.
        for (const c of named.length > 0 ? named : asked) deny(c, part.where, sentence.text);
      }
    }
  }

  const warnings = [...denials.values()];
  if (input.checkMentions !== false) {
    const missing = categories
      .filter((c) => exposed(c) && !mentioned.has(c))
      .map((c) => ({ c, share: shareOf(exposure, c) }))
      .filter(({ share }) => share === null || share > input.threshold)
      .sort((a, b) => (b.share ?? 1) - (a.share ?? 1));
    for (const { c } of missing) warnings.push(missingWarning(input, c));
  }
  return warnings;
}

function shareOf(exposure: Exposure, category: Category): number | null {
  const n = exposure.counts[category];
  if (n === null || n === undefined || exposure.people === 0) return null;
  return n / exposure.people;
}

function extent(exposure: Exposure, category: Category): string {
  const n = exposure.counts[category];
  const share = shareOf(exposure, category);
  if (n === null || n === undefined || share === null) return 'listed as exposed in the incident record';
  return `exposed for ${n.toLocaleString('en-US')} of ${exposure.people.toLocaleString('en-US')} people (${formatShare(share)})`;
}

function denialWarning(input: CheckInput, category: Category, where: string, sentence: string) {
  const name = categoryNames[category].en;
  const quoted = sentence.length > 240 ? `${sentence.slice(0, 237)}…` : sentence;
  return {
    kind: 'denies_exposed' as const,
    locale: input.locale,
    category,
    where,
    sentence: quoted,
    people: input.exposure.counts[category] ?? null,
    share: shareOf(input.exposure, category),
    message: `${languageNames[input.locale]}, ${where}: “${quoted}” reads as saying ${name} were not exposed, but they were: ${extent(input.exposure, category)}.`,
  };
}

function missingWarning(input: CheckInput, category: Category): ConsistencyWarning {
  const share = shareOf(input.exposure, category);
  return {
    kind: 'not_mentioned',
    locale: input.locale,
    category,
    where: input.scope ?? null,
    sentence: null,
    people: input.exposure.counts[category] ?? null,
    share,
    message: `${languageNames[input.locale]}${input.scope ? `, ${input.scope}` : ''}: the text never mentions ${categoryNames[category].en}, ${extent(input.exposure, category)}${share === null ? '' : `; every category above ${formatShare(input.threshold)} should be named`}.`,
  };
}
