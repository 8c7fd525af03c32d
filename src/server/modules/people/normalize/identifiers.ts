/** Strong identifiers compare without their formatting: "123-45-6789" and "123 45 6789" are one SSN. */
export function normalizeNationalId(raw: string): string | null {
  const value = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-./_]/g, '');
  return /^[A-Z0-9]{4,32}$/.test(value) ? value : null;
}

/** Customer ids are opaque: trimmed, inner whitespace collapsed, case kept for display. */
export function normalizeCustomerId(raw: string): string | null {
  const value = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
  return value.length > 0 && value.length <= 128 ? value : null;
}

/**
 * What a customer id is compared by (its blind index): the normalized id, folded to one case unless the
 * incident's source systems tell `C9002` and `c9002` apart (`caseSensitiveIds`). Upper then lower case
 * folds the letters whose lower case alone does not ("STRASSE" and "straße"). Case-sensitive keys are the
 * normalized id unchanged, as every import made before case folding existed.
 */
export function customerIdKey(normalized: string, isCaseSensitive: boolean): string {
  return isCaseSensitive ? normalized : normalized.toUpperCase().toLowerCase();
}

/** Dates of birth to YYYY-MM-DD when the format is unambiguous (ISO, or day > 12), else kept as given. */
export function normalizeDate(raw: string): string {
  const value = raw.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(value);
  if (iso) return `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
  return value.slice(0, 40);
}
