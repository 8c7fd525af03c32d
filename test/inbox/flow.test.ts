import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboxModule } from '../../src/server/modules/inbox/index.ts';
import { type Client, clientFor, createIncident, ok } from '../incidents/helpers.ts';
import { settleSiteMessages } from '../notice-site/more-helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The agent's core flow through the API: a question arrives by email from an affected person, links to
 * them without disclosing anything, a code goes to the address on file, the code comes back, and only then
 * is what leaked shown; the answer goes out on the thread's channel.
 */
let t: TestApp;
let agent: Client;
let incidentId: string;

beforeAll(async () => {
  t = await createTestApp();
  agent = clientFor(t, await createSignedInUser(t, 'agent'));
  const responder = clientFor(t, await createSignedInUser(t, 'responder'));
  incidentId = (await createIncident(responder, { title: 'Shop breach' })).id;
  await importPeople(
    t,
    incidentId,
    csv('email,name,ssn,country,state', 'ann.lee@example.com,Ann Lee,536-22-1001,US,CA'),
    { email: 'email', name: 'full_name', ssn: 'national_id', country: 'country', state: 'region' },
  );
});
afterAll(async () => t?.close());

const inbox = () => createInboxModule(t.ctx, { kick: () => {} });
// The app's own sender may hold the queue's rows: settling waits for them as well.
const drain = () => settleSiteMessages(t);
const sent = async () =>
  (await t.ctx.db.selectFrom('outbox_messages').select(['kind', 'sealed']).orderBy('id').execute()).map(
    async (r) => ({
      kind: r.kind,
      ...(JSON.parse(await t.ctx.crypto.decrypt(r.sealed, 'outbox_messages.sealed')) as {
        to: string;
        text: string;
      }),
    }),
  );

describe('the inbox', () => {
  it('lists who a thread can be assigned to, for agents too (active agents and admins only)', async () => {
    const body = ok<{ assignees: Array<{ id: string; role: string }> }>(
      await agent.get('/api/inbox/assignees'),
    );
    expect(body.assignees.length).toBeGreaterThan(0);
    expect(body.assignees.every((a) => a.role === 'agent' || a.role === 'admin')).toBe(true);
  });

  it('links, verifies through the address on file, then discloses; replies on the channel', async () => {
    const stored = await inbox().ingest({
      channel: 'email',
      from: 'Ann.Lee@example.com',
      subject: 'Is this real? I want to delete my data',
      body: 'I got your letter. Is this a scam? Please delete my data.',
      providerMessageId: 'email:<m1@example.com>',
    });
    expect(stored.outcome).toBe('stored');
    const threadId = (stored as { threadId: string }).threadId;
    const again = await inbox().ingest({
      channel: 'email',
      from: 'ann.lee@example.com',
      body: 'duplicate',
      providerMessageId: 'email:<m1@example.com>',
    });
    expect(again.outcome).toBe('duplicate');

    const before = ok<{
      topics: string[];
      personLinked: boolean;
      person: { linked: boolean; verified: boolean; exposure?: unknown };
      dsr: { kind: string } | null;
    }>(await agent.get(`/api/inbox/threads/${threadId}`));
    expect(before.topics).toEqual(expect.arrayContaining(['is_this_real', 'delete_my_data']));
    expect(before.dsr?.kind).toBe('deletion');
    expect(before.person).toMatchObject({ linked: true, verified: false });
    expect(before.person.exposure).toBeUndefined();

    ok(await agent.post(`/api/inbox/threads/${threadId}/verification`));
    await drain();
    const code = (await Promise.all(await sent())).find((m) => m.kind === 'inbox_verification');
    expect(code?.to).toBe('ann.lee@example.com');
    const digits = /\b(\d{6})\b/.exec(code!.text)![1]!;
    const wrong = await agent.post(`/api/inbox/threads/${threadId}/verification/confirm`, {
      code: digits === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    const after = ok<{ person: { verified: boolean; exposure: { categories: string[] } } }>(
      await agent.post(`/api/inbox/threads/${threadId}/verification/confirm`, { code: digits }),
    );
    expect(after.person.verified).toBe(true);
    expect(after.person.exposure.categories).toContain('your Social Security number');

    ok(
      await agent.post(`/api/inbox/threads/${threadId}/reply`, {
        body: 'Yes, it is real. We will delete it.',
        status: 'solved',
      }),
    );
    await drain();
    const messages = await Promise.all(await sent());
    expect(messages.some((m) => m.kind === 'inbox_reply' && m.to === 'ann.lee@example.com')).toBe(true);
    expect(messages.some((m) => m.kind === 'inbox_csat' && /\/n\/_rate\//.test(m.text))).toBe(true);
  });
});
