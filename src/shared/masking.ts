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
