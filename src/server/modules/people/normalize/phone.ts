import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phones to E.164 with libphonenumber-js, reading national numbers in the record's country (or the
 * import's default country). Accepts numbers that are possible for their country (length and prefix), not
 * only those in currently assigned ranges, so a leaked number is never dropped for being unusual. Parsing
 * is the slowest step of normalization and the same number recurs across a person's records, so results
 * are memoized in a bounded cache.
 */
const CACHE_LIMIT = 200_000;
const cache = new Map<string, string | null>();
const NANP = new Set(['US', 'CA', 'PR', 'GU', 'VI', 'AS', 'MP']);

export function normalizePhone(raw: string, country?: string | null): string | null {
  // Formatting differs between a person's records ("(415) 555-0101", "415.555.0101"), the digits do not:
  // cache by digits, so one parse serves every spelling.
  const digits = raw.replace(/[^\d+]/g, '');
  if (digits.length < 4 || digits.length > 20) return null;
  const key = `${country ?? ''}|${digits}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = nanpFastPath(digits, country) ?? parse(raw, country);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

/**
 * North American numbers (most of a US breach) without the general parser: +1, then an area code and an
 * exchange that both start with 2–9. Anything else goes to libphonenumber.
 */
function nanpFastPath(digits: string, country?: string | null): string | undefined {
  let national: string | undefined;
  if (digits.startsWith('+1') && digits.length === 12) national = digits.slice(2);
  else if (!digits.startsWith('+') && country && NANP.has(country)) {
    if (digits.length === 10) national = digits;
    else if (digits.length === 11 && digits.startsWith('1')) national = digits.slice(1);
  }
  if (!national) return undefined;
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(national) ? `+1${national}` : undefined;
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
