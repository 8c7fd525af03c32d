import { domainToASCII } from 'node:url';

/**
 * The reason a delivery fails when the address has a non-ASCII local part (RFC 6531) and the relay does
 * not offer SMTPUTF8: not "unreachable" (the address is fine; another relay would take it), and permanent
 * for this relay, so the person falls over to the next channel at once.
 */
export const NEEDS_SMTPUTF8 =
  'email needs SMTPUTF8: the address is internationalized and the SMTP relay does not support SMTPUTF8';

/** An address as SMTP carries it: the domain in ASCII (IDNA), and whether the local part needs SMTPUTF8. */
export function smtpRecipient(address: string): { address: string; needsSmtpUtf8: boolean } {
  const at = address.lastIndexOf('@');
  const local = at === -1 ? address : address.slice(0, at);
  const domain = at === -1 ? '' : address.slice(at + 1);
  const asciiDomain = NON_ASCII.test(domain) ? domainToASCII(domain) || domain : domain;
  return {
    address: at === -1 ? address : `${local}@${asciiDomain}`,
    needsSmtpUtf8: NON_ASCII.test(local),
  };
}
const NON_ASCII = /[\u0080-\u{10ffff}]/u;
