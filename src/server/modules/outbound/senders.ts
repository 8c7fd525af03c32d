import fs from 'node:fs';
import type { Transporter } from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { createSmtpTransport } from '../../platform/mail/smtp-transport.ts';
import { createTwilioProvider, createWebhookProvider, type SmsProvider } from '../../platform/sms/index.ts';
import { mailOptionsOf } from './mime.ts';
import type { RecipientIndex, Sender, Senders } from './outbound.types.ts';
import { insertOutboxMessage } from './outbox.repository.ts';
import { NEEDS_SMTPUTF8, smtpRecipient } from './smtp-address.ts';

export type { RenderedMessage, Sender, Senders, SendOutcome } from './outbound.types.ts';
export { NEEDS_SMTPUTF8, smtpRecipient } from './smtp-address.ts';

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

/** SMTP connections of the pool unless SMTP_URL sets `?maxConnections=` (chosen by `npm run bench:send`). */
export const DEFAULT_SMTP_CONNECTIONS = 5;

export function smtpSender(
  config: Pick<
    Config,
    'SMTP_URL' | 'DKIM_DOMAIN' | 'DKIM_SELECTOR' | 'DKIM_PRIVATE_KEY_FILE' | 'CANDOR_BOUNCE_ADDRESS'
  >,
  maxConnections = DEFAULT_SMTP_CONNECTIONS,
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
        // Bounce reports go to the address the inbound listener takes them at.
        const bounce = config.CANDOR_BOUNCE_ADDRESS;
        const { composed } = message;
        const info = await transport.sendMail(
          composed
            ? {
                // Composed off this thread (`compose-pool.ts`): the bytes go out as they are.
                raw: Buffer.from(composed.raw.buffer, composed.raw.byteOffset, composed.raw.byteLength),
                messageId: message.messageId,
                envelope: { from: bounce || composed.envelope.from || '', to: recipient.address },
              }
            : {
                ...mailOptionsOf(message, recipient.address),
                ...(bounce && { envelope: { from: bounce, to: recipient.address } }),
              },
        );
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
