import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from '../../src/server/platform/sms/index.ts';

/**
 * A local stand-in for Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json), for tests of
 * the SMS channel and the delivery engine. It checks Basic auth and the form like Twilio does, records
 * what it accepted, dedupes by I-Twilio-Idempotency-Token, and misbehaves on demand per destination
 * number. Receipts are posted to each message's StatusCallback, signed with the auth token, only when a
 * test asks (`deliverReceipts()`), so tests control when "later" happens.
 */
export type FakeTwilioBehaviour =
  /** 201 and queued; `deliverReceipts()` reports it delivered. */
  | 'accept'
  /** 201 and queued; `deliverReceipts()` reports it undelivered with carrier error 30003. */
  | 'unreachable'
  /** 400 with error 21610: the person texted STOP to this sender. */
  | 'opted-out'
  /** 503. */
  | 'unavailable'
  /** 429 with error 20429. */
  | 'rate-limited'
  /** Never answers (until `close()`). */
  | 'hang'
  /** 200 with a body that is not JSON. */
  | 'garbage';

/** Numbers scripted in every fake (555-01xx numbers are reserved for fiction). Others accept. */
export const fakeTwilioNumbers = {
  accepted: '+12025550100',
  unreachable: '+12025550154',
  optedOut: '+12025550155',
  unavailable: '+12025550150',
  rateLimited: '+12025550151',
  hang: '+12025550152',
  garbage: '+12025550153',
} as const;

const SCRIPTED: ReadonlyArray<[string, FakeTwilioBehaviour]> = [
  [fakeTwilioNumbers.unreachable, 'unreachable'],
  [fakeTwilioNumbers.optedOut, 'opted-out'],
  [fakeTwilioNumbers.unavailable, 'unavailable'],
  [fakeTwilioNumbers.rateLimited, 'rate-limited'],
  [fakeTwilioNumbers.hang, 'hang'],
  [fakeTwilioNumbers.garbage, 'garbage'],
];

export interface FakeTwilioMessage {
  sid: string;
  to: string;
  /** The From number, or the Messaging Service SID when one was used. */
  from: string;
  body: string;
  idempotencyToken: string | null;
  statusCallback: string | null;
}

export interface FakeReceipt {
  sid: string;
  status: 'delivered' | 'undelivered';
  errorCode: string | null;
  /** What the StatusCallback URL answered. */
  httpStatus: number;
}

export interface FakeTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Every accepted message, once per idempotency token, in order. */
  messages: FakeTwilioMessage[];
  /** Every request to the Messages endpoint, accepted or not (retries show up here). */
  requestCount(): number;
  setBehaviour(number: string, behaviour: FakeTwilioBehaviour): void;
  /**
   * Posts the final receipt for each accepted message with a StatusCallback that has not had one yet:
   * `delivered`, or `undelivered` with ErrorCode 30003 for an unreachable number. Signed with
   * X-Twilio-Signature. Throws if a callback URL cannot be reached.
   */
  deliverReceipts(): Promise<FakeReceipt[]>;
  /** The same as `deliverReceipts()`. */
  sendStatusCallbacks(): Promise<FakeReceipt[]>;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY_BYTES = 64 * 1024;

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const behaviours = new Map<string, FakeTwilioBehaviour>(SCRIPTED);
  const messages: FakeTwilioMessage[] = [];
  const byToken = new Map<string, FakeTwilioMessage>();
  const receipted = new Set<string>();
  let requests = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { code: 20500, message: 'Internal Server Error', status: 500 });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers.authorization !== expectedAuthorization) {
      return reply(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    if (req.method !== 'POST' || req.url !== messagesPath) {
      return reply(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    }
    requests += 1;
    const raw = await readBody(req);
    if (raw === null) return reply(res, 413, { code: 20413, message: 'Request too large', status: 413 });
    const form = new URLSearchParams(raw);
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
    const body = form.get('Body') ?? '';
    // Like Twilio, the error message quotes the number: the adapter must not pass it on.
    if (!E164.test(to)) {
      return reply(res, 400, {
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
        status: 400,
      });
    }
    if (!from)
      return reply(res, 400, { code: 21603, message: "A 'From' phone number is required.", status: 400 });
    if (!body) return reply(res, 400, { code: 21602, message: 'Message body is required.', status: 400 });

    const behaviour = behaviours.get(to) ?? 'accept';
    switch (behaviour) {
      case 'opted-out':
        return reply(res, 400, {
          code: 21610,
          message: `Attempt to send to unsubscribed recipient ${to}`,
          status: 400,
        });
      case 'unavailable':
        return reply(res, 503, { code: 20503, message: 'Service Unavailable', status: 503 });
      case 'rate-limited':
        return reply(res, 429, { code: 20429, message: 'Too Many Requests', status: 429 });
      case 'hang':
        return;
      case 'garbage':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('<html><body>upstream ok{"sid": "SM');
        return;
      case 'accept':
      case 'unreachable':
        break;
    }

    const token = firstHeader(req.headers['i-twilio-idempotency-token']);
    let message = token ? byToken.get(token) : undefined;
    if (!message) {
      message = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to,
        from,
        body,
        idempotencyToken: token,
        statusCallback: form.get('StatusCallback'),
      };
      messages.push(message);
      if (token) byToken.set(token, message);
    }
    reply(res, 201, messageResource(message));
  }

  function messageResource(message: FakeTwilioMessage) {
    const isService = message.from.startsWith('MG');
    return {
      sid: message.sid,
      account_sid: accountSid,
      api_version: '2010-04-01',
      to: message.to,
      from: isService ? null : message.from,
      messaging_service_sid: isService ? message.from : null,
      body: message.body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      error_code: null,
      error_message: null,
      price: null,
      date_created: new Date().toUTCString(),
      uri: `${messagesPath.replace('.json', '')}/${message.sid}.json`,
    };
  }

  async function deliverReceipts(): Promise<FakeReceipt[]> {
    const sent: FakeReceipt[] = [];
    for (const message of messages) {
      if (!message.statusCallback || receipted.has(message.sid)) continue;
      receipted.add(message.sid);
      const isUnreachable = behaviours.get(message.to) === 'unreachable';
      const status = isUnreachable ? 'undelivered' : 'delivered';
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: message.from,
        To: message.to,
        MessageSid: message.sid,
        SmsSid: message.sid,
        MessageStatus: status,
        SmsStatus: status,
        ...(isUnreachable ? { ErrorCode: '30003' } : {}),
      };
      const response = await fetch(message.statusCallback, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Twilio-Signature': twilioSignature(authToken, message.statusCallback, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      await response.arrayBuffer();
      sent.push({
        sid: message.sid,
        status,
        errorCode: params.ErrorCode ?? null,
        httpStatus: response.status,
      });
    }
    return sent;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    requestCount: () => requests,
    setBehaviour(number, behaviour) {
      behaviours.set(number, behaviour);
    },
    deliverReceipts,
    sendStatusCallbacks: deliverReceipts,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging requests hold their sockets open; close() would wait for them forever.
        server.closeAllConnections();
      });
    },
  };
}

function reply(res: http.ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(json));
}

function firstHeader(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first || null;
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
