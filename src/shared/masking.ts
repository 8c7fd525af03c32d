/**
 * Masked identifiers (notices, the people list, conflict cards): enough to recognize which address or
 * number is meant, too little to be useful to anyone who reads it over a shoulder or intercepts it.
 */
const HIDDEN = '•••';

/** 'jane.doe@example.com' → 'j•••@example.com'; the domain stays (people recognize it, and it is not secret). */
export function maskEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return HIDDEN;
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  // First code point, not first UTF-16 unit, so an address starting with an emoji is not cut in half.
  const first = Array.from(local)[0] ?? '';
  return `${first}${HIDDEN}@${domain}`;
}

/**
 * '+1 (415) 555-0142' → '•••• 0142'. Numbers too short to hide anything by showing four digits
 * (fewer than 7 digits) are hidden completely.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '••••';
  return `•••• ${digits.slice(-4)}`;
}

/** 'Ann Lee' → 'A••• L•••': the initials, enough to tell two records apart. */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return HIDDEN;
  return words.map((word) => `${Array.from(word)[0]}${HIDDEN}`).join(' ');
}

/**
 * Customer and national ids: the last four characters of long ids (eight or more), the last two of ids of
 * four to seven, nothing of shorter ones, so most of any id stays hidden ('536-22-1001' → '•••1001',
 * 'C100001' → '•••01', 'C1' → '•••').
 */
export function maskIdentifier(value: string): string {
  const chars = Array.from(value.trim());
  const shown = chars.length >= 8 ? 4 : chars.length >= 4 ? 2 : 0;
  return `${HIDDEN}${chars.slice(chars.length - shown).join('')}`;
}

/** A date of birth as its year ('1980-02-03' → '1980-••-••'). */
export function maskDate(value: string): string {
  const year = /^\d{4}/.exec(value.trim())?.[0];
  return year ? `${year}-••-••` : HIDDEN;
}
