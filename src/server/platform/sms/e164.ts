import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A number in international form ("+44 20 7946 0958", "+1 (415) 555-0101") as E.164, or null. A light check
 * before handing a number to a provider: it must start with + (there is no country to read a national
 * number in), hold only digits and separators, and be possible for its country (length and prefix, as the
 * people import accepts). Extensions and surrounding text are refused by
 * the character check.
 */
export function normalizeE164(phone: string): string | null {
  const value = phone.normalize('NFKC').trim();
  if (!/^\+[\d\s().-]{4,30}$/.test(value)) return null;
  const parsed = parsePhoneNumberFromString(value);
  return parsed?.isPossible() ? parsed.number : null;
}
