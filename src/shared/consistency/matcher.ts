import { type Category, categories } from '../taxonomy.ts';
import {
  categoryNames,
  categoryPhrases,
  clauseBreaks,
  conditionalWords,
  exposureStems,
  fillerWords,
  hedgePhrases,
  negationWords,
  type WordLocale,
} from './category-words.ts';

/**
 * The word matching under the consistency check: text is compared without case, accents or apostrophes
 * ("wasn’t" reads as "wasnt", "contraseña" as "contrasena"), so every list is normalized the same way.
 */
export interface CompanyWords {
  /** Extra phrases per category and locale, added to the built-in ones. */
  phrases?: Partial<Record<Category, Partial<Record<WordLocale, readonly string[]>>>> | undefined;
  /** Extra words or phrases that deny, per locale. */
  negations?: Partial<Record<WordLocale, readonly string[]>> | undefined;
}

export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`´']/g, '');
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordsOf = (phrase: string) =>
  normalize(phrase)
    .split(/[\s-]+/)
    .map((w) => w.replace(/[^a-z0-9]/g, ''))
    .filter((w) => w !== '');

/** A regex source matching any of the phrases as whole words (`\s+` between their words). */
function anyPhrase(phrases: readonly string[], { prefix = false } = {}): RegExp | null {
  const sources = phrases
    .map(wordsOf)
    .filter((w) => w.length > 0)
    .map((w) => w.map(escapeRegex).join('[\\s-]+'));
  if (sources.length === 0) return null;
  return new RegExp(`(?<![a-z0-9])(?:${sources.join('|')})${prefix ? '' : '(?![a-z0-9])'}`);
}

/** "numbers" and "number", "direcciones" and "dirección": a word's plural ending is optional both ways. */
function singularOrPlural(word: string): string {
  const stems = new Set([word]);
  if (word.length >= 5 && word.endsWith('s')) stems.add(word.slice(0, -1));
  if (word.length >= 5 && word.endsWith('es')) stems.add(word.slice(0, -2));
  const alternatives = [...stems].map(escapeRegex).join('|');
  return `(?:${alternatives})(?:s|es)?`;
}

interface Matcher {
  phrases: Array<{ category: Category; regex: RegExp }>;
  negation: RegExp | null;
  stem: RegExp | null;
  hedge: RegExp | null;
  conditional: RegExp | null;
  clauseBreak: RegExp;
}

const cache = new Map<string, Matcher>();

export function matcherFor(locale: WordLocale, words: CompanyWords = {}): Matcher {
  const key = `${locale}:${JSON.stringify(words)}`;
  const known = cache.get(key);
  if (known) return known;
  const filler = `(?:[\\s-]+(?:(?:${fillerWords[locale].map(escapeRegex).join('|')})[\\s-]+)?)`;
  const phrases = categories.flatMap((category) => {
    const list = [
      categoryNames[category][locale],
      ...categoryPhrases[category][locale],
      ...(words.phrases?.[category]?.[locale] ?? []),
    ];
    return list.flatMap((phrase) => {
      const w = wordsOf(phrase);
      if (w.length === 0) return [];
      // Each word in the singular or plural; an article or possessive may sit between two words.
      const source = w.map(singularOrPlural).join(filler);
      return [{ category, regex: new RegExp(`(?<![a-z0-9])${source}(?![a-z0-9])`, 'g') }];
    });
  });
  const matcher: Matcher = {
    phrases,
    negation: anyPhrase([...negationWords[locale], ...(words.negations?.[locale] ?? [])]),
    stem: anyPhrase(exposureStems[locale], { prefix: true }),
    hedge: anyPhrase(hedgePhrases[locale]),
    conditional: anyPhrase(conditionalWords[locale]),
    clauseBreak: new RegExp(
      `[;:]|,?\\s*(?<![a-z0-9])(?:${clauseBreaks[locale].map((w) => wordsOf(w).join('\\s+')).join('|')})(?![a-z0-9])`,
    ),
  };
  if (cache.size > 50) cache.clear();
  cache.set(key, matcher);
  return matcher;
}

/**
 * The categories a normalized text names. Matches are taken longest first and may not overlap, so
 * "nombre de usuario" is a username and not also a name.
 */
export function mentionsIn(normalized: string, matcher: Matcher): Category[] {
  const found: Array<{ start: number; end: number; category: Category }> = [];
  for (const { category, regex } of matcher.phrases) {
    regex.lastIndex = 0;
    for (const m of normalized.matchAll(regex)) {
      found.push({ start: m.index, end: m.index + m[0].length, category });
    }
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: Array<[number, number]> = [];
  const result = new Set<Category>();
  for (const f of found) {
    if (taken.some(([s, e]) => f.start < e && s < f.end)) continue;
    taken.push([f.start, f.end]);
    result.add(f.category);
  }
  return categories.filter((c) => result.has(c));
}

/** Whether a normalized clause denies exposure: a negation and an exposure word, not a hedge or a condition. */
export function isDenial(clause: string, matcher: Matcher): boolean {
  return (
    (matcher.negation?.test(clause) ?? false) &&
    (matcher.stem?.test(clause) ?? false) &&
    !(matcher.hedge?.test(clause) ?? false) &&
    !(matcher.conditional?.test(clause) ?? false)
  );
}

export function clausesOf(normalizedSentence: string, matcher: Matcher): string[] {
  return normalizedSentence.split(matcher.clauseBreak).filter((c) => c.trim() !== '');
}

export function hasExposureWord(normalized: string, matcher: Matcher): boolean {
  return matcher.stem?.test(normalized) ?? false;
}
