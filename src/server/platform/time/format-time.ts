/**
 * Dates and times for people to read (PDFs, printed letters): in the company's time zone (company profile)
 * and the reader's language, never a raw ISO timestamp. Machine formats (JSON, CSV) keep ISO 8601.
 */
export type ReaderLocale = 'en' | 'es';

const intlLocale: Record<ReaderLocale, string> = { en: 'en-US', es: 'es' };

function validZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let found = cache.get(key);
  if (!found) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

/** "January 15, 2026" / "15 de enero de 2026", the calendar day in that zone. */
export function formatDay(at: Date | string, zone: string, locale: ReaderLocale = 'en'): string {
  const timeZone = validZone(zone);
  return formatter(
    `d|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'long', timeZone }),
  ).format(new Date(at));
}

/** "January 15, 2026 at 04:00 EST": the zone's abbreviation (or GMT offset) says which clock it is. */
export function formatMoment(at: Date | string, zone: string, locale: ReaderLocale = 'en'): string {
  const timeZone = validZone(zone);
  return formatter(
    `m|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(intlLocale[locale], {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone,
        timeZoneName: 'short',
      }),
  ).format(new Date(at));
}

/** The reader's language among those we write in: Spanish for `es`, `es-MX`…, else English. */
export function readerLocale(locale: string | null | undefined): ReaderLocale {
  return locale?.toLowerCase().startsWith('es') ? 'es' : 'en';
}
