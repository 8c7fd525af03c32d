import sentiment from 'wink-sentiment';

/**
 * What a new message is about and how urgent it is: topics from the rules (any keyword, matched on word
 * boundaries, case- and accent-insensitively), sentiment from wink-sentiment (AFINN-style lexicon, emoji
 * aware; English, so Spanish scores near neutral), and a priority that combines them:
 * 10 + the topics' weights (at most 60) + up to 30 for a clearly unhappy message.
 */
export interface Rule {
  topic: string;
  keywords: string[];
  weight: number;
  dsrKind: 'access' | 'deletion' | null;
}

export interface Classification {
  topics: string[];
  sentiment: number;
  priority: number;
  dsrKind: 'access' | 'deletion' | null;
}

export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiled matchers, cached per keyword list (rules change rarely, messages arrive in surges). */
const matchers = new Map<string, RegExp>();
function matcherFor(keywords: readonly string[]): RegExp {
  const key = keywords.join('\u0000');
  let matcher = matchers.get(key);
  if (!matcher) {
    const alternatives = keywords
      .map((k) => fold(k).trim())
      .filter(Boolean)
      .map((k) => escapeRegExp(k).replace(/\s+/g, '\\s+'));
    matcher = new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${alternatives.join('|')})(?=$|[^\\p{L}\\p{N}])`, 'u');
    if (matchers.size > 500) matchers.clear();
    matchers.set(key, matcher);
  }
  return matcher;
}

export function classify(text: string, rules: readonly Rule[]): Classification {
  const folded = fold(text);
  const matched = rules.filter((r) => r.keywords.length > 0 && matcherFor(r.keywords).test(folded));
  const score = text.trim() ? sentiment(text.slice(0, 5_000)).normalizedScore : 0;
  const weights = Math.min(
    60,
    matched.reduce((sum, r) => sum + r.weight, 0),
  );
  const unhappiness = score < 0 ? Math.min(30, Math.round(-score * 10)) : 0;
  return {
    topics: matched.map((r) => r.topic),
    sentiment: Math.round(score * 100) / 100,
    priority: Math.min(100, 10 + weights + unhappiness),
    dsrKind: matched.find((r) => r.dsrKind)?.dsrKind ?? null,
  };
}
