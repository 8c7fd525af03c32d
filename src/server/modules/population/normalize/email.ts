/**
 * Emails: Unicode NFKC, trimmed, lower-cased (the whole address: providers treat local parts
 * case-insensitively in practice, and a missed link costs a duplicate notice), then a syntax check close to
 * what mail servers accept: one @, a local part of 1–64 allowed characters without leading, trailing or
 * doubled dots, and a domain of dot-separated labels with a final label of two or more letters (Unicode
 * domains are converted to punycode first).
 */
import { domainToASCII } from 'node:url';

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function normalizeEmail(raw: string): string | null {
  const value = raw
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '');
  if (value.length > 254) return null;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return null;
  const local = value.slice(0, at);
  let domain = value.slice(at + 1).replace(/\.$/, '');
  // Internationalized domains compare in their ASCII (punycode) form: "bücher.de" is "xn--bcher-kva.de".
  if (/[\u0080-\uffff]/.test(domain)) domain = domainToASCII(domain);
  if (local.length > 64 || !LOCAL.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels.at(-1)!)) return null;
  return `${local}@${domain}`;
}
