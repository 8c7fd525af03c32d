import fs from 'node:fs';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { SiteMessageKind } from '../../db/schema.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { createSmtpTransport } from '../../platform/mail/smtp-transport.ts';
import { createTwilioProvider, createWebhookProvider, type SmsProvider } from '../../platform/sms/index.ts';

/**
 * The channels' senders. Email goes through SMTP (a nodemailer pool, optional DKIM) or, with no SMTP server
 * configured, into the embedded outbox; SMS through the configured provider or the outbox; letters always
 * into the outbox, from which print batches are made. Outbox writes are idempotent by Message-ID, so a
 * delivery re-sent after a crash is stored once.
 */
export interface RenderedMessage {
  /** Null for an inbox reply to a sender who matches no incident. */
  incidentId: string | null;
  /** Null for the notice site's own messages (lookup answers, confirmations, update notices). */
  campaignId: string | null;
  pn: number | null;
  kind?: SiteMessageKind | undefined;
  /** Extra headers (List-Unsubscribe on update notices). */
  headers?: Record<string, string> | undefined;
  messageId: string;
  to: string;
  from?: string | undefined;
  replyTo?: string | undefined;
  subject?: string | undefined;
  html?: string | undefined;
  text: string;
  /** Letters: the postal address block. */
  address?: string[] | undefined;
  verificationCode: string;
  statusCallbackUrl?: string | undefined;
}

export type SendOutcome =
  | { ok: true; providerId: string }
  | { ok: false; permanent: boolean; reason: string };

export interface Sender {
  readonly kind: 'smtp' | 'sms-provider' | 'outbox';
  send(message: RenderedMessage): Promise<SendOutcome>;
  close(): void;
}

export interface Senders {
  email: Sender;
  sms: Sender;
  letter: Sender;
  close(): void;
}

export const OUTBOX_CONTEXT = 'outbox_messages.sealed';

export function outboxSender(db: Db, crypto: PiiCrypto, channel: 'email' | 'sms' | 'letter'): Sender {
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
      await db
        .insertInto('outbox_messages')
        .values({
          incident_id: message.incidentId,
          campaign_id: message.campaignId,
          pn: message.pn,
          ...(message.kind ? { kind: message.kind } : {}),
          channel,
          message_id: message.messageId,
          sealed,
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .execute();
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
  return {
    kind: 'smtp',
    async send(message) {
      try {
        const info = await transport.sendMail({
          messageId: message.messageId,
          // Notices are mostly ASCII text: skip nodemailer's per-message encoding detection.
          textEncoding: 'quoted-printable',
          from: message.from,
          replyTo: message.replyTo,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: {
            ...(message.verificationCode ? { 'X-Candor-Verification': message.verificationCode } : {}),
            ...message.headers,
          },
          // Bounce reports go to the address the inbound listener takes them at.
          ...(config.CANDOR_BOUNCE_ADDRESS && {
            envelope: { from: config.CANDOR_BOUNCE_ADDRESS, to: message.to },
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

export function createSenders(config: Config, db: Db, crypto: PiiCrypto): Senders {
  const email = config.SMTP_URL ? smtpSender(config) : outboxSender(db, crypto, 'email');
  let sms: Sender = outboxSender(db, crypto, 'sms');
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
