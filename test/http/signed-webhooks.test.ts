import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UNVERIFIED_BODY_LIMIT } from '../../src/server/platform/http/signed-webhook.ts';
import { twilioSignature, webhookSignature } from '../../src/server/platform/sms/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * Attack: memory and CPU exhaustion through the provider webhooks, which are public. The inbound email
 * webhook parsed up to 15 MB of JSON (and every /api/hooks/* route its whole body) before looking at the
 * signature, so anyone could make the server buffer and JSON.parse megabytes per request without knowing
 * the secret. Now: no signature headers, no body read; a body is raw bytes, at most 64 kB unless the route
 * needs more, and JSON is parsed only after the HMAC over those bytes matches.
 */
const SECRET = 'whsec_hooks_0123456789';
const TWILIO_TOKEN = 'twilio_token_0123456789';
const PUBLIC_URL = 'https://candor.example.test';
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    INBOX_WEBHOOK_SECRET: SECRET,
    EMAIL_WEBHOOK_SECRET: SECRET,
    SMS_WEBHOOK_SECRET: SECRET,
    SMS_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    CANDOR_PUBLIC_URL: PUBLIC_URL,
  });
});
afterAll(() => t.close());

const candorRoutes = [
  '/api/hooks/inbox/email',
  '/api/hooks/sms/webhook/inbound',
  '/api/hooks/email',
  '/api/hooks/sms/webhook',
];
const twilioRoutes = ['/api/hooks/sms/twilio/inbound', '/api/hooks/sms/twilio'];
const now = () => String(Math.floor(Date.now() / 1000));
/** Headers that look right (fresh, well formed) but are not the HMAC of the body. */
const forged = () => ({ 'x-candor-timestamp': now(), 'x-candor-signature': `v1=${'ab'.repeat(32)}` });

/** A JSON body of about `bytes` bytes, produced lazily, recording how much of it the server pulled. */
function lazyJson(bytes: number) {
  const state = { pulled: 0 };
  const chunk = Buffer.from(`"${'x'.repeat(64 * 1024 - 3)}",`);
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent === 0) {
        this.push('{"pad":[');
        sent += 8;
      } else if (sent + chunk.length < bytes) {
        this.push(chunk);
        sent += chunk.length;
      } else {
        this.push('"x"]}');
        this.push(null);
      }
      state.pulled = sent;
    },
  });
  return { stream, state };
}

describe('signed webhooks', () => {
  it.each(candorRoutes)('%s reads no body from a request without signature headers', async (url) => {
    const body = lazyJson(12_000_000);
    const response = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: body.stream,
    });
    expect(response.statusCode).toBe(401);
    // A few chunks may be in flight; never the megabytes.
    expect(body.state.pulled).toBeLessThan(1_000_000);
  });

  it.each(candorRoutes)('%s parses no JSON before the signature over the bytes matches', async (url) => {
    const raw = JSON.stringify({ id: 'x', from: 'a@example.org', text: 'y'.repeat(30_000) });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', ...forged() },
        payload: raw,
      });
      expect(response.statusCode).toBe(401);
      expect(parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > 1000)).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  it.each([...candorRoutes.slice(1), ...twilioRoutes])(
    '%s refuses a body over 64 kB before checking it',
    async (url) => {
      const isTwilio = twilioRoutes.includes(url);
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: isTwilio
          ? { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'AAAA' }
          : { 'content-type': 'application/json', ...forged() },
        payload: isTwilio
          ? `Body=${'z'.repeat(UNVERIFIED_BODY_LIMIT)}`
          : `"${'z'.repeat(UNVERIFIED_BODY_LIMIT)}"`,
      });
      expect(response.statusCode).toBe(413);
    },
  );

  it('still takes a genuine inbound email of several megabytes (attachments)', async () => {
    const raw = JSON.stringify({
      id: 'big-1',
      from: 'big.sender@example.org',
      text: 'Large but signed',
      attachments: [
        { filename: 'scan.pdf', contentType: 'application/pdf', contentBase64: 'A'.repeat(3_000_000) },
      ],
    });
    const timestamp = now();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/hooks/inbox/email',
      headers: {
        'content-type': 'application/json',
        'x-candor-timestamp': timestamp,
        'x-candor-signature': webhookSignature(SECRET, timestamp, raw),
      },
      payload: raw,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'stored' });
  });

  it('checks the signature over the bytes sent, and answers 400 to a signed body that is not JSON', async () => {
    const raw = Buffer.from('{"id":"bytes-1","from":"+12025550199","text":"caf\xe9"}', 'latin1');
    const timestamp = now();
    const signed = (body: Buffer, signature = webhookSignature(SECRET, timestamp, body)) =>
      t.app.inject({
        method: 'POST',
        url: '/api/hooks/sms/webhook/inbound',
        headers: {
          'content-type': 'application/json',
          'x-candor-timestamp': timestamp,
          'x-candor-signature': signature,
        },
        payload: body,
      });
    // Signed as the UTF-8 reading of the bytes (what a string-based check compared) is not the same signature.
    expect((await signed(raw, webhookSignature(SECRET, timestamp, raw.toString('utf8')))).statusCode).toBe(
      401,
    );
    expect((await signed(raw)).statusCode).toBe(200);
    expect((await signed(Buffer.from('not json'))).statusCode).toBe(400);
  });

  it('takes a genuine Twilio post, and refuses one whose fields were changed', async () => {
    const fields = { MessageSid: 'SM-hooks-1', From: '+12025550198', Body: 'Hello' };
    const post = (body: Record<string, string>, signature: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/hooks/sms/twilio/inbound',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        payload: new URLSearchParams(body).toString(),
      });
    const signature = twilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}/api/hooks/sms/twilio/inbound`, fields);
    expect((await post({ ...fields, Body: 'Changed' }, signature)).statusCode).toBe(401);
    expect((await post(fields, signature)).statusCode).toBe(200);
  });
});
