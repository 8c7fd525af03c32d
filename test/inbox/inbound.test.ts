import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import { startInboundSmtp } from '../../src/server/modules/outbound/index.ts';
import { twilioSignature, webhookSignature } from '../../src/server/platform/sms/index.ts';
import { type Client, ok } from '../incidents/helpers.ts';
import {
  ann,
  type InboxSetup,
  inboxMessageCount,
  inboxOf,
  listOf,
  outbox,
  setupInbox,
  threadOf,
} from './helpers.ts';

/**
 * How questions arrive: the provider webhooks for email and SMS (our signature, Twilio's signature), and
 * the built-in SMTP listener's support mailbox driven by a real SMTP client. Bad signatures store nothing,
 * retries are stored once, hostile mail is handled without crashing, attachments are sealed and served
 * only as downloads.
 */
const SECRET = 'whsec_inbox_0123456789';
const TWILIO_TOKEN = 'twilio_auth_token_0123456789';
const PUBLIC_URL = 'https://candor.example.test';
const SUPPORT = 'help@example.com';
const MAX_BYTES = 60_000;
const MAX_ATTACHMENT = 2_000;

let s: InboxSetup;
let agent: Client;
let smtp: ReturnType<typeof startInboundSmtp>;
let campaigns: ReturnType<typeof createCampaignsModule>;

beforeAll(async () => {
  s = await setupInbox({
    INBOX_WEBHOOK_SECRET: SECRET,
    SMS_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    CANDOR_PUBLIC_URL: PUBLIC_URL,
    CANDOR_INBOUND_SMTP_PORT: '0',
    CANDOR_SUPPORT_ADDRESSES: SUPPORT,
    CANDOR_INBOUND_MAX_BYTES: String(MAX_BYTES),
    CANDOR_ATTACHMENT_MAX_BYTES: String(MAX_ATTACHMENT),
  });
  agent = s.agent;
  campaigns = createCampaignsModule(s.t.ctx);
  smtp = startInboundSmtp({ ...s.t.ctx, engine: campaigns.engine }, [inboxOf(s.t).mailbox()]);
  for (let i = 0; i < 200; i++) {
    try {
      if (smtp.port() > 0) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});
afterAll(async () => {
  await smtp?.close();
  await campaigns?.close();
  await s?.t.close();
});

/** The single thread whose messages hold this word. */
async function threadWith(word: string) {
  const list = await listOf(agent, { search: word });
  expect(list.threads, `threads with "${word}"`).toHaveLength(1);
  return threadOf(agent, list.threads[0]!.id);
}

async function storedWith(word: string): Promise<number> {
  return (await listOf(agent, { search: word })).total;
}

describe('the inbound email webhook', () => {
  function post(body: unknown, headers: Record<string, string> = {}, raw = JSON.stringify(body)) {
    return s.t.app.inject({
      method: 'POST',
      url: '/api/hooks/inbox/email',
      headers: { 'content-type': 'application/json', ...headers },
      payload: raw,
    });
  }
  function signed(body: unknown, secret = SECRET, timestamp = String(Math.floor(Date.now() / 1000))) {
    const raw = JSON.stringify(body);
    return post(
      body,
      { 'x-candor-timestamp': timestamp, 'x-candor-signature': webhookSignature(secret, timestamp, raw) },
      raw,
    );
  }

  it('refuses a missing, wrong, stale or mismatched signature with 401 and stores nothing', async () => {
    const body = {
      id: 'evt-bad-1',
      from: 'hook.sender@example.org',
      subject: 'Hi',
      text: 'Bad signature aardvark',
    };
    const before = await inboxMessageCount(s.t);
    expect((await post(body)).statusCode).toBe(401);
    expect((await signed(body, 'another-secret')).statusCode).toBe(401);
    expect((await signed(body, SECRET, String(Math.floor(Date.now() / 1000) - 3_600))).statusCode).toBe(401);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const tampered = await post(
      { ...body, text: 'Tampered aardvark' },
      {
        'x-candor-timestamp': timestamp,
        'x-candor-signature': webhookSignature(SECRET, timestamp, JSON.stringify(body)),
      },
    );
    expect(tampered.statusCode).toBe(401);
    expect(await inboxMessageCount(s.t)).toBe(before);
  });

  it('stores a signed message, with its attachments sealed, and a provider retry once', async () => {
    const body = {
      id: 'evt-good-1',
      from: 'Hook.Sender@Example.org',
      name: 'Hook Sender',
      subject: 'Webhook subject',
      text: 'Signed message wombat',
      attachments: [
        {
          filename: 'note.txt',
          contentType: 'text/plain',
          contentBase64: Buffer.from('small file').toString('base64'),
        },
        {
          filename: 'huge.bin',
          contentType: 'application/octet-stream',
          contentBase64: Buffer.alloc(5_000, 1).toString('base64'),
        },
      ],
    };
    const first = ok<{ status: string; threadId: string }>(await signed(body));
    expect(first.status).toBe('stored');
    const again = ok<{ status: string }>(await signed(body));
    expect(again.status).toBe('duplicate');
    expect(await storedWith('wombat')).toBe(1);
    const thread = await threadWith('wombat');
    expect(thread.id).toBe(first.threadId);
    expect(thread.channel).toBe('email');
    expect(thread.subject).toBe('Webhook subject');
    const inbound = thread.messages.filter((m) => m.direction === 'in');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]!.body).toContain('Signed message wombat');
    expect(inbound[0]!.body).toContain(
      '[Attachments not kept (over the size or count limit): huge.bin (5 kB)]',
    );
    expect(inbound[0]!.attachments).toEqual([
      expect.objectContaining({ filename: 'note.txt', contentType: 'text/plain', size: 10 }),
    ]);
  });

  it('answers a provider id holding a NUL byte without a server error', async () => {
    const response = await signed({ id: 'evt-\u0000-nul', from: 'nul.hook@example.org', text: 'NUL id' });
    expect(response.statusCode).toBeLessThan(500);
  });

  it('answers 400 to a signed request that is not an inbound message', async () => {
    const response = await signed({ hello: 'world' });
    expect(response.statusCode).toBe(400);
  });
});

describe('the inbound SMS webhook', () => {
  function signed(body: unknown, secret = SECRET) {
    const raw = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return s.t.app.inject({
      method: 'POST',
      url: '/api/hooks/sms/webhook/inbound',
      headers: {
        'content-type': 'application/json',
        'x-candor-timestamp': timestamp,
        'x-candor-signature': webhookSignature(secret, timestamp, raw),
      },
      payload: raw,
    });
  }

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const before = await inboxMessageCount(s.t);
    const body = { id: 'sms-bad', from: '+12025550161', text: 'Unsigned platypus' };
    expect((await signed(body, 'wrong')).statusCode).toBe(401);
    const unsigned = await s.t.app.inject({
      method: 'POST',
      url: '/api/hooks/sms/webhook/inbound',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(unsigned.statusCode).toBe(401);
    expect(await inboxMessageCount(s.t)).toBe(before);
  });

  it('stores a signed text message once, linked to the affected person', async () => {
    const body = { id: 'sms-good-1', from: ann.phone, text: 'Is this real? numbat' };
    expect(ok<{ status: string }>(await signed(body)).status).toBe('stored');
    expect(ok<{ status: string }>(await signed(body)).status).toBe('duplicate');
    const thread = await threadWith('numbat');
    expect(thread.channel).toBe('sms');
    expect(thread.personLinked).toBe(true);
    expect(thread.incidentId).toBe(s.incidentId);
    expect(thread.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
  });
});

describe("Twilio's inbound webhook", () => {
  const path = '/api/hooks/sms/twilio/inbound';
  function post(params: Record<string, string>, signature?: string) {
    return s.t.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
      },
      payload: new URLSearchParams(params).toString(),
    });
  }
  const params = (sid: string, body: string) => ({
    AccountSid: 'AC0123',
    MessageSid: sid,
    From: '+12025550162',
    To: '+12025550100',
    Body: body,
    NumMedia: '0',
  });

  it('stores a message signed with the auth token for the public URL, once', async () => {
    const p = params('SM-good-1', 'Twilio says quetzal');
    const signature = twilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}${path}`, p);
    const first = await post(p, signature);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/xml');
    expect(first.body).toContain('<Response></Response>');
    expect((await post(p, signature)).statusCode).toBe(200);
    expect(await storedWith('quetzal')).toBe(1);
    const thread = await threadWith('quetzal');
    expect(thread.channel).toBe('sms');
    expect(thread.sender).toBe('•••• 0162');
    expect(thread.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('refuses a bad, missing or foreign signature with 401 and stores nothing', async () => {
    const before = await inboxMessageCount(s.t);
    const p = params('SM-bad-1', 'Forged toucan');
    expect((await post(p)).statusCode).toBe(401);
    expect((await post(p, twilioSignature('another-token', `${PUBLIC_URL}${path}`, p))).statusCode).toBe(401);
    expect((await post(p, twilioSignature(TWILIO_TOKEN, `http://localhost${path}`, p))).statusCode).toBe(401);
    const signedOther = twilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}${path}`, params('SM-bad-1', 'Original'));
    expect((await post(p, signedOther)).statusCode).toBe(401);
    expect(await inboxMessageCount(s.t)).toBe(before);
  });
});

describe('the inbound SMTP listener', () => {
  async function send(
    mail: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0],
  ): Promise<{ response: string }> {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtp.port(),
      secure: false,
      ignoreTLS: true,
    });
    try {
      return (await transport.sendMail(mail)) as { response: string };
    } finally {
      transport.close();
    }
  }

  it('files mail to a support address with its subject and a sealed attachment, served only as a download', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4 '), Buffer.from('SEALEDPAYLOADMARKER'.repeat(20))]);
    const html = Buffer.from('<html><script>alert(document.cookie)</script>hello</html>');
    const result = await send({
      from: 'Mail Sender <mail.sender@example.org>',
      to: 'HELP@example.com',
      subject: 'Question about my receipt',
      text: 'Please look at the attached receipt, capybara.',
      messageId: '<receipt-1@example.org>',
      attachments: [
        { filename: 'receipt.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'page.html', content: html, contentType: 'text/html' },
      ],
    });
    expect(result.response).toMatch(/^250/);
    const thread = await threadWith('capybara');
    expect(thread.channel).toBe('email');
    expect(thread.subject).toBe('Question about my receipt');
    expect(thread.sender).toBe('m•••@example.org');
    const message = thread.messages.find((m) => m.direction === 'in')!;
    expect(message.body).toContain('Please look at the attached receipt, capybara.');
    expect(message.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      ['receipt.pdf', 'application/pdf', pdf.length],
      ['page.html', 'text/html', html.length],
    ]);

    for (const [attachment, bytes] of [
      [message.attachments[0]!, pdf],
      [message.attachments[1]!, html],
    ] as const) {
      const download = await agent.get(`/api/inbox/threads/${thread.id}/attachments/${attachment.id}`);
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('application/octet-stream');
      expect(String(download.headers['content-disposition'])).toMatch(
        new RegExp(`^attachment; filename="${attachment.filename.replace('.', '\\.')}"`),
      );
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.rawPayload.equals(bytes)).toBe(true);
    }
    // Sealed at rest: neither the bytes nor the name are in the row.
    const rows = await s.t.ctx.db
      .selectFrom('inbox_attachments')
      .select(['data_sealed', 'filename_sealed'])
      .where('message_id', '=', message.id)
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.data_sealed.includes(Buffer.from('SEALEDPAYLOADMARKER'))).toBe(false);
      expect(row.data_sealed.includes(Buffer.from('<script>'))).toBe(false);
      expect(row.filename_sealed.includes(Buffer.from('receipt'))).toBe(false);
    }
    // Not through another thread, and not for anyone signed out.
    const other = (await listOf(agent, { search: 'numbat' })).threads[0]!.id;
    expect(
      (await agent.get(`/api/inbox/threads/${other}/attachments/${message.attachments[0]!.id}`)).statusCode,
    ).toBe(404);
    const anonymous = await s.t.app.inject({
      method: 'GET',
      url: `/api/inbox/threads/${thread.id}/attachments/${message.attachments[0]!.id}`,
    });
    expect(anonymous.statusCode).toBe(401);
    const audited = await s.t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'inbox.attachment_downloaded')
      .where('target_id', '=', thread.id)
      .execute();
    expect(audited).toHaveLength(2);
  });

  it('stores a redelivered message (same Message-ID) once', async () => {
    const mail = {
      from: 'resend@example.org',
      to: SUPPORT,
      subject: 'Resent',
      text: 'Delivered twice, wallaby.',
      messageId: '<resent-1@example.org>',
    };
    await send(mail);
    await send(mail);
    const thread = await threadWith('wallaby');
    expect(thread.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('refuses mail for any other address with 550 and keeps nothing', async () => {
    const before = await inboxMessageCount(s.t);
    await expect(
      send({
        from: 'someone@example.org',
        to: 'sales@example.com',
        subject: 'Hi',
        text: 'Not for support ocelot',
      }),
    ).rejects.toThrow(/550/);
    expect(await inboxMessageCount(s.t)).toBe(before);
  });

  it('refuses a message over the size limit with 552 and keeps nothing', async () => {
    const before = await inboxMessageCount(s.t);
    await expect(
      send({
        from: 'big@example.org',
        to: SUPPORT,
        subject: 'Too big',
        text: `Huge message pangolin ${'x'.repeat(MAX_BYTES + 10_000)}`,
      }),
    ).rejects.toThrow(/552/);
    expect(await inboxMessageCount(s.t)).toBe(before);
    expect(await storedWith('pangolin')).toBe(0);
  });

  it('drops an attachment over the limit and says so in the message', async () => {
    await send({
      from: 'attach@example.org',
      to: SUPPORT,
      subject: 'Big attachment',
      text: 'See the scan, armadillo.',
      attachments: [
        { filename: 'scan.png', content: Buffer.alloc(MAX_ATTACHMENT + 3_000, 7), contentType: 'image/png' },
      ],
    });
    const thread = await threadWith('armadillo');
    const message = thread.messages.find((m) => m.direction === 'in')!;
    expect(message.attachments).toEqual([]);
    expect(message.body).toContain('[Attachments not kept (over the size or count limit): scan.png (5 kB)]');
    const stored = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM inbox_attachments WHERE message_id = ${message.id}`.execute(s.t.ctx.db);
    expect(stored.rows[0]!.n).toBe('0');
  });

  it('files an HTML-only message as text, never as markup', async () => {
    await send({
      from: 'html@example.org',
      to: SUPPORT,
      subject: 'Formatted',
      html: '<p>Hello <b>there</b>, chinchilla.</p><script>alert(1)</script><img src="http://tracker.example/x.gif">',
    });
    const thread = await threadWith('chinchilla');
    const body = thread.messages.find((m) => m.direction === 'in')!.body;
    expect(body).toContain('Hello there, chinchilla.');
    expect(body).not.toContain('<');
  });

  it('survives malformed MIME and garbage bytes, and takes the next message', async () => {
    const garbage = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x1b, 0x5b, 0x32, 0x4a]),
      Buffer.from('\r\n\r\n\r\n.\r\n..\r\n'),
      Buffer.from(Array.from({ length: 2_000 }, (_, i) => (i * 37) % 256)),
    ]);
    const brokenMime = [
      'From: broken@example.org',
      'To: help@example.com',
      'Subject: =?utf-8?B?broken-base64!!!?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=unknown-8bit',
      'Content-Transfer-Encoding: base64',
      '',
      '!!!not base64 at all!!!',
      '--never-closed',
      'Content-Type: application/octet-stream; name="a.bin"',
      "Content-Disposition: attachment; filename*=UTF-8''%ZZ%00",
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '=ZZ=0',
      '',
    ].join('\r\n');
    const headersOnly = 'From: \r\nSubject: nothing\r\n\r\n';
    for (const raw of [garbage, Buffer.from(brokenMime), Buffer.from(headersOnly)]) {
      try {
        const result = await send({ envelope: { from: 'junk@example.org', to: SUPPORT }, raw });
        expect(result.response).toMatch(/^250/);
      } catch (error) {
        // Refusing hostile mail for good is fine; asking the sender to retry it forever is not.
        expect(String((error as { responseCode?: number }).responseCode)).toMatch(/^5/);
      }
    }
    await send({
      from: 'after@example.org',
      to: SUPPORT,
      subject: 'Still there?',
      text: 'After the junk, axolotl.',
    });
    expect(await storedWith('axolotl')).toBe(1);
  });

  // pins: PostgreSQL text cannot hold NUL; a header with one must not make every delivery fail with 451
  // (the sending server would retry for days and the question would never reach the inbox).
  it('files (or refuses for good) a message whose headers hold NUL bytes, never asking for a retry', async () => {
    const raws = [
      [
        'From: nul.id@example.org',
        'To: help@example.com',
        'Subject: NUL in the Message-ID',
        'Message-ID: <nul\u0000id@example.org>',
        '',
        'Odd header, tapir.',
        '',
      ].join('\r\n'),
      [
        'From: nul.type@example.org',
        'To: help@example.com',
        'Subject: NUL in a content type',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Odd attachment, tapir.',
        '--b',
        'Content-Type: application/x\u0000evil; name="f.bin"',
        'Content-Disposition: attachment; filename="f.bin"',
        '',
        'data',
        '--b--',
        '',
      ].join('\r\n'),
    ];
    for (const raw of raws) {
      let code = 250;
      try {
        await send({ envelope: { from: 'nul@example.org', to: SUPPORT }, raw });
      } catch (error) {
        code = (error as { responseCode?: number }).responseCode ?? 0;
      }
      expect(code === 250 || (code >= 500 && code < 600), `SMTP answer ${code}`).toBe(true);
    }
  });

  it('keys a thread by the From header, but sends the verification code only to the address on file', async () => {
    const forged = [
      'From: "Ann Lee" <ann.lee@example.com>',
      'Reply-To: attacker@evil.example',
      'To: help@example.com',
      'Subject: Please verify me',
      'Message-ID: <forged-1@evil.example>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Send the code to attacker@evil.example, I am Ann. Iguana.',
      '',
    ].join('\r\n');
    await send({ envelope: { from: 'attacker@evil.example', to: SUPPORT }, raw: forged });
    const thread = await threadWith('iguana');
    expect(thread.sender).toBe('a•••@example.com');
    expect(thread.personLinked).toBe(true);
    expect(thread.person).not.toHaveProperty('exposure');
    ok(await agent.post(`/api/inbox/threads/${thread.id}/verification`));
    const sent = await outbox(s.t);
    const codes = sent.filter((m) => m.kind === 'inbox_verification');
    expect(codes.map((m) => m.to)).toEqual([ann.email]);
    expect(sent.some((m) => m.to.includes('evil.example'))).toBe(false);
  });
});
