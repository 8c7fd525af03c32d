import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../src/server/modules/outbound/index.ts';
import { type Client, ok, problem } from '../incidents/helpers.ts';
import { settleSiteMessages } from '../notice-site/more-helpers.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { ann, bob, file, type InboxSetup, setupInbox } from './helpers.ts';

/**
 * Where a verification code or a reply went. Without a mail server the code lands in the notice site's
 * outbox, a different part of the console than the thread: the thread says so and gives the outbox
 * message's id (the console links to it by id, never by address). With a mail server it says SMTP.
 */
type Message = {
  id: string;
  direction: string;
  kind: string;
  body: string;
  dispatch: Dispatch | null;
};
type SiteOutboxPage = {
  messages: Array<{ id: number; kind: string; channel: string; to: string; text: string }>;
  total: number;
};

const threadMessages = async (client: Client, id: string) =>
  ok<{ messages: Message[] }>(await client.get(`/api/inbox/threads/${id}`)).messages;

describe('without a mail server (the embedded outbox)', () => {
  let s: InboxSetup;
  beforeAll(async () => {
    s = await setupInbox();
  });
  afterAll(async () => s?.t.close());

  it('shows that the verification code went to the outbox, with the outbox message’s id', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: ann.email });
    ok(await s.agent.post(`/api/inbox/threads/${threadId}/verification`));
    await settleSiteMessages(s.t);
    const note = (await threadMessages(s.agent, threadId)).find((m) =>
      m.body.startsWith('Verification code'),
    )!;
    expect(note.dispatch).toMatchObject({
      state: 'sent',
      via: 'outbox',
      channel: 'email',
      incidentId: s.incidentId,
      reason: null,
    });
    expect(note.dispatch!.outboxMessageId).toBeGreaterThan(0);

    // The id opens exactly that message in the notice site's outbox (for roles that may read personal data).
    const opened = ok<SiteOutboxPage>(
      await s.admin.get(
        `/api/incidents/${s.incidentId}/notice-site/outbox?message=${note.dispatch!.outboxMessageId}`,
      ),
    );
    expect(opened.messages).toHaveLength(1);
    expect(opened.messages[0]).toMatchObject({ kind: 'inbox_verification', to: ann.email });
    // The agent may see where it went, not the message (it holds the code the requester must give back).
    problem(
      await s.agent.get(
        `/api/incidents/${s.incidentId}/notice-site/outbox?message=${note.dispatch!.outboxMessageId}`,
      ),
      403,
      'forbidden',
    );
  });

  it('shows the same for a reply', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email });
    ok(await s.agent.post(`/api/inbox/threads/${threadId}/reply`, { body: 'We are on it.' }));
    await settleSiteMessages(s.t);
    const reply = (await threadMessages(s.agent, threadId)).find((m) => m.body === 'We are on it.')!;
    expect(reply.dispatch).toMatchObject({ state: 'sent', via: 'outbox', channel: 'email' });
  });

  it('finds the site’s messages by recipient (POST), kind and channel', async () => {
    const search = (body: Record<string, unknown>) =>
      s.admin.post(`/api/incidents/${s.incidentId}/notice-site/outbox/search`, body);
    const toAnn = ok<SiteOutboxPage>(await search({ to: 'Ann.Lee@EXAMPLE.com' }));
    expect(toAnn.messages.length).toBeGreaterThan(0);
    expect(toAnn.messages.every((m) => m.to === ann.email)).toBe(true);
    const codes = ok<SiteOutboxPage>(await search({ to: ann.email, kind: 'inbox_verification' }));
    expect(codes.messages.map((m) => m.kind)).toEqual(['inbox_verification']);
    expect(ok<SiteOutboxPage>(await search({ to: ann.email, channel: 'sms' })).messages).toEqual([]);
    const replies = ok<SiteOutboxPage>(
      await s.admin.get(`/api/incidents/${s.incidentId}/notice-site/outbox?kind=inbox_reply`),
    );
    expect(replies.messages.map((m) => m.to)).toEqual([bob.email]);
    problem(await search({ to: 'nobody' }), 400, 'validation_failed');
    const audit = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'notice.outbox_viewed')
      .execute();
    expect(JSON.stringify(audit)).not.toMatch(/ann\.lee|bob\.ray/i);
  });
});

describe('with a mail server', () => {
  let s: InboxSetup;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    s = await setupInbox({ SMTP_URL: sink.url });
  });
  afterAll(async () => {
    await s?.t.close();
    await sink?.close();
  });

  it('shows that the code was handed to the SMTP server, and no outbox message', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: ann.email });
    ok(await s.agent.post(`/api/inbox/threads/${threadId}/verification`));
    await settleSiteMessages(s.t);
    const note = (await threadMessages(s.agent, threadId)).find((m) =>
      m.body.startsWith('Verification code'),
    )!;
    expect(note.dispatch).toEqual({
      state: 'sent',
      via: 'smtp',
      channel: 'email',
      outboxMessageId: null,
      incidentId: s.incidentId,
      reason: null,
    });
    expect(sink.countFor(ann.email)).toBe(1);
  });
});
