import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientFor, createIncident, isoDaysAgo, ok } from '../incidents/helpers.ts';
import { publishNotice, submitForm } from '../notice-site/helpers.ts';
import { freshIp } from '../notice-site/more-helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser } from '../support/app.ts';
import {
  ann,
  bob,
  file,
  type InboxSetup,
  inboxMessageCount,
  inboxOf,
  listOf,
  mapping,
  setupInbox,
  threadCount,
  threadOf,
  threadRow,
} from './helpers.ts';

/**
 * Filing inbound messages: threading by sender and channel (normalized), the link to the affected person
 * through the blind index, and nothing disclosed or stored in the clear on the way.
 */
let s: InboxSetup;
let agent: Client;

beforeAll(async () => {
  s = await setupInbox();
  agent = s.agent;
});
afterAll(async () => s?.t.close());

describe('threading', () => {
  it('threads email from the same sender together, however the address is spelled', async () => {
    const first = await file(s.t, { channel: 'email', from: 'Ann.Lee@Example.COM', body: 'First question' });
    const second = await file(s.t, {
      channel: 'email',
      from: '  ann.lee@example.com ',
      body: 'Second question',
    });
    expect(first.newThread).toBe(true);
    expect(second.newThread).toBe(false);
    expect(second.threadId).toBe(first.threadId);
    const thread = await threadOf(agent, first.threadId);
    expect(thread.messages.filter((m) => m.direction === 'in').map((m) => m.body)).toEqual([
      'First question',
      'Second question',
    ]);
    expect((await threadRow(s.t, first.threadId)).messages).toBe(2);
  });

  it('a message after the agent replied goes to the same thread and opens it again', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email, body: 'Where do I enroll?' });
    const replied = ok<{ status: string }>(
      await agent.post(`/api/inbox/threads/${threadId}/reply`, { body: 'Here is how.' }),
    );
    expect(replied.status).toBe('pending');
    const again = await file(s.t, { channel: 'email', from: bob.email, body: 'Thanks, one more thing.' });
    expect(again.threadId).toBe(threadId);
    expect(again.newThread).toBe(false);
    expect((await threadOf(agent, threadId)).status).toBe('open');
  });

  it('another channel from the same person starts another thread', async () => {
    const email = await file(s.t, { channel: 'email', from: 'carla@example.org', body: 'By email' });
    const web = await file(s.t, { channel: 'web', from: 'carla@example.org', body: 'By the form' });
    expect(web.threadId).not.toBe(email.threadId);
    expect(web.newThread).toBe(true);
    const sms = await file(s.t, { channel: 'sms', from: '+12025550177', body: 'By text' });
    const email2 = await file(s.t, { channel: 'email', from: 'carla@example.org', body: 'By email again' });
    expect(email2.threadId).toBe(email.threadId);
    expect(new Set([email.threadId, web.threadId, sms.threadId]).size).toBe(3);
    expect((await threadOf(agent, web.threadId)).channel).toBe('web');
    expect((await threadOf(agent, sms.threadId)).channel).toBe('sms');
  });

  it('a message after the thread was solved starts a new thread, and the solved one stays solved', async () => {
    const first = await file(s.t, { channel: 'email', from: 'dave@example.org', body: 'Old question' });
    ok(await agent.patch(`/api/inbox/threads/${first.threadId}`, { status: 'solved' }));
    const next = await file(s.t, { channel: 'email', from: 'dave@example.org', body: 'New question' });
    expect(next.newThread).toBe(true);
    expect(next.threadId).not.toBe(first.threadId);
    expect((await threadOf(agent, first.threadId)).status).toBe('solved');
    expect((await threadOf(agent, next.threadId)).status).toBe('open');
  });

  it('threads text messages by number, whatever its formatting', async () => {
    const a = await file(s.t, { channel: 'sms', from: '+1 (202) 555-0188', body: 'one' });
    const b = await file(s.t, { channel: 'sms', from: '+1.202.555.0188', body: 'two' });
    const c = await file(s.t, { channel: 'sms', from: '+12025550188', body: 'three' });
    expect(b.threadId).toBe(a.threadId);
    expect(c.threadId).toBe(a.threadId);
    const view = await threadOf(agent, a.threadId);
    expect(view.sender).toBe('•••• 0188');
    expect(view.messages.filter((m) => m.direction === 'in')).toHaveLength(3);
  });

  it('refuses a sender that is not an address or a number, and stores nothing', async () => {
    const before = await inboxMessageCount(s.t);
    expect(await inboxOf(s.t).ingest({ channel: 'sms', from: 'hello', body: 'x' })).toEqual({
      outcome: 'rejected',
      reason: 'the sender is not a phone number',
    });
    expect(await inboxOf(s.t).ingest({ channel: 'email', from: 'not-an-address', body: 'x' })).toEqual({
      outcome: 'rejected',
      reason: 'the sender is not an email address',
    });
    expect(await inboxOf(s.t).ingest({ channel: 'web', from: 'a@b', body: 'x' })).toMatchObject({
      outcome: 'rejected',
    });
    expect(await inboxMessageCount(s.t)).toBe(before);
  });

  it('stores a provider message once, however many times it is delivered', async () => {
    const message = {
      channel: 'email' as const,
      from: 'erin@example.org',
      body: 'Once only',
      providerMessageId: 'email:<once@example.org>',
    };
    const first = await inboxOf(s.t).ingest(message);
    expect(first.outcome).toBe('stored');
    const results = await Promise.all([1, 2, 3].map(() => inboxOf(s.t).ingest(message)));
    expect(results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const stored = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM inbox_messages WHERE provider_message_id = 'email:<once@example.org>'`.execute(
      s.t.ctx.db,
    );
    expect(stored.rows[0]!.n).toBe('1');
  });

  // pins: a burst of messages from a new sender (a long SMS split in parts, a provider delivering in
  // parallel) must still be one conversation.
  it('messages from a new sender arriving at the same moment land in one thread', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) =>
        file(s.t, { channel: 'sms', from: '+12025550166', body: `part ${i} of my question` }),
      ),
    );
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
    const rows = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM inbox_threads WHERE id = ANY(${results.map((r) => r.threadId)}::uuid[])`.execute(
      s.t.ctx.db,
    );
    expect(rows.rows[0]!.n).toBe('1');
  });
});

describe('the contact form of the notice site', () => {
  let slug: string;
  beforeAll(async () => {
    const legal = clientFor(s.t, await createSignedInUser(s.t, 'legal'));
    slug = await publishNotice(s.comms, legal, s.incidentId);
  });

  it('files a web message in the inbox, linked to the affected person, threaded with the next one', async () => {
    const before = await threadCount(s.t);
    const sent = await submitForm(
      s.t,
      `/n/${slug}/contact`,
      { name: 'Ann', email: 'ANN.LEE@example.com', message: 'Is this real? I am worried.' },
      { ip: freshIp() },
    );
    expect(sent.statusCode).toBe(200);
    expect(await threadCount(s.t)).toBe(before + 1);
    const list = await listOf(agent, { channel: 'web', incidentId: s.incidentId });
    const thread = list.threads.find((t) => t.personLinked && t.sender === 'a•••@example.com');
    expect(thread).toBeDefined();
    expect(thread!.incidentId).toBe(s.incidentId);
    expect(thread!.topics).toContain('is_this_real');

    await submitForm(
      s.t,
      `/n/${slug}/contact`,
      { name: 'Ann', email: 'ann.lee@example.com', message: 'Following up on my question.' },
      { ip: freshIp() },
    );
    expect(await threadCount(s.t)).toBe(before + 1);
    const detail = await threadOf(agent, thread!.id);
    expect(detail.messages.filter((m) => m.direction === 'in').map((m) => m.body)).toEqual([
      'Is this real? I am worried.',
      'Following up on my question.',
    ]);
  });

  it('files a stranger’s web message under the incident of the page, unlinked', async () => {
    await submitForm(
      s.t,
      `/n/${slug}/contact`,
      { name: 'Zed', email: 'zed@example.net', message: 'Am I affected?' },
      { ip: freshIp() },
    );
    const list = await listOf(agent, { channel: 'web', incidentId: s.incidentId });
    const thread = list.threads.find((t) => t.sender === 'z•••@example.net');
    expect(thread).toMatchObject({ personLinked: false, incidentId: s.incidentId });
  });
});

describe('linking to the affected person', () => {
  it('links an affected email address and an affected phone number to their incident', async () => {
    const byEmail = await file(s.t, { channel: 'email', from: bob.email, body: 'Linked by email?' });
    const byPhone = await file(s.t, { channel: 'sms', from: ann.phone, body: 'Linked by phone?' });
    for (const id of [byEmail.threadId, byPhone.threadId]) {
      const thread = await threadOf(agent, id);
      expect(thread.personLinked).toBe(true);
      expect(thread.incidentId).toBe(s.incidentId);
      expect(thread.person).toMatchObject({
        linked: true,
        incidentId: s.incidentId,
        incidentTitle: 'Shop breach',
        verified: false,
      });
    }
  });

  it('leaves a stranger unlinked', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: 'stranger@example.net', body: 'Hello?' });
    const thread = await threadOf(agent, threadId);
    expect(thread.personLinked).toBe(false);
    expect(thread.incidentId).toBeNull();
    expect(thread.person).toEqual({ linked: false });
    const row = await threadRow(s.t, threadId);
    expect(row.pn).toBeNull();
  });

  it('links someone affected in two incidents to the most recent one', async () => {
    const older = (await createIncident(s.responder, { title: 'Old breach', awareAt: isoDaysAgo(30) })).id;
    await importPeople(
      s.t,
      older,
      csv('email,phone,name,ssn,country,state', 'twice@example.com,,Tom Twice,,US,TX'),
      mapping,
    );
    const newer = (await createIncident(s.responder, { title: 'New breach', awareAt: isoDaysAgo(0.1) })).id;
    await importPeople(
      s.t,
      newer,
      csv('email,phone,name,ssn,country,state', 'twice@example.com,,Tom Twice,,US,TX'),
      mapping,
    );
    const { threadId } = await file(s.t, { channel: 'email', from: 'Twice@example.com', body: 'Which one?' });
    const thread = await threadOf(agent, threadId);
    expect(thread.personLinked).toBe(true);
    expect(thread.incidentId).toBe(newer);
    expect(thread.person).toMatchObject({ linked: true, incidentTitle: 'New breach' });
  });

  it('discloses nothing before verification: no exposure, masked senders, nothing of the records', async () => {
    const { threadId } = await file(s.t, {
      channel: 'sms',
      from: '+1 202 555 0101',
      body: 'What did you lose about me?',
    });
    const response = await agent.get(`/api/inbox/threads/${threadId}`);
    const detail = ok<{ person: Record<string, unknown>; sender: string }>(response);
    expect(detail.person.linked).toBe(true);
    expect(detail.person.verified).toBe(false);
    expect(detail.person).not.toHaveProperty('exposure');
    expect(detail.sender).toBe('•••• 0101');
    for (const secret of [ann.email, '2025550101', ann.ssn, 'Social Security', 'Lee']) {
      expect(response.body).not.toContain(secret);
    }
    const list = await agent.get('/api/inbox/threads?limit=200');
    expect(list.statusCode).toBe(200);
    for (const secret of [
      ann.email,
      bob.email,
      '2025550101',
      ann.ssn,
      'carla@example.org',
      'Social Security',
    ]) {
      expect(list.body).not.toContain(secret);
    }
    for (const t of (list.json() as { threads: Array<Record<string, unknown>> }).threads) {
      expect(t).not.toHaveProperty('person');
      expect(t).not.toHaveProperty('exposure');
    }
  });

  it('keeps addresses, subjects and bodies sealed in the database and out of the logs', async () => {
    const body = 'My secret account number is 99887766 and my cat is Whiskerfluff.';
    const subject = 'Confidential subject Quokkamoon';
    const { threadId } = await file(s.t, {
      channel: 'email',
      from: 'plaintext.probe@example.org',
      name: 'Priscilla Probe',
      subject,
      body,
    });
    const plain = ['plaintext.probe@example.org', 'Priscilla', 'Whiskerfluff', '99887766', 'Quokkamoon'];
    const rows = await sql<{ row: string }>`
      SELECT row_to_json(t)::text AS row FROM inbox_threads t WHERE id = ${threadId}::uuid
      UNION ALL SELECT row_to_json(m)::text FROM inbox_messages m WHERE thread_id = ${threadId}::uuid`.execute(
      s.t.ctx.db,
    );
    expect(rows.rows).toHaveLength(2);
    for (const { row } of rows.rows) {
      const lower = row.toLowerCase();
      for (const p of plain) {
        expect(lower).not.toContain(p.toLowerCase());
        expect(lower).not.toContain(Buffer.from(p).toString('hex'));
      }
    }
    const sealed = await s.t.ctx.db
      .selectFrom('inbox_threads as t')
      .innerJoin('inbox_messages as m', 'm.thread_id', 't.id')
      .select(['t.sender_sealed', 't.subject_sealed', 'm.sealed'])
      .where('t.id', '=', threadId)
      .executeTakeFirstOrThrow();
    for (const buffer of [sealed.sender_sealed, sealed.subject_sealed!, sealed.sealed]) {
      for (const p of plain) expect(buffer.includes(Buffer.from(p))).toBe(false);
    }
    // Read back through the API, it is all there.
    const thread = await threadOf(agent, threadId);
    expect(thread.subject).toBe(subject);
    expect(thread.messages[0]!.body).toBe(body);
    const logs = s.t.logs.join('\n');
    for (const p of plain) expect(logs).not.toContain(p);
  });
});

describe('audit', () => {
  it('records every view of a thread, and of the list', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: 'audited@example.org', body: 'Audit me' });
    const views = () =>
      s.t.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('action', '=', 'inbox.thread_viewed')
        .where('target_id', '=', threadId)
        .execute();
    expect(await views()).toHaveLength(0);
    await threadOf(agent, threadId);
    await threadOf(s.comms, threadId);
    const rows = await views();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.details).toMatchObject({ exposureShown: false });
    const lists = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*)::text AS n FROM audit_log WHERE action = 'inbox.list_viewed'`.execute(s.t.ctx.db)
        ).rows[0]!.n,
      );
    const before = await lists();
    await listOf(agent);
    expect(await lists()).toBe(before + 1);
  });
});
