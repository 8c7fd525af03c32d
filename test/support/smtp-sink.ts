import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP listener on 127.0.0.1 (port 0) for tests of the channels that send mail: it counts what it
 * accepted per recipient and per Message-ID, keeps each message readable (subject and text decoded), and
 * refuses on demand per recipient: 550 (a hard bounce) or 451 (try again later), at RCPT TO or after DATA,
 * always or for the next few tries. A message counts as received once its DATA is complete, before the
 * client reads the 250: a client killed in between sends it again, which is what a real server sees too.
 */
export interface SinkMessage {
  /** Envelope recipients, lower-cased. */
  to: string[];
  messageId: string | null;
  subject: string;
  /** The text/plain part, decoded (the whole body when the message is not multipart). */
  text: string;
  headers: Record<string, string>;
  /** The client asked for SMTPUTF8 in MAIL FROM (RFC 6531). */
  isSmtpUtf8: boolean;
}

export type RefusalCode = 550 | 451;
export type RefusalStage = 'rcpt' | 'data';

export interface Refusal {
  code: RefusalCode;
  at: RefusalStage;
  /** Refuse this many more times, then accept; forever when omitted. */
  times?: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: SinkMessage[];
  /** Listener errors other than clients hanging up. */
  errors: Error[];
  /** Accepted messages addressed to this recipient. */
  countFor(address: string): number;
  /** Accepted messages carrying this Message-ID. */
  countForMessageId(messageId: string): number;
  /** Accepted messages per recipient. */
  perRecipient(): Map<string, number>;
  /** Every refusal answered, per recipient (retries show up here). */
  refusalsFor(address: string): number;
  refuse(address: string, refusal: Refusal): void;
  accept(address: string): void;
  /** Forgets every message received so far (refusal rules stay). */
  clear(): void;
  close(): Promise<void>;
}

const messages = {
  550: 'Requested action not taken: mailbox unavailable',
  451: 'Requested action aborted: local error in processing, try again later',
} as const;

export interface SmtpSinkOptions {
  /** Offer SMTPUTF8 (RFC 6531) in the EHLO answer, as smtp-server does by default; false hides it. */
  smtpUtf8?: boolean;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: SinkMessage[] = [];
  const byRecipient = new Map<string, number>();
  const byMessageId = new Map<string, number>();
  const refusals = new Map<string, Refusal>();
  const refused = new Map<string, number>();
  const errors: Error[] = [];

  /** The refusal to answer for this recipient at this stage, counting it down. */
  function refusalAt(address: string, stage: RefusalStage): Error | null {
    const key = address.toLowerCase();
    const rule = refusals.get(key);
    if (!rule || rule.at !== stage) return null;
    if (rule.times !== undefined) {
      if (rule.times <= 0) return null;
      rule.times -= 1;
    }
    refused.set(key, (refused.get(key) ?? 0) + 1);
    return Object.assign(new Error(messages[rule.code]), { responseCode: rule.code });
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    hideSMTPUTF8: options.smtpUtf8 === false,
    logger: false,
    // Connections a client keeps open (nodemailer pools them) are cut this soon after close().
    closeTimeout: 200,
    onRcptTo(address, _session, callback) {
      callback(refusalAt(address.address, 'rcpt') ?? undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        for (const address of to) {
          const error = refusalAt(address, 'data');
          if (error) return callback(error);
        }
        const mailFrom = session.envelope.mailFrom as { args?: Record<string, unknown> } | undefined;
        const message = {
          ...readMessage(Buffer.concat(chunks).toString('utf8'), to),
          isSmtpUtf8: Boolean(mailFrom?.args?.SMTPUTF8),
        };
        received.push(message);
        for (const address of to) byRecipient.set(address, (byRecipient.get(address) ?? 0) + 1);
        if (message.messageId) {
          byMessageId.set(message.messageId, (byMessageId.get(message.messageId) ?? 0) + 1);
        }
        callback();
      });
    },
  });
  // A client that dies mid-session (a worker killed by a crash test) resets its connection: that is the
  // client's business, not a failure of the listener.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') errors.push(error);
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages: received,
    errors,
    countFor: (address) => byRecipient.get(address.toLowerCase()) ?? 0,
    countForMessageId: (messageId) => byMessageId.get(messageId) ?? 0,
    perRecipient: () => new Map(byRecipient),
    refusalsFor: (address) => refused.get(address.toLowerCase()) ?? 0,
    refuse(address, refusal) {
      refusals.set(address.toLowerCase(), { ...refusal });
    },
    accept(address) {
      refusals.delete(address.toLowerCase());
    },
    clear() {
      received.length = 0;
      byRecipient.clear();
      byMessageId.clear();
      refused.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers unfolded, encoded words and the text part decoded: enough to read what a notice said. */
function readMessage(raw: string, to: string[]): Omit<SinkMessage, 'isSmtpUtf8'> {
  const { headers, body } = splitPart(raw);
  return {
    to,
    messageId: headers['message-id'] ?? null,
    subject: decodeWords(headers.subject ?? ''),
    text: textOf(headers, body),
    headers,
  };
}

function splitPart(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function textOf(headers: Record<string, string>, body: string): string {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const parts = body.split(`--${boundary}`).slice(1, -1);
    for (const part of parts) {
      const inner = splitPart(part.replace(/^\r?\n/, ''));
      const text = textOf(inner.headers, inner.body);
      if ((inner.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith('text/plain')) return text;
      if (text && (inner.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) return text;
    }
    return '';
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return quotedPrintable(body);
  return body;
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, encoding: string, data: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : quotedPrintable(data.replace(/_/g, ' ')),
    );
}

function quotedPrintable(value: string): string {
  const bytes = value
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
