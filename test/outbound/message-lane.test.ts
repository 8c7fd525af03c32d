import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enqueueMessage,
  type RenderedMessage,
  type Senders,
  type SendOutcome,
} from '../../src/server/modules/outbound/index.ts';
import { createOutbound } from '../../src/server/wiring.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * The message lane serves the most urgent kind first and pauses a kind whose attempts mostly fail, with
 * the pause and its audit row in one transaction; the queue keeps the messages until the pause ends.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function capturing(outcome: (message: RenderedMessage) => SendOutcome) {
  const sent: RenderedMessage[] = [];
  const sender = {
    kind: 'smtp' as const,
    async send(message: RenderedMessage) {
      sent.push(message);
      return outcome(message);
    },
    close() {},
  };
  const senders: Senders = { email: sender, sms: sender, letter: sender, close() {} };
  return { sent, senders };
}

const prepared = (kind: 'inbox_reply' | 'inbox_verification' | 'inbox_csat', to: string) => ({
  kind,
  channel: 'email',
  to,
  subject: `${kind} for you`,
  text: 'Hello.',
  locale: 'en',
});

describe('priorities', () => {
  it('a verification code queued last goes out before the satisfaction questions queued before it', async () => {
    await t.ctx.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 3; i++)
        await enqueueMessage(tx, t.ctx.crypto, null, prepared('inbox_csat', `q${i}@example.org`));
      await enqueueMessage(tx, t.ctx.crypto, null, prepared('inbox_verification', 'code@example.org'));
    });
    const { sent, senders } = capturing((m) => ({ ok: true, providerId: m.messageId }));
    // One message per claim, so the order of claims is the order sent.
    const outbound = createOutbound(t.ctx, { senders, engine: { batchSize: 1 } });
    expect(await outbound.messages.runOnce()).toBe(1);
    expect(sent.map((m) => m.to)).toEqual(['code@example.org']);
    await outbound.messages.drain();
    expect(sent.map((m) => m.to)).toEqual([
      'code@example.org',
      'q0@example.org',
      'q1@example.org',
      'q2@example.org',
    ]);
    await outbound.close();
  });
});

describe('automatic pause of a kind', () => {
  it('after 50 failed attempts out of 50, the kind rests; the pause is audited; its messages wait', async () => {
    await t.ctx.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 50; i++)
        await enqueueMessage(tx, t.ctx.crypto, null, prepared('inbox_reply', `r${i}@example.org`));
    });
    const { sent, senders } = capturing(() => ({
      ok: false,
      permanent: false,
      reason: 'SMTP 451 after RCPT TO',
    }));
    const outbound = createOutbound(t.ctx, { senders });
    await outbound.messages.drain();
    expect(sent).toHaveLength(50);
    const pause = await t.ctx.db
      .selectFrom('outbound_pauses')
      .selectAll()
      .where('kind', '=', 'inbox_reply')
      .executeTakeFirst();
    expect(pause?.reason).toBe(
      'Paused automatically for 5 minutes: 50 of the last 50 attempts failed. Check the provider; messages wait in the queue.',
    );
    expect(new Date(pause!.paused_until).getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_type', 'target_type', 'target_id', 'details'])
      .where('action', '=', 'outbound.kind_paused')
      .execute();
    expect(audited).toEqual([
      {
        actor_type: 'system',
        target_type: 'message_kind',
        target_id: 'inbox_reply',
        details: { failures: 50, attempts: 50, until: new Date(pause!.paused_until).toISOString() },
      },
    ]);
    // Due again, but the kind is paused: nothing is claimed, nothing is lost.
    await sql`UPDATE outbound_messages SET next_attempt_at = now() WHERE kind = 'inbox_reply'`.execute(
      t.ctx.db,
    );
    expect(await outbound.messages.drain()).toBe(0);
    const waiting = await t.ctx.db
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'inbox_reply')
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Number(waiting.n)).toBe(50);
    // Other kinds still go out.
    await t.ctx.db
      .transaction()
      .execute((tx) =>
        enqueueMessage(tx, t.ctx.crypto, null, prepared('inbox_verification', 'still@example.org')),
      );
    const fine = capturing((m) => ({ ok: true, providerId: m.messageId }));
    const other = createOutbound(t.ctx, { senders: fine.senders });
    expect(await other.messages.drain()).toBe(1);
    expect(fine.sent.map((m) => m.to)).toEqual(['still@example.org']);
    await outbound.close();
    await other.close();
  });
});
