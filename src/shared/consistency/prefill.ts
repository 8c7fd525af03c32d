import { type Category, categories } from '../taxonomy.ts';
import { categoryNames, type WordLocale } from './category-words.ts';
import type { Exposure } from './check.ts';

/**
 * The "What information was involved" section written from the measured exposure: every exposed category
 * with how many people it concerns, most common first, in the notice's language. Comms edits it from there;
 * starting from the data means the first draft cannot leave out what the import found.
 */
const words: Record<
  WordLocale,
  {
    measured: (people: string) => string;
    entered: string;
    everyone: (people: string) => string;
    count: (n: string, pct: string) => string;
    close: string;
  }
> = {
  en: {
    measured: (people) =>
      `The information involved differs from person to person. Across the ${people} people affected, it included:`,
    entered: 'The information involved may include:',
    everyone: (people) => `all ${people} people`,
    count: (n, pct) => `${n} people, ${pct}`,
    close:
      'Use the check on this page to find out whether your information was involved, and what it included.',
  },
  es: {
    measured: (people) =>
      `La información afectada varía de una persona a otra. Entre las ${people} personas afectadas, incluía:`,
    entered: 'La información afectada puede incluir:',
    everyone: (people) => `las ${people} personas`,
    count: (n, pct) => `${n} personas, ${pct}`,
    close: 'Usa la comprobación de esta página para saber si tu información se vio afectada y cuál.',
  },
};

const numberFormats: Record<WordLocale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-US'),
  es: new Intl.NumberFormat('es-ES', { useGrouping: true }),
};

function percent(share: number, locale: WordLocale): string {
  if (share < 0.01) return locale === 'es' ? 'menos del 1 %' : 'under 1%';
  const n = Math.round(share * 100);
  return locale === 'es' ? `${n} %` : `${n}%`;
}

/** The section's text, or null when nothing is known to be exposed yet. */
export function whatInformationText(exposure: Exposure, locale: WordLocale): string | null {
  const exposed = categories.filter((c) => {
    const n = exposure.counts[c];
    return n === null || (n !== undefined && n > 0);
  });
  if (exposed.length === 0) return null;
  const w = words[locale];
  const fmt = (n: number) => numberFormats[locale].format(n);
  const isMeasured = exposure.people > 0 && exposed.every((c) => typeof exposure.counts[c] === 'number');
  const count = (c: Category) => exposure.counts[c] ?? 0;
  const ordered = isMeasured ? [...exposed].sort((a, b) => count(b) - count(a)) : exposed;
  const lines = ordered.map((c) => {
    const name = categoryNames[c][locale];
    if (!isMeasured) return `- ${name}`;
    const n = count(c);
    const detail =
      n === exposure.people ? w.everyone(fmt(n)) : w.count(fmt(n), percent(n / exposure.people, locale));
    return `- ${name} (${detail})`;
  });
  return [isMeasured ? w.measured(fmt(exposure.people)) : w.entered, ...lines, '', w.close].join('\n');
}
