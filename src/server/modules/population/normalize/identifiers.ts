/** Strong identifiers compare without their formatting: "123-45-6789" and "123 45 6789" are one SSN. */
export function normalizeNationalId(raw: string): string | null {
  const value = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-./_]/g, '');
  return /^[A-Z0-9]{4,32}$/.test(value) ? value : null;
}

/** Customer ids are opaque: trimmed, case kept (systems differ), inner whitespace collapsed. */
export function normalizeCustomerId(raw: string): string | null {
  const value = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
  return value.length > 0 && value.length <= 128 ? value : null;
}

/** Dates of birth to YYYY-MM-DD when the format is unambiguous (ISO, or day > 12), else kept as given. */
export function normalizeDate(raw: string): string {
  const value = raw.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(value);
  if (iso) return `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
  return value.slice(0, 40);
}
