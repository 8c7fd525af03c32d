import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTwilioProvider,
  createWebhookProvider,
  normalizeE164,
  parseTwilioStatus,
  parseWebhookReceipt,
  type SmsMessage,
  type SmsProvider,
  type SmsSendResult,
  twilioSignature,
  verifyTwilioSignature,
  verifyWebhookSignature,
  webhookSignature,
} from '../../src/server/platform/sms/index.ts';
import { type FakeTwilio, fakeTwilioNumbers, startFakeTwilio } from '../support/fake-twilio.ts';

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
}

type Answer = { status: number; body?: string; headers?: Record<string, string> };
type Respond = (request: Received) => Answer | 'hang';

/** A local HTTP endpoint that records what it is sent: a webhook SMS gateway or a status-callback route. */
async function startReceiver(respond: Respond = () => ({ status: 204 })) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { url: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks).toString() };
      received.push(request);
      const answer = respond(request);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let sequence = 0;
function smsTo(to: string, extra: Partial<SmsMessage> = {}): SmsMessage {
  sequence += 1;
  return {
    to,
    body: `Your data was exposed in the incident. Code ${sequence}.`,
    idempotencyKey: `dlv_${sequence}`,
    ...extra,
  };
}

function expectFailure(result: SmsSendResult, permanent: boolean): string {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.permanent).toBe(permanent);
  return result.reason;
}

describe('the Twilio adapter against the fake Messages API', () => {
  let fake: FakeTwilio;
  let twilio: SmsProvider;
  let callbacks: Receiver;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    twilio = createTwilioProvider({
      baseUrl: fake.baseUrl,
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: '+12025550199',
    });
    callbacks = await startReceiver();
  });
  afterAll(async () => {
    await fake.close();
    await callbacks.close();
  });

  it('sends a message and returns the Twilio sid', async () => {
    const message = smsTo(fakeTwilioNumbers.accepted, { statusCallbackUrl: `${callbacks.url}/sms/status` });
    const result = await twilio.send(message);

    expect(result).toEqual({ ok: true, providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(fake.messages.at(-1)).toEqual({
      sid: result.ok ? result.providerId : '',
      to: fakeTwilioNumbers.accepted,
      from: '+12025550199',
      body: message.body,
      idempotencyToken: message.idempotencyKey,
      statusCallback: `${callbacks.url}/sms/status`,
    });
  });

  it('sends through a Messaging Service when `from` is one', async () => {
    const service = `MG${'a'.repeat(32)}`;
    const viaService = createTwilioProvider({ ...fakeOptions(fake), from: service });
    expect((await viaService.send(smsTo(fakeTwilioNumbers.accepted))).ok).toBe(true);
    expect(fake.messages.at(-1)?.from).toBe(service);
  });

  // pins: a worker crashing after the provider accepted, its lease expiring, and another worker resending
  it('sends a retried delivery once: the same idempotency key gets the same sid', async () => {
    const message = smsTo(fakeTwilioNumbers.accepted);
    const before = fake.messages.length;
    const first = await twilio.send(message);
    const retry = await twilio.send({ ...message });
    expect(first.ok && retry.ok).toBe(true);
    expect(retry).toEqual(first);
    expect(fake.messages.length).toBe(before + 1);

    const other = await twilio.send({ ...message, idempotencyKey: `${message.idempotencyKey}-other` });
    expect(other.ok && other.providerId).not.toBe(first.ok && first.providerId);
    expect(fake.messages.length).toBe(before + 2);
  });

  it('calls an invalid number permanent (21211)', async () => {
    const reason = expectFailure(await twilio.send(smsTo('+0202555')), true);
    expect(reason).toContain('21211');
    expect(reason).toContain('HTTP 400');
  });

  it('calls an opted-out number permanent (21610)', async () => {
    const reason = expectFailure(await twilio.send(smsTo(fakeTwilioNumbers.optedOut)), true);
    expect(reason).toContain('21610');
  });

  it.each([
    ['not a mobile number', 21614],
    ['region not enabled', 21408],
  ])('calls %s permanent (%i)', async (_, code) => {
    const provider = await providerAnswering(400, JSON.stringify({ code, message: 'no', status: 400 }));
    const reason = expectFailure(await provider.twilio.send(smsTo('+12025550123')), true);
    expect(reason).toContain(String(code));
    await provider.close();
  });

  it('keeps other 400 errors retryable: they are not about the number', async () => {
    const provider = await providerAnswering(400, JSON.stringify({ code: 21606, message: 'bad From' }));
    const reason = expectFailure(await provider.twilio.send(smsTo('+12025550123')), false);
    expect(reason).toBe('provider refused the message (HTTP 400, Twilio error 21606)');
    await provider.close();
  });

  it('keeps a 503 retryable', async () => {
    const reason = expectFailure(await twilio.send(smsTo(fakeTwilioNumbers.unavailable)), false);
    expect(reason).toContain('HTTP 503');
  });

  it('keeps a 429 retryable', async () => {
    const reason = expectFailure(await twilio.send(smsTo(fakeTwilioNumbers.rateLimited)), false);
    expect(reason).toContain('HTTP 429, Twilio error 20429');
  });

  it('gives up on a provider that never answers after timeoutMs, retryable', async () => {
    const impatient = createTwilioProvider({ ...fakeOptions(fake), timeoutMs: 150 });
    const started = Date.now();
    const reason = expectFailure(await impatient.send(smsTo(fakeTwilioNumbers.hang)), false);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(reason).toBe('provider did not answer within 150 ms; retry later');
  });

  it('keeps a 200 with a garbage body retryable', async () => {
    const reason = expectFailure(await twilio.send(smsTo(fakeTwilioNumbers.garbage)), false);
    expect(reason).toBe('provider answered garbage (HTTP 200)');
  });

  it('keeps a 201 without a sid retryable', async () => {
    const provider = await providerAnswering(201, JSON.stringify({ status: 'queued' }));
    const reason = expectFailure(await provider.twilio.send(smsTo('+12025550123')), false);
    expect(reason).toBe('provider answered garbage (HTTP 201)');
    await provider.close();
  });

  it('keeps wrong credentials retryable and says what to check', async () => {
    const wrong = createTwilioProvider({ ...fakeOptions(fake), authToken: 'not-the-token' });
    const reason = expectFailure(await wrong.send(smsTo(fakeTwilioNumbers.accepted)), false);
    expect(reason).toContain('HTTP 401, Twilio error 20003');
    expect(reason).toContain('auth token');
  });

  it('keeps a refused connection retryable', async () => {
    const closed = await startReceiver();
    await closed.close();
    const nowhere = createTwilioProvider({ ...fakeOptions(fake), baseUrl: closed.url });
    const reason = expectFailure(await nowhere.send(smsTo(fakeTwilioNumbers.accepted)), false);
    expect(reason).toBe('could not reach the provider (ECONNREFUSED); retry later');
  });

  it('receives signed status callbacks: delivered, and undelivered 30003 as permanent', async () => {
    const statusUrl = `${callbacks.url}/sms/status?incident=inc_1`;
    const delivered = await twilio.send(smsTo(fakeTwilioNumbers.accepted, { statusCallbackUrl: statusUrl }));
    const unreachable = await twilio.send(
      smsTo(fakeTwilioNumbers.unreachable, { statusCallbackUrl: statusUrl }),
    );
    if (!delivered.ok || !unreachable.ok) throw new Error('both sends should be accepted');
    callbacks.received.length = 0;

    const posted = await fake.deliverReceipts();
    // The first test's message also had a callback; this run delivers its receipt too.
    expect(posted.map((receipt) => receipt.httpStatus)).toEqual(posted.map(() => 204));
    expect(posted.map((receipt) => receipt.sid)).toEqual(
      expect.arrayContaining([delivered.providerId, unreachable.providerId]),
    );

    const receipts = callbacks.received.map((request) => {
      const params = Object.fromEntries(new URLSearchParams(request.rawBody));
      const url = `${callbacks.url}${request.url}`;
      const signature = request.headers['x-twilio-signature'] as string | undefined;
      expect(verifyTwilioSignature(fake.authToken, url, params, signature)).toBe(true);
      return parseTwilioStatus(params);
    });
    expect(receipts).toContainEqual({
      providerId: delivered.providerId,
      state: 'delivered',
      permanent: false,
      errorCode: null,
    });
    expect(receipts).toContainEqual({
      providerId: unreachable.providerId,
      state: 'undelivered',
      permanent: true,
      errorCode: '30003',
    });

    expect(await fake.sendStatusCallbacks()).toEqual([]);
  });
});

function fakeOptions(fake: FakeTwilio) {
  return {
    baseUrl: fake.baseUrl,
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: '+12025550199',
  };
}

/** A Twilio adapter pointed at a server that gives one fixed answer, for codes the fake does not script. */
async function providerAnswering(status: number, body: string) {
  const server = await startReceiver(() => ({ status, body }));
  const twilio = createTwilioProvider({
    baseUrl: server.url,
    accountSid: 'AC00000000000000000000000000000000',
    authToken: 'token',
    from: '+12025550199',
  });
  return { twilio, close: server.close };
}

describe('the webhook adapter against a local receiver', () => {
  const secret = 'whsec_test_0123456789';
  const script = new Map<string, Answer | 'hang'>();
  let receiver: Receiver;
  let webhook: SmsProvider;

  beforeAll(async () => {
    receiver = await startReceiver((request) => {
      const to = (JSON.parse(request.rawBody) as { to: string }).to;
      return script.get(to) ?? { status: 200, body: JSON.stringify({ id: 'gw_42' }) };
    });
    webhook = createWebhookProvider({ url: `${receiver.url}/send`, secret, from: 'Candor' });
  });
  afterAll(() => receiver.close());

  it('posts a signed JSON message the receiver can verify, and returns its id', async () => {
    const message = smsTo('+12025550123', { statusCallbackUrl: 'https://candor.example/sms/receipts' });
    expect(await webhook.send(message)).toEqual({ ok: true, providerId: 'gw_42' });

    const request = receiver.received.at(-1)!;
    expect(request.url).toBe('/send');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe(message.idempotencyKey);
    expect(JSON.parse(request.rawBody)).toEqual({
      id: message.idempotencyKey,
      from: 'Candor',
      to: '+12025550123',
      body: message.body,
      statusCallbackUrl: 'https://candor.example/sms/receipts',
    });
    const timestamp = request.headers['x-candor-timestamp'] as string;
    const signature = request.headers['x-candor-signature'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, request.rawBody, timestamp, signature)).toBe(true);
    expect(verifyWebhookSignature('another-secret', request.rawBody, timestamp, signature)).toBe(false);
  });

  it('uses the idempotency key as the provider id when the receiver returns none', async () => {
    script.set('+12025550124', { status: 202, body: '' });
    const message = smsTo('+12025550124');
    expect(await webhook.send(message)).toEqual({ ok: true, providerId: message.idempotencyKey });
    expect(JSON.parse(receiver.received.at(-1)!.rawBody).statusCallbackUrl).toBeNull();
  });

  it.each([
    [400, true],
    [404, true],
    [410, true],
    [422, true],
    [408, false],
    [429, false],
    // Our credentials, not the person's number: retried, so a wrong secret cannot fail everyone over.
    [401, false],
    [403, false],
    [500, false],
    [503, false],
    [302, false],
  ])('classifies HTTP %i as permanent: %s', async (status, isPermanent) => {
    const to = `+1202555${String(status).padStart(4, '0')}`;
    script.set(to, { status, body: JSON.stringify({ error: `rejected ${to}` }) });
    const reason = expectFailure(await webhook.send(smsTo(to)), isPermanent);
    expect(reason).toContain(`HTTP ${status}`);
  });

  // pins: a redirect carrying the signed payload (a person's number and notice) to another host
  it('does not follow a redirect', async () => {
    const elsewhere = await startReceiver(() => ({ status: 200, body: JSON.stringify({ id: 'elsewhere' }) }));
    script.set('+12025550307', { status: 307, headers: { Location: `${elsewhere.url}/collect` } });
    const reason = expectFailure(await webhook.send(smsTo('+12025550307')), false);
    expect(reason).toContain('HTTP 307');
    expect(elsewhere.received).toEqual([]);
    await elsewhere.close();
  });

  it('gives up on a receiver that never answers, retryable', async () => {
    script.set('+12025550188', 'hang');
    const impatient = createWebhookProvider({ url: receiver.url, secret, from: 'Candor', timeoutMs: 150 });
    const reason = expectFailure(await impatient.send(smsTo('+12025550188')), false);
    expect(reason).toBe('provider did not answer within 150 ms; retry later');
  });
});

// pins: invariant 1 — failure reasons land on delivery rows, in logs and on the console; a provider's error
// text quotes the number, and nothing of the person may travel with the reason.
describe('failure reasons carry no personal data', () => {
  it('never includes the number or the body, for every failure of either adapter', async () => {
    const fake = await startFakeTwilio();
    const gateway = await startReceiver((request) => {
      const { to } = JSON.parse(request.rawBody) as { to: string };
      const status = Number(to.slice(-3));
      return { status, body: JSON.stringify({ error: `cannot send to ${to}`, to }) };
    });
    const twilio = createTwilioProvider({ ...fakeOptions(fake), timeoutMs: 150 });
    const webhook = createWebhookProvider({ url: gateway.url, secret: 's', from: 'Candor', timeoutMs: 150 });
    const body = 'Maria, your SSN 078-05-1120 and card 4111 1111 1111 1111 were exposed.';
    const attempts: Array<[SmsProvider, string]> = [
      [twilio, '+02025550777'],
      ...[
        fakeTwilioNumbers.optedOut,
        fakeTwilioNumbers.unavailable,
        fakeTwilioNumbers.rateLimited,
        fakeTwilioNumbers.hang,
        fakeTwilioNumbers.garbage,
      ].map((to): [SmsProvider, string] => [twilio, to]),
      ...['+12025550400', '+12025550410', '+12025550429', '+12025550500'].map((to): [SmsProvider, string] => [
        webhook,
        to,
      ]),
    ];
    try {
      for (const [provider, to] of attempts) {
        const result = await provider.send({ to, body, idempotencyKey: `pii_${to}` });
        if (result.ok) throw new Error(`expected ${provider.name} to fail`);
        const digits = to.replace(/\D/g, '');
        expect(result.reason).not.toContain(digits.slice(-7));
        expect(result.reason).not.toContain('Maria');
        expect(result.reason).not.toContain('078-05');
        expect(result.reason).not.toContain('4111');
      }
    } finally {
      await fake.close();
      await gateway.close();
    }
  });
});

describe('Twilio signatures', () => {
  // Twilio's published example (their SDKs test against it): an independent reference, so an implementation
  // that only agrees with itself cannot pass.
  const authToken = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  };
  const documented = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

  it("computes Twilio's documented signature, whatever order the parameters come in", () => {
    expect(twilioSignature(authToken, url, params)).toBe(documented);
    const shuffled = Object.fromEntries(Object.entries(params).reverse());
    expect(Object.keys(shuffled)[0]).toBe('To');
    expect(twilioSignature(authToken, url, shuffled)).toBe(documented);
  });

  // pins: forged status callbacks marking undelivered notices as delivered (or the reverse)
  it('verifies only an untouched request signed with the right token', () => {
    expect(verifyTwilioSignature(authToken, url, params, documented)).toBe(true);
    expect(verifyTwilioSignature(authToken, url, { ...params, Digits: '9999' }, documented)).toBe(false);
    expect(verifyTwilioSignature(authToken, `${url}&baz=3`, params, documented)).toBe(false);
    expect(verifyTwilioSignature('54321', url, params, documented)).toBe(false);
    expect(verifyTwilioSignature(authToken, url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature(authToken, url, params, '')).toBe(false);
    expect(verifyTwilioSignature(authToken, url, params, 'short')).toBe(false);
    expect(verifyTwilioSignature('', url, params, twilioSignature('', url, params))).toBe(false);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_0123456789';
  const rawBody = '{"id":"dlv_1","status":"delivered"}';
  const now = 1_760_000_000;
  const timestamp = String(now);
  const signature = webhookSignature(secret, timestamp, rawBody);

  it('accept a fresh, untouched request signed with the secret', () => {
    expect(verifyWebhookSignature(secret, rawBody, timestamp, signature, now)).toBe(true);
    expect(verifyWebhookSignature(secret, rawBody, timestamp, signature, now + 300)).toBe(true);
  });

  // pins: a forged receipt, or a genuine one with its body altered in transit
  it('refuse a tampered body, a wrong secret, a missing header or a malformed signature', () => {
    expect(
      verifyWebhookSignature(secret, rawBody.replace('delivered', 'failed'), timestamp, signature, now),
    ).toBe(false);
    expect(verifyWebhookSignature('whsec_other', rawBody, timestamp, signature, now)).toBe(false);
    expect(verifyWebhookSignature(secret, rawBody, undefined, signature, now)).toBe(false);
    expect(verifyWebhookSignature(secret, rawBody, timestamp, undefined, now)).toBe(false);
    expect(verifyWebhookSignature(secret, rawBody, timestamp, signature.slice(3), now)).toBe(false);
    expect(verifyWebhookSignature(secret, rawBody, `${timestamp}.5`, signature, now)).toBe(false);
    expect(
      verifyWebhookSignature('', rawBody, timestamp, webhookSignature('', timestamp, rawBody), now),
    ).toBe(false);
  });

  // pins: replaying a captured receipt later, or re-stamping it with a fresh timestamp
  it('refuse a stale or far-future timestamp, and a signature moved to a new timestamp', () => {
    expect(verifyWebhookSignature(secret, rawBody, timestamp, signature, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, rawBody, timestamp, signature, now - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, rawBody, timestamp, signature, now + 60, 30)).toBe(false);
    expect(verifyWebhookSignature(secret, rawBody, String(now + 200), signature, now + 200)).toBe(false);
  });
});

describe('parseTwilioStatus', () => {
  const sid = `SM${'0'.repeat(32)}`;
  const parse = (status: string, errorCode?: string) =>
    parseTwilioStatus({
      MessageSid: sid,
      MessageStatus: status,
      ...(errorCode ? { ErrorCode: errorCode } : {}),
    });

  it.each([
    ['queued', 'queued'],
    ['accepted', 'queued'],
    ['sending', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['failed', 'failed'],
    ['undelivered', 'undelivered'],
  ])('maps %s to %s', (status, state) => {
    expect(parse(status)).toEqual({ providerId: sid, state, permanent: false, errorCode: null });
  });

  it.each(['30003', '30005', '30006'])('calls undelivered with carrier error %s permanent', (code) => {
    expect(parse('undelivered', code)).toEqual({
      providerId: sid,
      state: 'undelivered',
      permanent: true,
      errorCode: code,
    });
  });

  it('calls failed for a refused number permanent, and other errors not', () => {
    expect(parse('failed', '21610')?.permanent).toBe(true);
    expect(parse('failed', '30008')).toEqual({
      providerId: sid,
      state: 'failed',
      permanent: false,
      errorCode: '30008',
    });
    expect(parse('undelivered', '30007')?.permanent).toBe(false);
    expect(parse('delivered', '30003')?.permanent).toBe(false);
  });

  it('reads the legacy SmsSid and SmsStatus names', () => {
    expect(parseTwilioStatus({ SmsSid: sid, SmsStatus: 'sent' })?.state).toBe('sent');
  });

  it('returns null for what is not a receipt', () => {
    expect(parseTwilioStatus({ MessageStatus: 'delivered' })).toBeNull();
    expect(parseTwilioStatus({ MessageSid: sid })).toBeNull();
    expect(parse('received')).toBeNull();
    expect(parse('constructor')).toBeNull();
    expect(parseTwilioStatus({ MessageSid: 'SM <script>', MessageStatus: 'sent' })).toBeNull();
  });

  it('drops an error code that is not a number', () => {
    expect(parse('failed', 'x; drop')?.errorCode).toBeNull();
  });
});

describe('parseWebhookReceipt', () => {
  it('reads a receipt, counting permanent only on failures', () => {
    expect(parseWebhookReceipt({ id: 'gw_1', status: 'delivered' })).toEqual({
      providerId: 'gw_1',
      state: 'delivered',
      permanent: false,
      errorCode: null,
    });
    expect(
      parseWebhookReceipt({
        id: 'gw_1',
        status: 'undelivered',
        permanent: true,
        error: 'UNKNOWN_SUBSCRIBER',
      }),
    ).toEqual({ providerId: 'gw_1', state: 'undelivered', permanent: true, errorCode: 'UNKNOWN_SUBSCRIBER' });
    expect(parseWebhookReceipt({ id: 'gw_1', status: 'failed', error: 30003 })?.errorCode).toBe('30003');
    expect(parseWebhookReceipt({ id: 'gw_1', status: 'sent', permanent: true })?.permanent).toBe(false);
  });

  it('returns null for anything else', () => {
    for (const junk of [
      null,
      'delivered',
      [],
      {},
      { id: 'gw_1' },
      { id: 'gw_1', status: 'bounced' },
      { id: '', status: 'sent' },
      { id: 7, status: 'sent' },
      { id: 'gw_1', status: 'failed', permanent: 'yes' },
    ]) {
      expect(parseWebhookReceipt(junk)).toBeNull();
    }
  });
});

describe('normalizeE164', () => {
  it.each([
    ['+14155550101', '+14155550101'],
    ['+1 (415) 555-0101', '+14155550101'],
    [' +44 20 7946 0958 ', '+442079460958'],
    ['＋４９ 30 901820', '+4930901820'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizeE164(input)).toBe(expected);
  });

  it.each([
    '4155550101',
    '00442079460958',
    '+1',
    '+1 415 555 0101 ext. 12',
    'call +14155550101',
    '',
    '+999 1234',
  ])('refuses %j', (input) => {
    expect(normalizeE164(input)).toBeNull();
  });
});
