import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import type { CampaignLane } from './campaign-lane.ts';
import { emailDeliveryByMessageId } from './delivery-reports.repository.ts';

/**
 * Bounce reports by email: delivery status notifications (RFC 3464) sent back to the notices' envelope
 * sender (`CANDOR_BOUNCE_ADDRESS`) and received by the built-in inbound SMTP listener. A permanent failure
 * (`Action: failed`, `Status: 5.x.x`) for one of our Message-IDs bounces that delivery and moves the person
 * to the next channel; delays (4.x.x) change nothing. Anything else is refused politely.
 */
export interface Dsn {
  /** The Message-ID of the notice that bounced, as we set it. */
  messageId: string | null;
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded' | null;
  status: string | null;
  permanent: boolean;
}

export async function parseDsn(raw: Buffer | string): Promise<Dsn | null> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  } catch {
    return null;
  }
  const parts = mail.attachments ?? [];
  const status = parts.find((p) => p.contentType === 'message/delivery-status');
  const original = parts.find(
    (p) => p.contentType === 'text/rfc822-headers' || p.contentType === 'message/rfc822',
  );
  const statusText = status ? status.content.toString('utf8') : (mail.text ?? '');
  const action = /^Action:\s*(failed|delayed|delivered|relayed|expanded)/im
    .exec(statusText)?.[1]
    ?.toLowerCase() as Dsn['action'] | undefined;
  const code = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(statusText)?.[1] ?? null;
  if (!status && !action) return null;
  const headers = original ? original.content.toString('utf8') : '';
  const messageId =
    /^Message-ID:\s*(<[^>\r\n]{3,300}>)/im.exec(headers)?.[1] ??
    (typeof mail.inReplyTo === 'string' ? mail.inReplyTo : null);
  return {
    messageId,
    action: action ?? null,
    status: code,
    permanent: action === 'failed' && (code?.startsWith('5.') ?? true),
  };
}

/** Another mailbox on the inbound listener (the support inbox): which recipients it takes, and delivery. */
export interface InboundMailbox {
  accepts(address: string): boolean;
  deliver(raw: Buffer, envelope: { from: string | null; to: string[] }): Promise<void>;
}

/**
 * The built-in inbound SMTP listener: bounce reports to CANDOR_BOUNCE_ADDRESS, and whatever the other
 * mailboxes accept (support addresses); every other recipient is refused at RCPT TO with 550, a message over
 * CANDOR_INBOUND_MAX_BYTES with 552, and a failure to store it with 451 (the sender retries later).
 */
export function startInboundSmtp(
  deps: {
    db: Db;
    config: Config;
    logger: Logger;
    engine: () => CampaignLane;
  },
  mailboxes: InboundMailbox[] = [],
): { close(): Promise<void>; port: () => number } {
  const bounceAddress = deps.config.CANDOR_BOUNCE_ADDRESS?.toLowerCase();
  const maxBytes = deps.config.CANDOR_INBOUND_MAX_BYTES;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    banner: 'Candor',
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (bounceAddress && to === bounceAddress) return callback();
      if (mailboxes.some((m) => m.accepts(to))) return callback();
      return callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > maxBytes) {
          return callback(
            Object.assign(new Error(`Message too large (limit ${maxBytes} bytes)`), { responseCode: 552 }),
          );
        }
        const raw = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        const work: Array<Promise<unknown>> = [];
        if (bounceAddress && recipients.includes(bounceAddress)) work.push(handleBounce(deps, raw));
        for (const mailbox of mailboxes) {
          const mine = recipients.filter((r) => mailbox.accepts(r));
          if (mine.length > 0) work.push(mailbox.deliver(raw, { from, to: mine }));
        }
        void Promise.all(work)
          .then(() => callback())
          .catch((error: unknown) => {
            deps.logger.warn({ err: error, session: session.id }, 'could not process an inbound message');
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          });
      });
    },
  });
  server.on('error', (error) => deps.logger.warn({ err: error }, 'inbound SMTP error'));
  server.listen(deps.config.CANDOR_INBOUND_SMTP_PORT, deps.config.HOST);
  return {
    port: () => (server.server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function handleBounce(
  deps: { db: Db; logger: Logger; engine: () => CampaignLane },
  raw: Buffer,
): Promise<'bounced' | 'ignored'> {
  const dsn = await parseDsn(raw);
  if (!dsn?.messageId || !dsn.permanent) return 'ignored';
  const delivery = await emailDeliveryByMessageId(deps.db, dsn.messageId);
  if (!delivery) return 'ignored';
  await deps.db
    .transaction()
    .execute((tx) =>
      deps
        .engine()
        .failOver(
          tx,
          { id: delivery.campaign_id, incident_id: delivery.incident_id },
          delivery,
          `bounced (DSN ${dsn.status ?? 'failed'})`,
          'bounced',
          'report',
        ),
    );
  return 'bounced';
}
