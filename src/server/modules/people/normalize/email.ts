/**
 * Emails: trimmed, Unicode-normalized, lower-cased (the whole address: providers treat local parts
 * case-insensitively in practice, and a missed link costs a duplicate notice), then a syntax check close to
 * what mail servers accept: one @, a local part of 1–64 bytes without leading, trailing or doubled dots, and
 * a domain of dot-separated labels with a final label of two or more letters.
 *
 * Internationalized addresses (RFC 6531, `josé.dubois@exemple.fr`) are valid: the local part may hold
 * letters, marks and digits of any script (not spaces, controls or invisible format characters, which only
 * serve to spoof). Unicode domains become their ASCII form (IDNA, UTS #46: "Bücher.de" is
 * "xn--bcher-kva.de"), so both spellings of a domain give one blind index and SMTP needs no extension for
 * them; only a non-ASCII local part needs a relay with SMTPUTF8 (`needsSmtpUtf8`).
 *
 * Normalization form: NFKC whenever it leaves an ASCII local part, which is what every address accepted
 * before internationalized ones were gives, so their blind indexes never move; NFC otherwise, because
 * NFKC rewrites characters a mailbox name keeps as they are (RFC 6532 asks for NFC).
 */
import { domainToASCII } from 'node:url';

const LOCAL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const NON_ASCII = /[\u0080-\u{10ffff}]/u;

export function normalizeEmail(raw: string): string | null {
  const compatible = prepare(raw, 'NFKC');
  const at = compatible.lastIndexOf('@');
  if (at <= 0 || at !== compatible.indexOf('@')) return null;
  let local = compatible.slice(0, at);
  if (NON_ASCII.test(local)) {
    const canonical = prepare(raw, 'NFC');
    const canonicalAt = canonical.lastIndexOf('@');
    if (canonicalAt <= 0 || canonicalAt !== canonical.indexOf('@')) return null;
    local = canonical.slice(0, canonicalAt).normalize('NFC');
  }
  let domain = compatible.slice(at + 1).replace(/\.$/, '');
  if (NON_ASCII.test(domain)) domain = domainToASCII(domain);
  if (Buffer.byteLength(local) > 64 || !LOCAL.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels.at(-1)!)) return null;
  const email = `${local}@${domain}`;
  return Buffer.byteLength(email) > 254 ? null : email;
}

/** Whether a normalized address can only travel over SMTP with the SMTPUTF8 extension (RFC 6531). */
export function needsSmtpUtf8(normalizedEmail: string): boolean {
  return NON_ASCII.test(normalizedEmail);
}

function prepare(raw: string, form: 'NFKC' | 'NFC'): string {
  return raw
    .normalize(form)
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '');
}
