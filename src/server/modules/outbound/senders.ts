import fs from 'node:fs';
import { domainToASCII } from 'node:url';
import type { Transporter } from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { createSmtpTransport } from '../../platform/mail/smtp-transport.ts';
import { createTwilioProvider, createWebhookProvider, type SmsProvider } from '../../platform/sms/index.ts';
import type { RecipientIndex, Sender, Senders } from './outbound.types.ts';
import { insertOutboxMessage } from './outbox.repository.ts';

export type { RenderedMessage, Sender, Senders, SendOutcome } from './outbound.types.ts';

/**
 * The channels' senders. Email goes through SMTP (a nodemailer pool, optional DKIM) or, with no SMTP server
 * configured, into the embedded outbox; SMS through the configured provider or the outbox; letters always
 * into the outbox, from which print batches are made. Outbox writes are idempotent by Message-ID, so a
 * message re-sent after a crash is stored once.
 */
export const OUTBOX_CONTEXT = 'outbox_messages.sealed';

/**
 * The blind index staff search the outbox by (the people's own index of the normalized email or phone, so
 * an address typed in the console finds it); null for letters and for recipients that do not normalize.
 */
export function recipientIndex(
  recipients: RecipientIndex | undefined,
  channel: 'email' | 'sms' | 'letter',
  to: string,
): Buffer | null {
  if (channel === 'letter' || !recipients) return null;
  return recipients(channel === 'sms' ? 'phone' : 'email', to);
}

/** Without a recipient index, messages are stored unsearchable by address (letters need none). */
export function outboxSender(
  db: Db,
  crypto: PiiCrypto,
  channel: 'email' | 'sms' | 'letter',
  recipients?: RecipientIndex,
): Sender {
  return {
    kind: 'outbox',
    async send(message) {
      const sealed = crypto.encrypt(
        JSON.stringify({
          to: message.to,
          from: message.from,
          replyTo: message.replyTo,
          subject: message.subject,
          html: message.html,
          text: message.text,
          address: message.address,
          verificationCode: message.verificationCode,
        }),
        OUTBOX_CONTEXT,
      );
      await insertOutboxMessage(db, {
        incident_id: message.incidentId,
        campaign_id: message.campaignId,
        pn: message.pn,
        ...(message.kind ? { kind: message.kind } : {}),
        channel,
        message_id: message.messageId,
        sealed,
        to_idx: recipientIndex(recipients, channel, message.to),
      });
      return { ok: true, providerId: `outbox:${message.messageId}` };
    },
    close() {},
  };
}

/** SMTP reply codes: 5xx is a hard failure for this address, 4xx and connection trouble are worth retrying. */
export function classifySmtpError(error: unknown): { permanent: boolean; reason: string } {
  const e = error as { responseCode?: number; code?: string; command?: string };
  if (typeof e.responseCode === 'number') {
    return {
      permanent: e.responseCode >= 500,
      reason: `SMTP ${e.responseCode}${e.command ? ` after ${e.command}` : ''}`,
    };
  }
  return { permanent: false, reason: `SMTP connection problem (${e.code ?? 'unknown'})` };
}

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

/**
 * Whether the relay offers SMTPUTF8, from its EHLO answer on a connection of its own (the pool's
 * connections do not tell before a message is on its way). nodemailer then asks for SMTPUTF8 by itself
 * when an address needs it. Asked once per ten minutes; undefined when the relay could not be asked.
 */
function smtpUtf8Support(transport: Transporter, ttlMs = 10 * 60_000) {
  let cached: { at: number; answer: Promise<boolean | undefined> } | undefined;
  const ask = () =>
    new Promise<boolean | undefined>((resolve) => {
      const { options } = transport.transporter as unknown as { options: SMTPConnection.Options };
      const connection = new SMTPConnection({
        ...options,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 10_000,
      });
      connection.once('error', () => {
        connection.close();
        resolve(undefined);
      });
      connection.connect(() => {
        // nodemailer keeps what the EHLO answer offered in this field (no public accessor).
        const offered = (connection as unknown as { _supportedExtensions?: string[] })._supportedExtensions;
        resolve(offered?.includes('SMTPUTF8') === true);
        connection.quit();
      });
    });
  return async (): Promise<boolean | undefined> => {
    if (!cached || Date.now() - cached.at > ttlMs) cached = { at: Date.now(), answer: ask() };
    const answer = await cached.answer;
    if (answer === undefined) cached = undefined;
    return answer;
  };
}

export function smtpSender(
  config: Pick<
    Config,
    'SMTP_URL' | 'DKIM_DOMAIN' | 'DKIM_SELECTOR' | 'DKIM_PRIVATE_KEY_FILE' | 'CANDOR_BOUNCE_ADDRESS'
  >,
  maxConnections = 5,
): Sender {
  const dkim =
    config.DKIM_DOMAIN && config.DKIM_SELECTOR && config.DKIM_PRIVATE_KEY_FILE
      ? {
          domainName: config.DKIM_DOMAIN,
          keySelector: config.DKIM_SELECTOR,
          privateKey: fs.readFileSync(config.DKIM_PRIVATE_KEY_FILE, 'utf8'),
        }
      : undefined;
  const transport = createSmtpTransport(config.SMTP_URL!, { maxConnections, dkim });
  const supportsSmtpUtf8 = smtpUtf8Support(transport);
  return {
    kind: 'smtp',
    async send(message) {
      const recipient = smtpRecipient(message.to);
      if (recipient.needsSmtpUtf8) {
        const isSupported = await supportsSmtpUtf8();
        if (isSupported === undefined) {
          return {
            ok: false,
            permanent: false,
            reason: 'could not ask the SMTP relay whether it supports SMTPUTF8',
          };
        }
        if (!isSupported) return { ok: false, permanent: true, reason: NEEDS_SMTPUTF8 };
      }
      try {
        const info = await transport.sendMail({
          messageId: message.messageId,
          // Notices are mostly ASCII text: skip nodemailer's per-message encoding detection.
          textEncoding: 'quoted-printable',
          from: message.from,
          replyTo: message.replyTo,
          to: recipient.address,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: {
            ...(message.verificationCode ? { 'X-Candor-Verification': message.verificationCode } : {}),
            ...message.headers,
          },
          // Bounce reports go to the address the inbound listener takes them at.
          ...(config.CANDOR_BOUNCE_ADDRESS && {
            envelope: { from: config.CANDOR_BOUNCE_ADDRESS, to: recipient.address },
          }),
        });
        if (info.rejected.length > 0)
          return { ok: false, permanent: true, reason: 'SMTP rejected the recipient' };
        return { ok: true, providerId: message.messageId };
      } catch (error) {
        return { ok: false, ...classifySmtpError(error) };
      }
    },
    close() {
      transport.close();
    },
  };
}

export function smsSender(provider: SmsProvider): Sender {
  return {
    kind: 'sms-provider',
    async send(message) {
      const result = await provider.send({
        to: message.to,
        body: message.text,
        idempotencyKey: message.messageId,
        statusCallbackUrl: message.statusCallbackUrl,
      });
      return result;
    },
    close() {},
  };
}

export function createSenders(
  config: Config,
  db: Db,
  crypto: PiiCrypto,
  recipients: RecipientIndex,
): Senders {
  const email = config.SMTP_URL ? smtpSender(config) : outboxSender(db, crypto, 'email', recipients);
  let sms: Sender = outboxSender(db, crypto, 'sms', recipients);
  if (config.SMS_PROVIDER === 'twilio') {
    sms = smsSender(
      createTwilioProvider({
        baseUrl: config.SMS_TWILIO_BASE_URL,
        accountSid: config.SMS_TWILIO_ACCOUNT_SID!,
        authToken: config.SMS_TWILIO_AUTH_TOKEN!,
        from: config.SMS_FROM!,
      }),
    );
  } else if (config.SMS_PROVIDER === 'webhook') {
    sms = smsSender(
      createWebhookProvider({
        url: config.SMS_WEBHOOK_URL!,
        secret: config.SMS_WEBHOOK_SECRET!,
        from: config.SMS_FROM!,
      }),
    );
  }
  const letter = outboxSender(db, crypto, 'letter');
  return {
    email,
    sms,
    letter,
    close() {
      email.close();
      sms.close();
    },
  };
}
