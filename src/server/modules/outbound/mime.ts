import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { RenderedMessage } from './outbound.types.ts';
import { smtpRecipient } from './smtp-address.ts';

/**
 * An email as Candor sends it over SMTP: the same options whether nodemailer composes the MIME message
 * while it sends (`senders.ts`) or a compose thread composes it ahead (`compose-pool.ts`), so both paths
 * write the same message. `to` is the SMTP form of the address (domain in ASCII).
 */
export function mailOptionsOf(message: RenderedMessage, to: string): Mail.Options {
  return {
    messageId: message.messageId,
    // Notices are mostly ASCII text: skip nodemailer's per-message encoding detection.
    textEncoding: 'quoted-printable',
    from: message.from,
    replyTo: message.replyTo,
    to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    headers: {
      ...(message.verificationCode ? { 'X-Candor-Verification': message.verificationCode } : {}),
      ...message.headers,
    },
  };
}

/** A message composed ahead: its bytes (RFC 5322, as nodemailer writes them) and its envelope sender. */
export interface ComposedEmail {
  raw: Uint8Array;
  envelope: { from: string | false };
}

/**
 * Composes the MIME message (headers, quoted-printable parts, boundaries): most of the CPU a message costs
 * the thread that sends it, so large batches do it on a compose thread while the previous batch sends.
 */
export async function composeEmail(message: RenderedMessage): Promise<ComposedEmail> {
  const node = new MailComposer(mailOptionsOf(message, smtpRecipient(message.to).address)).compile();
  const { from } = node.getEnvelope();
  return { raw: await node.build(), envelope: { from } };
}
