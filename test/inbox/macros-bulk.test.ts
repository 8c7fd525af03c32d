import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_CONTEXT } from '../../src/server/modules/campaigns/index.ts';
import { type Client, ok, problem } from '../incidents/helpers.ts';
import { pnOf } from '../notice-site/more-helpers.ts';
import { as } from '../support/app.ts';
import { bob, file, type InboxSetup, lastCodeTo, outbox, setupInbox, threadOf } from './helpers.ts';

/**
 * Macros (Liquid, checked at save, personal variables only once verified, per locale) and bulk replies
 * (every matching thread answered once, personalized, closable, idempotent per bulk id).
 */
let s: InboxSetup;
let agent: Client;

beforeAll(async () => {
  s = await setupInbox();
  agent = s.agent;
});
afterAll(async () => s?.t.close());

interface Macro {
  id: string;
  name: string;
  locale: string;
  subject: string | null;
  body: string;
}
const createMacro = async (body: Record<string, unknown>) =>
  ok<Macro>(await agent.post('/api/inbox/macros', body));
const render = (macroId: string, threadId: string, client: Client = agent) =>
  client.post(`/api/inbox/macros/${macroId}/render`, { threadId });

const personalBody = [
  'Hello {{ person.first_name }},',
  'About {{ incident.title }}:',
  '{% for g in guidance %}* {{ g.title }}',
  '{% endfor %}Your activation code: {{ activation_code }}.',
  '{{ company.name }}',
].join('\n');

async function giveActivationCode(email: string, code: string): Promise<void> {
  const pn = await pnOf(s.t, s.incidentId, email);
  const campaign = await s.t.ctx.db
    .insertInto('campaigns')
    .values({ incident_id: s.incidentId, name: 'Credit monitoring', channels: ['email'], created_by: 'test' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await s.t.ctx.db
    .insertInto('activation_codes')
    .values({
      campaign_id: campaign.id,
      code_sealed: s.t.ctx.crypto.encrypt(code, CODE_CONTEXT),
      code_idx: s.t.ctx.crypto.blindIndex('activation_code', code),
      assigned_pn: pn,
      assigned_at: new Date(),
    })
    .execute();
}

async function verify(threadId: string, to: string): Promise<void> {
  ok(await agent.post(`/api/inbox/threads/${threadId}/verification`));
  const code = await lastCodeTo(s.t, to);
  ok(await agent.post(`/api/inbox/threads/${threadId}/verification/confirm`, { code }));
}

describe('macros', () => {
  it('are saved with their Liquid, listed, and one name per locale', async () => {
    const en = await createMacro({
      name: 'Welcome',
      locale: 'en',
      subject: 'About {{ incident.title }}',
      body: personalBody,
    });
    expect(en).toMatchObject({ name: 'Welcome', locale: 'en', subject: 'About {{ incident.title }}' });
    const es = await createMacro({ name: 'Welcome', locale: 'es', body: 'Hola {{ person.first_name }}' });
    expect(es.locale).toBe('es');
    problem(
      await agent.post('/api/inbox/macros', { name: 'Welcome', locale: 'en', body: 'Again' }),
      409,
      'conflict',
    );
    const list = ok<{ macros: Macro[] }>(await agent.get('/api/inbox/macros'));
    expect(list.macros.filter((m) => m.name === 'Welcome').map((m) => m.locale)).toEqual(['en', 'es']);
    // Readers may list but not write.
    expect((await s.comms.get('/api/inbox/macros')).statusCode).toBe(200);
    expect(
      (await s.comms.post('/api/inbox/macros', { name: 'Nope', locale: 'en', body: 'x' })).statusCode,
    ).toBe(403);
  });

  it('refuses broken Liquid at save time, naming the line', async () => {
    const broken = problem(
      await agent.post('/api/inbox/macros', {
        name: 'Broken',
        locale: 'en',
        body: 'Line one\nLine two\n{% if person.first_name %}Hi',
      }),
      400,
      'validation_failed',
    );
    expect(broken.fields?.[0]?.path).toBe('body');
    expect(broken.fields?.[0]?.message).toMatch(/^Line \d+: /);
    const unknown = problem(
      await agent.post('/api/inbox/macros', {
        name: 'Leaky',
        locale: 'en',
        body: 'Hello\nYour SSN is {{ person.ssn }}',
      }),
      400,
      'validation_failed',
    );
    expect(unknown.fields?.[0]?.message).toMatch(/^Line 2: /);
    expect(unknown.fields?.[0]?.message).toContain('person.ssn');
    const badSubject = problem(
      await agent.post('/api/inbox/macros', {
        name: 'Subject',
        locale: 'en',
        subject: '{{ nope }}',
        body: 'ok',
      }),
      400,
      'validation_failed',
    );
    expect(badSubject.fields?.[0]?.path).toBe('subject');
    const names = ok<{ macros: Macro[] }>(await agent.get('/api/inbox/macros')).macros.map((m) => m.name);
    expect(names).not.toContain('Broken');
    expect(names).not.toContain('Leaky');
    expect(names).not.toContain('Subject');
  });

  it('leaves the personal variables empty for an unverified requester and says which', async () => {
    const macro = await createMacro({
      name: 'Personal',
      locale: 'en',
      subject: 'About {{ incident.title }}',
      body: personalBody,
    });
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email, body: 'What should I do?' });
    const rendered = ok<{ subject: string; body: string; missing: string[] }>(
      await render(macro.id, threadId),
    );
    expect(rendered.missing).toEqual(['person.first_name', 'guidance', 'activation_code']);
    // The incident's internal title ("Shop breach") never reaches people: without a public title, the neutral one.
    expect(rendered.subject).toBe('About Data security incident');
    expect(rendered.body).not.toContain('Bob');
    expect(rendered.body).not.toContain('identity theft');
    expect(rendered.body).toContain('Hello ,');
    expect(rendered.body).toContain('Your activation code: .');
    // A macro using none of them misses nothing.
    const plain = await createMacro({
      name: 'Plain',
      locale: 'en',
      body: 'We are on it. {{ company.name }}',
    });
    expect(ok<{ missing: string[] }>(await render(plain.id, threadId)).missing).toEqual([]);
  });

  it('fills them once the requester is verified, activation code included', async () => {
    const macro = ok<{ macros: Macro[] }>(await agent.get('/api/inbox/macros')).macros.find(
      (m) => m.name === 'Personal',
    )!;
    await giveActivationCode(bob.email, 'ACT-7788-XY');
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email, body: 'Verifying now' });
    await verify(threadId, bob.email);
    const rendered = ok<{ body: string; missing: string[] }>(await render(macro.id, threadId));
    expect(rendered.missing).toEqual([]);
    expect(rendered.body).toContain('Hello Bob,');
    expect(rendered.body).toContain('* Protect yourself from identity theft');
    expect(rendered.body).toContain('Your activation code: ACT-7788-XY.');
    const audited = await s.t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'inbox.macro_filled')
      .where('target_id', '=', threadId)
      .execute();
    expect(audited).toHaveLength(1);
  });

  it('are written per locale: a Spanish macro for a Spanish thread gives the guidance in Spanish', async () => {
    const macro = await createMacro({
      name: 'Guía',
      locale: 'es',
      body: 'Hola {{ person.first_name }}:\n{% for g in guidance %}* {{ g.title }}\n{% endfor %}',
    });
    const { threadId } = await file(s.t, {
      channel: 'web',
      from: bob.email,
      body: '¿Qué hago?',
      locale: 'es',
    });
    await verify(threadId, bob.email);
    const rendered = ok<{ body: string }>(await render(macro.id, threadId));
    expect(rendered.body).toContain('Hola Bob:');
    expect(rendered.body).toContain('* Protégete del robo de identidad');
    expect(rendered.body).not.toContain('Protect yourself');
  });

  it('can be edited and deleted', async () => {
    const macro = await createMacro({ name: 'Temp', locale: 'en', body: 'v1' });
    const edited = ok<Macro>(
      await agent.put(`/api/inbox/macros/${macro.id}`, { name: 'Temp', locale: 'en', body: 'v2' }),
    );
    expect(edited.body).toBe('v2');
    ok(
      await s.t.app.inject({
        method: 'DELETE',
        url: `/api/inbox/macros/${macro.id}`,
        headers: as(s.agentUser),
      }),
    );
    const names = ok<{ macros: Macro[] }>(await agent.get('/api/inbox/macros')).macros.map((m) => m.name);
    expect(names).not.toContain('Temp');
  });
});

describe('bulk replies', () => {
  const topic = 'credit_monitoring';
  let threadIds: string[] = [];
  let others: string[] = [];
  let macroId: string;
  let verifiedId: string;

  beforeAll(async () => {
    macroId = (
      await createMacro({
        name: 'Enroll',
        locale: 'en',
        subject: 'How to enroll',
        body: 'Hello {{ person.first_name | default: "there" }}, enroll at {{ link }}. {{ company.name }}',
      })
    ).id;
    threadIds = [];
    for (let i = 0; i < 29; i++) {
      const word = i % 2 === 0 ? 'zeppelin' : 'submarine';
      const { threadId } = await file(s.t, {
        channel: i % 3 === 0 ? 'sms' : 'email',
        from: i % 3 === 0 ? `+1202555${String(1000 + i)}` : `bulk${i}@example.org`,
        body: `How do I use my credit monitoring? I came by ${word}.`,
      });
      threadIds.push(threadId);
    }
    // The thirtieth: an affected person, verified, whose reply is personalized.
    const verifiedThread = await file(s.t, {
      channel: 'email',
      from: 'ned.york@example.com',
      body: 'Credit monitoring please, I came by zeppelin.',
    });
    verifiedId = verifiedThread.threadId;
    await verify(verifiedId, 'ned.york@example.com');
    threadIds.push(verifiedId);
    others = [];
    for (let i = 0; i < 3; i++) {
      others.push(
        (
          await file(s.t, {
            channel: 'email',
            from: `other${i}@example.org`,
            body: 'Unrelated zeppelin note',
          })
        ).threadId,
      );
    }
  });

  async function outboundPerThread(ids: string[]): Promise<Map<string, number>> {
    const rows = await sql<{ thread_id: string; n: string }>`
      SELECT t.id AS thread_id, count(m.id)::text AS n FROM inbox_threads t
      LEFT JOIN inbox_messages m ON m.thread_id = t.id AND m.direction = 'out' AND m.kind = 'message'
      WHERE t.id = ANY(${ids}::uuid[]) GROUP BY t.id`.execute(s.t.ctx.db);
    return new Map(rows.rows.map((r) => [r.thread_id, Number(r.n)]));
  }

  async function queued(kind: string, ids: string[]): Promise<number> {
    const rows = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM outbound_messages n
      JOIN inbox_messages m ON m.id = n.inbox_message_id
      WHERE n.kind = ${kind} AND m.thread_id = ANY(${ids}::uuid[])`.execute(s.t.ctx.db);
    return Number(rows.rows[0]!.n);
  }

  it('answers every open thread with the topic exactly once, personalized', async () => {
    const bulkId = randomUUID();
    const call = { filter: { topic, status: 'open' }, macroId, close: false, bulkId };
    const result = ok<{ bulkId: string; replied: number; skipped: number }>(
      await agent.post('/api/inbox/bulk-reply', call),
    );
    expect(result).toEqual({ bulkId, replied: 30, skipped: 0 });
    const perThread = await outboundPerThread([...threadIds, ...others]);
    for (const id of threadIds) expect(perThread.get(id)).toBe(1);
    for (const id of others) expect(perThread.get(id)).toBe(0);
    expect(await queued('inbox_reply', threadIds)).toBe(30);

    // Each on its own channel, to its own address, once.
    const replies = (await outbox(s.t)).filter((m) => m.kind === 'inbox_reply');
    for (let i = 0; i < 29; i++) {
      const to = i % 3 === 0 ? `+1202555${String(1000 + i)}` : `bulk${i}@example.org`;
      const mine = replies.filter((m) => m.to === to);
      expect(mine, to).toHaveLength(1);
      expect(mine[0]!.channel).toBe(i % 3 === 0 ? 'sms' : 'email');
      expect(mine[0]!.text).toContain('Hello there,');
    }
    const personal = replies.filter((m) => m.to === 'ned.york@example.com');
    expect(personal).toHaveLength(1);
    expect(personal[0]!.text).toContain('Hello Ned,');
    expect(personal[0]!.subject).toBe('How to enroll');

    for (const id of threadIds.slice(0, 3)) {
      const thread = await threadOf(agent, id);
      expect(thread.status).toBe('pending');
      expect(thread.firstResponseAt).not.toBeNull();
    }

    // The same call again (a retry, a second click): nobody gets a second reply.
    const again = ok<{ replied: number }>(await agent.post('/api/inbox/bulk-reply', call));
    expect(again.replied).toBe(0);
    const byIds = ok<{ replied: number; skipped: number }>(
      await agent.post('/api/inbox/bulk-reply', { filter: { threadIds }, macroId, close: false, bulkId }),
    );
    expect(byIds).toMatchObject({ replied: 0, skipped: 30 });
    const withoutStatus = ok<{ replied: number }>(
      await agent.post('/api/inbox/bulk-reply', { filter: { topic }, macroId, close: false, bulkId }),
    );
    expect(withoutStatus.replied).toBe(0);
    const after = await outboundPerThread(threadIds);
    for (const id of threadIds) expect(after.get(id)).toBe(1);
    expect(await queued('inbox_reply', threadIds)).toBe(30);
    const audit = await s.t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'inbox.bulk_replied')
      .execute();
    expect(audit.some((a) => (a.details as { bulkId?: string }).bulkId === bulkId)).toBe(true);
  });

  it('selects by search words, and selects nothing for a word no message has', async () => {
    const none = ok<{ replied: number; skipped: number }>(
      await agent.post('/api/inbox/bulk-reply', {
        filter: { search: 'dirigible' },
        macroId,
        close: false,
      }),
    );
    expect(none).toMatchObject({ replied: 0, skipped: 0 });
    const list = ok<{ threads: Array<{ id: string }>; total: number }>(
      await agent.get('/api/inbox/threads?search=submarine&limit=200'),
    );
    const submarine = threadIds.filter((_, i) => i < 29 && i % 2 === 1);
    expect(new Set(list.threads.map((t) => t.id))).toEqual(new Set(submarine));
    expect(list.total).toBe(submarine.length);
    const result = ok<{ replied: number }>(
      await agent.post('/api/inbox/bulk-reply', { filter: { search: 'SUBMARINE' }, macroId, close: false }),
    );
    expect(result.replied).toBe(submarine.length);
    const perThread = await outboundPerThread(threadIds);
    for (const id of submarine) expect(perThread.get(id)).toBe(2);
    for (const id of threadIds.filter((id) => !submarine.includes(id))) expect(perThread.get(id)).toBe(1);
  });

  it('closes the threads it answers when asked, sending each requester the satisfaction question', async () => {
    const zeppelin = [...threadIds.filter((_, i) => i < 29 && i % 2 === 0), verifiedId];
    const before = (await outbox(s.t)).filter((m) => m.kind === 'inbox_csat').length;
    const result = ok<{ replied: number }>(
      await agent.post('/api/inbox/bulk-reply', {
        filter: { topic, search: 'zeppelin' },
        macroId,
        close: true,
      }),
    );
    expect(result.replied).toBe(zeppelin.length);
    for (const id of zeppelin) expect((await threadOf(agent, id)).status).toBe('solved');
    // The unrelated threads that mention zeppelin were not touched.
    for (const id of others) expect((await threadOf(agent, id)).status).toBe('open');
    const csat = (await outbox(s.t)).filter((m) => m.kind === 'inbox_csat');
    expect(csat.length - before).toBe(zeppelin.length);
    expect(csat.every((m) => /\/n\/_rate\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.test(m.text))).toBe(true);
  });

  it('reaches each thread once when the same bulk reply is sent twice at the same moment', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(
        (await file(s.t, { channel: 'email', from: `twice${i}@example.org`, body: 'Locked out of my login' }))
          .threadId,
      );
    }
    const call = {
      filter: { topic: 'password', status: 'open' },
      macroId,
      close: false,
      bulkId: randomUUID(),
    };
    const [a, b] = await Promise.all([
      agent.post('/api/inbox/bulk-reply', call),
      agent.post('/api/inbox/bulk-reply', call),
    ]);
    const replied = ok<{ replied: number }>(a).replied + ok<{ replied: number }>(b).replied;
    expect(replied).toBe(10);
    const perThread = await outboundPerThread(ids);
    for (const id of ids) expect(perThread.get(id)).toBe(1);
    expect(await queued('inbox_reply', ids)).toBe(10);
  });

  // pins: an empty selection (nothing ticked in the console) must not turn into "every open thread".
  it('refuses an empty selection instead of answering everyone', async () => {
    const open = ok<{ total: number }>(await agent.get('/api/inbox/threads?status=open')).total;
    expect(open).toBeGreaterThan(0);
    const beforeOut = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM inbox_messages WHERE direction = 'out'`.execute(s.t.ctx.db);
    const response = await agent.post('/api/inbox/bulk-reply', {
      filter: { threadIds: [] },
      macroId,
      close: false,
    });
    expect(response.statusCode).toBe(400);
    const afterOut = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM inbox_messages WHERE direction = 'out'`.execute(s.t.ctx.db);
    expect(afterOut.rows[0]!.n).toBe(beforeOut.rows[0]!.n);
    expect(ok<{ total: number }>(await agent.get('/api/inbox/threads?status=open')).total).toBe(open);
  });

  it('is for agents: readers get 403 and nothing is sent', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: 'reader-test@example.org', body: 'Hi' });
    for (const client of [s.comms, s.auditor]) {
      const response = await client.post('/api/inbox/bulk-reply', {
        filter: { threadIds: [threadId] },
        macroId,
        close: false,
      });
      expect(response.statusCode).toBe(403);
    }
    expect((await outboundPerThread([threadId])).get(threadId)).toBe(0);
  });
});
