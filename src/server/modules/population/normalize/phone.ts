import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phones to E.164 with libphonenumber-js, reading national numbers in the record's country (or the
 * import's default country). Accepts numbers that are possible for their country (length and prefix), not
 * only those in currently assigned ranges, so a leaked number is never dropped for being unusual. Parsing
 * is the slowest step of normalization and the same number recurs across a person's records, so results
 * are memoized in a bounded cache.
 */
const CACHE_LIMIT = 50_000;
const cache = new Map<string, string | null>();

export function normalizePhone(raw: string, country?: string | null): string | null {
  const key = `${country ?? ''}|${raw}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = parse(raw, country);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

function parse(raw: string, country?: string | null): string | null {
  const value = raw.normalize('NFKC').trim();
  if (!/\d/.test(value) || value.length > 40) return null;
  const defaultCountry = country && isSupportedCountry(country) ? (country as CountryCode) : undefined;
  const candidate = value.startsWith('00') ? `+${value.slice(2)}` : value;
  const phone = parsePhoneNumberFromString(candidate, defaultCountry ? { defaultCountry } : undefined);
  if (!phone?.isPossible()) return null;
  return phone.number;
}
