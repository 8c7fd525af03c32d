import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComposePool } from '../../src/server/modules/outbound/compose-pool.ts';
import type { RenderedMessage } from '../../src/server/modules/outbound/index.ts';
import { smtpSender } from '../../src/server/modules/outbound/senders.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';

/**
 * Large batches of email are composed ahead on compose threads; the SMTP sender then writes those bytes as
 * they are. The message that arrives must be the one nodemailer would have composed while sending: same
 * headers, same text, same Message-ID, same envelope.
 */
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

const message = (to: string, messageId: string): RenderedMessage => ({
  incidentId: null,
  campaignId: 'c',
  pn: 1,
  messageId,
  to,
  from: 'Example Shop <notices@example.test>',
  replyTo: 'help@example.test',
  subject: 'Important: your account — what happened',
  html: '<p>Dear Zoé,</p><p>Read more: <a href="https://n.example.test/me">your page</a></p>',
  text: `Dear Zoé,\n\nRead more: https://n.example.test/me\n\n${'A long line of text. '.repeat(20)}`,
  verificationCode: 'ABCD1234EFGH',
  headers: { 'List-Unsubscribe': '<https://n.example.test/u>' },
});

describe('emails composed ahead', () => {
  it('arrive exactly as emails composed while sending (headers, text, Message-ID, recipient)', async () => {
    const sender = smtpSender({ SMTP_URL: sink.url });
    const pool = createComposePool(1);
    try {
      const ahead = message('ahead@exämple.test', '<ahead@candor.test>');
      [ahead.composed] = await pool.compose([ahead]);
      expect(ahead.composed?.raw.byteLength).toBeGreaterThan(500);
      expect(await sender.send(ahead)).toEqual({ ok: true, providerId: '<ahead@candor.test>' });
      expect(await sender.send(message('inline@exämple.test', '<inline@candor.test>'))).toEqual({
        ok: true,
        providerId: '<inline@candor.test>',
      });
    } finally {
      sender.close();
      await pool.close();
    }
    const [ahead, inline] = ['<ahead@candor.test>', '<inline@candor.test>'].map(
      (id) => sink.messages.find((m) => m.messageId === id)!,
    );
    expect(ahead!.to).toEqual(['ahead@exämple.test']);
    expect(inline!.to).toEqual(['inline@exämple.test']);
    expect(ahead!.subject).toBe(inline!.subject);
    expect(ahead!.text).toBe(inline!.text);
    const comparable = (headers: Record<string, string>) => {
      const { date: _date, 'content-type': contentType, 'message-id': _id, to: _to, ...rest } = headers;
      return { ...rest, 'content-type': contentType?.replace(/boundary=".*"/, 'boundary') };
    };
    expect(comparable(ahead!.headers)).toEqual(comparable(inline!.headers));
    expect(ahead!.headers['x-candor-verification']).toBe('ABCD1234EFGH');
  });
});

describe('a compose pool that lost its threads', () => {
  it('refuses the next batch at once instead of waiting forever (the lane then composes while sending)', async () => {
    const pool = createComposePool(1);
    await pool.close();
    await expect(pool.compose([message('late@example.test', '<late@candor.test>')])).rejects.toThrow(
      /compose threads are closed|compose thread exited/,
    );
  });
});
