import type { FastifyPluginAsync } from 'fastify';
import { type AddressObject, simpleParser } from 'mailparser';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import {
  candorSignedRoute,
  installWebhookBodies,
  twilioSignedRoute,
} from '../../platform/http/signed-webhook.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { stripHtml } from '../campaigns/index.ts';
import type { InboundMailbox } from '../outbound/index.ts';
import { type InboundAttachment, type IngestResult, ingest } from './ingest.ts';

/**
 * How questions arrive by email and SMS: the built-in SMTP listener's support mailbox (raw MIME, parsed
 * with mailparser), a provider's inbound email webhook and inbound SMS webhooks (Twilio's form post checked
 * by X-Twilio-Signature, or our signed JSON). A bad signature is 401 and stores nothing; a provider's retry
 * of the same message id is stored once; a malformed or hostile message is refused or stored as text, never
 * executed. Attachments are kept sealed up to CANDOR_ATTACHMENT_MAX_BYTES each; larger ones are noted.
 */
interface Deps {
  db: Db;
  crypto: PiiCrypto;
  logger: Logger;
  config: Config;
  /** A new message arrived (the sender of replies may have work). */
  onStored?: (result: IngestResult) => void;
}

const MAX_ATTACHMENTS = 10;
/** A provider's inbound email as JSON: up to ten attachments, base64 (a third larger than the files). */
const INBOUND_EMAIL_BODY_LIMIT = 15_000_000;

function keepAttachments(
  config: Pick<Config, 'CANDOR_ATTACHMENT_MAX_BYTES'>,
  files: Array<{ filename?: string | undefined; contentType?: string | undefined; content: Buffer }>,
): { kept: InboundAttachment[]; dropped: string[] } {
  const kept: InboundAttachment[] = [];
  const dropped: string[] = [];
  for (const file of files) {
    const name = (file.filename ?? 'attachment').replace(/[\r\n\0]/g, ' ').slice(0, 200);
    if (kept.length >= MAX_ATTACHMENTS || file.content.length > config.CANDOR_ATTACHMENT_MAX_BYTES) {
      dropped.push(`${name} (${Math.ceil(file.content.length / 1024)} kB)`);
      continue;
    }
    kept.push({
      filename: name,
      contentType: (file.contentType ?? 'application/octet-stream').slice(0, 200),
      content: file.content,
    });
  }
  return { kept, dropped };
}

function firstAddress(
  value: AddressObject | AddressObject[] | undefined,
): { address: string; name: string } | null {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const group of list) {
    for (const entry of group.value) {
      if (entry.address) return { address: entry.address, name: entry.name ?? '' };
    }
  }
  return null;
}

/** One raw email to a support address, into the inbox. */
export async function ingestRawEmail(
  deps: Deps,
  raw: Buffer,
  envelope: { from: string | null; to: string[] },
): Promise<IngestResult> {
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(raw, {
      skipHtmlToText: false,
      skipTextLinks: true,
      maxHtmlLengthToParse: 2_000_000,
    });
  } catch {
    return { outcome: 'rejected', reason: 'the message is not readable email' };
  }
  // The From header is who the requester says they are; nothing is disclosed on its strength (verification
  // codes go to the address on file), so a forged one only misdirects our reply.
  const from = firstAddress(mail.from) ?? (envelope.from ? { address: envelope.from, name: '' } : null);
  if (!from) return { outcome: 'rejected', reason: 'the message has no sender' };
  const text = mail.text?.trim() || (typeof mail.html === 'string' ? stripHtml(mail.html) : '');
  const { kept, dropped } = keepAttachments(deps.config, mail.attachments ?? []);
  const note =
    dropped.length > 0
      ? `\n\n[Attachments not kept (over the size or count limit): ${dropped.join(', ')}]`
      : '';
  const messageId = typeof mail.messageId === 'string' ? mail.messageId.slice(0, 300) : null;
  const result = await ingest(deps, {
    channel: 'email',
    from: from.address,
    name: from.name.slice(0, 200) || null,
    subject: mail.subject ?? null,
    body: `${text}${note}` || '(no text)',
    providerMessageId: messageId ? `email:${messageId}` : null,
    attachments: kept,
  });
  if (result.outcome === 'rejected') {
    deps.logger.info({ reason: result.reason, bytes: raw.length }, 'inbound email not filed');
  }
  deps.onStored?.(result);
  return result;
}

/** The support mailbox of the inbound SMTP listener. */
export function supportMailbox(deps: Deps): InboundMailbox {
  const addresses = new Set(deps.config.CANDOR_SUPPORT_ADDRESSES);
  return {
    accepts: (address) => addresses.has(address.toLowerCase()),
    async deliver(raw, envelope) {
      await ingestRawEmail(deps, raw, envelope);
    },
  };
}

const inboundEmail = z.object({
  id: z.string().min(1).max(300),
  from: z.string().min(3).max(320),
  name: z.string().max(200).optional(),
  to: z.string().max(320).optional(),
  subject: z.string().max(1_000).optional(),
  text: z.string().max(1_000_000).optional(),
  html: z.string().max(2_000_000).optional(),
  attachments: z
    .array(
      z.object({
        filename: z.string().max(255),
        contentType: z.string().max(200),
        contentBase64: z.string(),
      }),
    )
    .max(50)
    .optional(),
});

const inboundSms = z.object({
  id: z.string().min(1).max(300),
  from: z.string().min(3).max(40),
  text: z.string().max(10_000),
});

export function inboundRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    installWebhookBodies(app);
    const answer = (result: IngestResult) =>
      result.outcome === 'stored'
        ? { status: 'stored', threadId: result.threadId }
        : result.outcome === 'duplicate'
          ? { status: 'duplicate' }
          : { status: 'rejected', reason: result.reason };
    const secret = () => deps.config.INBOX_WEBHOOK_SECRET;

    candorSignedRoute(app, {
      url: '/api/hooks/inbox/email',
      reason: 'inbound email from a provider, checked by X-Candor-Signature',
      secret,
      // Attachments arrive base64-encoded in the JSON. Only requests with fresh, well-formed signature
      // headers are read this far, and nothing is parsed before the signature over the bytes matches.
      bodyLimit: INBOUND_EMAIL_BODY_LIMIT,
      handler: async (_request, reply, json) => {
        const parsed = inboundEmail.safeParse(json);
        if (!parsed.success) {
          return reply
            .code(400)
            .send({ error: 'expected {id, from, subject?, text? | html?, attachments?}' });
        }
        const e = parsed.data;
        const files = (e.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.contentBase64, 'base64'),
        }));
        const { kept, dropped } = keepAttachments(deps.config, files);
        const text = e.text?.trim() || (e.html ? stripHtml(e.html) : '');
        const note =
          dropped.length > 0
            ? `\n\n[Attachments not kept (over the size or count limit): ${dropped.join(', ')}]`
            : '';
        const result = await ingest(deps, {
          channel: 'email',
          from: e.from,
          name: e.name ?? null,
          subject: e.subject ?? null,
          body: `${text}${note}` || '(no text)',
          providerMessageId: `email-webhook:${e.id}`,
          attachments: kept,
        });
        deps.onStored?.(result);
        return reply.code(result.outcome === 'rejected' ? 422 : 200).send(answer(result));
      },
    });

    candorSignedRoute(app, {
      url: '/api/hooks/sms/webhook/inbound',
      reason: 'inbound SMS from a provider, checked by X-Candor-Signature',
      secret,
      handler: async (_request, reply, json) => {
        const parsed = inboundSms.safeParse(json);
        if (!parsed.success) return reply.code(400).send({ error: 'expected {id, from, text}' });
        const result = await ingest(deps, {
          channel: 'sms',
          from: parsed.data.from,
          body: parsed.data.text || '(empty message)',
          providerMessageId: `sms-webhook:${parsed.data.id}`,
        });
        deps.onStored?.(result);
        return reply.code(result.outcome === 'rejected' ? 422 : 200).send(answer(result));
      },
    });

    // Twilio posts inbound messages to the number's webhook: form fields MessageSid, From, Body.
    twilioSignedRoute(app, {
      url: '/api/hooks/sms/twilio/inbound',
      reason: 'inbound SMS from Twilio, checked by X-Twilio-Signature',
      authToken: () => deps.config.SMS_TWILIO_AUTH_TOKEN,
      publicUrl: () => deps.config.publicUrl,
      handler: async (_request, reply, params) => {
        if (!params.MessageSid || !params.From)
          return reply.code(400).send({ error: 'expected MessageSid, From, Body' });
        const result = await ingest(deps, {
          channel: 'sms',
          from: params.From,
          body: (params.Body ?? '').slice(0, 10_000) || '(empty message)',
          providerMessageId: `twilio:${params.MessageSid}`,
        });
        deps.onStored?.(result);
        // An empty TwiML response: no automatic answer.
        return reply
          .code(200)
          .header('content-type', 'text/xml')
          .send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      },
    });
  };
}
