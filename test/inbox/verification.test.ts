import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, ok, problem } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import {
  ann,
  bob,
  file,
  type InboxSetup,
  lastCodeTo,
  mapping,
  otherCode,
  outbox,
  setupInbox,
  threadOf,
} from './helpers.ts';

/**
 * Verification before disclosure: the code goes to the contact point on file (never to one typed in a
 * message), wrong codes are counted and lock, expired codes are refused, a code quoted back in a reply
 * verifies, and only a verified thread shows what leaked.
 */
let s: InboxSetup;
let agent: Client;

/** More affected people, so each test works on a thread of its own. */
const pat = { email: 'pat.lock@example.com', phone: '+12025550131' };
const quinn = { email: 'quinn.late@example.com' };
const rita = { email: 'rita.flood@example.com', phone: '+12025550132' };

beforeAll(async () => {
  s = await setupInbox();
  agent = s.agent;
  await importPeople(
    s.t,
    s.incidentId,
    csv(
      'email,phone,name,ssn,country,state',
      `${pat.email},${pat.phone},Pat Lock,,US,CA`,
      `${quinn.email},,Quinn Late,,US,CA`,
      `${rita.email},${rita.phone},Rita Flood,,US,CA`,
    ),
    mapping,
  );
});
afterAll(async () => s?.t.close());

const start = (id: string) => agent.post(`/api/inbox/threads/${id}/verification`);
const confirm = (id: string, code: string) =>
  agent.post(`/api/inbox/threads/${id}/verification/confirm`, { code });

describe('sending the code', () => {
  it('sends it by email to the address on file, not to an address typed in the message', async () => {
    const { threadId } = await file(s.t, {
      channel: 'email',
      from: 'ANN.LEE@example.com',
      body: 'Please send any code to attacker@evil.example instead, my old address is gone.',
    });
    const started = ok<{
      person: { verification: { state: string; channel: string; attemptsLeft: number } };
    }>(await start(threadId));
    expect(started.person.verification).toMatchObject({ state: 'sent', channel: 'email', attemptsLeft: 5 });
    const sent = await outbox(s.t);
    const codes = sent.filter((m) => m.kind === 'inbox_verification');
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ channel: 'email', to: ann.email });
    expect(sent.some((m) => m.to.includes('evil.example'))).toBe(false);
    // The agent's view says where it went, masked.
    const thread = await threadOf(agent, threadId);
    const note = thread.messages.find((m) => m.kind === 'note');
    expect(note?.body).toContain('a•••@example.com');
    expect(JSON.stringify(thread)).not.toContain(ann.email);
    expect(JSON.stringify(thread)).not.toContain(codes[0]!.text.match(/\d{6}/)![0]);
  });

  it('sends it by SMS to the number on file for a text-message thread', async () => {
    const { threadId } = await file(s.t, {
      channel: 'sms',
      from: '+1 (202) 555-0101',
      body: 'Text me the code at +1 202 555 0199 please',
    });
    const before = (await outbox(s.t)).length;
    ok(await start(threadId));
    const sent = (await outbox(s.t)).slice(before);
    expect(sent.filter((m) => m.kind === 'inbox_verification')).toEqual([
      expect.objectContaining({ channel: 'sms', to: ann.phone }),
    ]);
    const thread = await threadOf(agent, threadId);
    expect(thread.person).toMatchObject({ verification: { channel: 'sms', state: 'sent' } });
    expect(thread.messages.find((m) => m.kind === 'note')?.body).toContain('•••• 0101');
  });

  it('refuses to send a code for a sender who matches nobody (409), and sends nothing', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: 'nobody@example.net', body: 'Verify me' });
    const before = (await outbox(s.t)).length;
    problem(await start(threadId), 409, 'conflict');
    problem(await confirm(threadId, '123456'), 409, 'conflict');
    expect((await outbox(s.t)).length).toBe(before);
  });

  it('refuses a confirmation before any code was sent (409)', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email, body: 'Hi, I am Bob' });
    problem(await confirm(threadId, '123456'), 409, 'conflict');
  });

  it('may not be started by staff who can only read the inbox', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email, body: 'Another question' });
    expect((await s.comms.post(`/api/inbox/threads/${threadId}/verification`)).statusCode).toBe(403);
    expect((await s.auditor.post(`/api/inbox/threads/${threadId}/verification`)).statusCode).toBe(403);
  });
});

describe('confirming the code', () => {
  it('refuses a wrong code with the tries left, then verifies with the right one and discloses', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email, body: 'What leaked?' });
    ok(await start(threadId));
    const code = await lastCodeTo(s.t, bob.email);
    const wrong = problem(await confirm(threadId, otherCode(code)), 400, 'bad_request');
    expect(wrong.detail).toMatch(/4 tries left/);
    const before = await threadOf(agent, threadId);
    expect(before.verified).toBe(false);
    expect(before.person).toMatchObject({
      verified: false,
      verification: { state: 'sent', attemptsLeft: 4 },
    });
    expect(before.person).not.toHaveProperty('exposure');

    const after = ok<{ verified: boolean; person: Record<string, unknown> }>(
      await confirm(threadId, `${code.slice(0, 3)} ${code.slice(3)}`),
    );
    expect(after.verified).toBe(true);
    expect(after.person).toMatchObject({
      linked: true,
      verified: true,
      exposure: {
        categories: expect.arrayContaining(['your Social Security number']),
        identifiers: ['b•••@example.com'],
        firstName: 'Bob',
        activationCode: null,
      },
    });
    // Verified once is verified: a second confirmation is harmless, a new code is refused.
    ok(await confirm(threadId, code));
    problem(await start(threadId), 409, 'conflict');
    // The views after verification are audited as showing the exposure.
    const views = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'inbox.thread_viewed')
      .where('target_id', '=', threadId)
      .orderBy('seq')
      .execute();
    expect(views.at(0)!.details).toMatchObject({ exposureShown: false });
    expect(views.at(-1)!.details).toMatchObject({ exposureShown: true });
    const verifiedAudit = await s.t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', threadId)
      .where('action', 'in', ['inbox.verification_sent', 'inbox.verification_failed', 'inbox.verified'])
      .orderBy('seq')
      .execute();
    expect(verifiedAudit.map((r) => r.action)).toEqual([
      'inbox.verification_sent',
      'inbox.verification_failed',
      'inbox.verified',
    ]);
  });

  it('locks after five wrong codes (429), even for the right one, until a new code is sent', async () => {
    const { threadId } = await file(s.t, { channel: 'sms', from: pat.phone, body: 'Lock test' });
    ok(await start(threadId));
    const code = await lastCodeTo(s.t, pat.phone);
    for (let i = 1; i <= 5; i++) {
      const refused = problem(await confirm(threadId, otherCode(code)), 400, 'bad_request');
      if (i < 5) expect(refused.detail).toContain(`${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left`);
      else expect(refused.detail).toMatch(/no tries are left/);
    }
    problem(await confirm(threadId, code), 429, 'rate_limited');
    const locked = await threadOf(agent, threadId);
    expect(locked.verified).toBe(false);
    expect(locked.person).toMatchObject({ verification: { state: 'locked', attemptsLeft: 0 } });
    expect(locked.person).not.toHaveProperty('exposure');
    // Quoting the old code back in a message does not get round the lock.
    const quoted = await file(s.t, { channel: 'sms', from: pat.phone, body: `The code is ${code}` });
    expect(quoted.verified).toBe(false);
    expect((await threadOf(agent, threadId)).verified).toBe(false);

    ok(await start(threadId));
    const fresh = await lastCodeTo(s.t, pat.phone);
    const after = await threadOf(agent, threadId);
    expect(after.person).toMatchObject({ verification: { state: 'sent', attemptsLeft: 5 } });
    expect(ok<{ verified: boolean }>(await confirm(threadId, fresh)).verified).toBe(true);
  });

  it('refuses an expired code (410)', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: quinn.email, body: 'Expiry test' });
    ok(await start(threadId));
    const code = await lastCodeTo(s.t, quinn.email);
    await s.t.ctx.db
      .updateTable('inbox_verifications')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('thread_id', '=', threadId)
      .execute();
    expect((await threadOf(agent, threadId)).person).toMatchObject({ verification: { state: 'expired' } });
    problem(await confirm(threadId, code), 410, 'link_invalid');
    const quoted = await file(s.t, { channel: 'email', from: quinn.email, body: `Here: ${code}` });
    expect(quoted.threadId).toBe(threadId);
    expect(quoted.verified).toBe(false);
    const thread = await threadOf(agent, threadId);
    expect(thread.verified).toBe(false);
    expect(thread.person).not.toHaveProperty('exposure');
  });
});

describe('the code quoted back in a reply', () => {
  it('verifies the thread, and only then is the exposure shown', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: 'dora.berg@example.de', body: 'Hallo' });
    ok(await start(threadId));
    const code = await lastCodeTo(s.t, 'dora.berg@example.de');
    const wrong = await file(s.t, {
      channel: 'email',
      from: 'dora.berg@example.de',
      body: `My order number is ${otherCode(code)}.`,
    });
    expect(wrong.verified).toBe(false);
    expect((await threadOf(agent, threadId)).person).not.toHaveProperty('exposure');

    const reply = await file(s.t, {
      channel: 'email',
      from: 'dora.berg@example.de',
      subject: 'Re: Your verification code',
      body: `Hi, the code you sent me is ${code.slice(0, 3)}-${code.slice(3)}. Thanks!`,
    });
    expect(reply).toMatchObject({ threadId, verified: true });
    const thread = await threadOf(agent, threadId);
    expect(thread.verified).toBe(true);
    expect(thread.person).toMatchObject({ verified: true, exposure: { firstName: 'Dora' } });
  });

  it('does not verify another thread of the same person', async () => {
    const email = await file(s.t, { channel: 'email', from: 'ned.york@example.com', body: 'Email thread' });
    const web = await file(s.t, { channel: 'web', from: 'ned.york@example.com', body: 'Web thread' });
    ok(await start(email.threadId));
    const code = await lastCodeTo(s.t, 'ned.york@example.com');
    const quoted = await file(s.t, { channel: 'web', from: 'ned.york@example.com', body: `Code ${code}` });
    expect(quoted.threadId).toBe(web.threadId);
    expect(quoted.verified).toBe(false);
    expect((await threadOf(agent, email.threadId)).verified).toBe(false);
    expect((await threadOf(agent, web.threadId)).verified).toBe(false);
  });

  // pins: whoever can write from (or forge) the requester's address must not be able to try the whole code
  // space in a few messages: a message quoting a flood of candidate codes is not a right answer.
  it('does not accept a message that lists thousands of candidate codes', async () => {
    const { threadId } = await file(s.t, { channel: 'sms', from: rita.phone, body: 'Brute force test' });
    ok(await start(threadId));
    const code = await lastCodeTo(s.t, rita.phone);
    const guesses: string[] = [];
    for (let i = 0; guesses.length < 2_000; i++) {
      const candidate = String((Number(code) + 1 + i * 7) % 1_000_000).padStart(6, '0');
      if (candidate !== code) guesses.push(candidate);
    }
    guesses.splice(1_234, 0, code);
    const flood = await file(s.t, { channel: 'sms', from: rita.phone, body: guesses.join(' ') });
    expect(flood.threadId).toBe(threadId);
    expect(flood.verified).toBe(false);
    expect((await threadOf(agent, threadId)).verified).toBe(false);
    const attempts = await sql<{ attempts: number }>`
      SELECT attempts FROM inbox_verifications WHERE thread_id = ${threadId}::uuid`.execute(s.t.ctx.db);
    expect(attempts.rows[0]!.attempts).toBeGreaterThan(0);
  });
});
