import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/server/platform/audit/audit-log.ts';
import { ok } from '../incidents/helpers.ts';
import { ann, file, type InboxSetup, setupInbox, threadOf } from './helpers.ts';

/**
 * Staff appear by name (display name, else email), not by role: recorded that way from now on, and shown
 * that way for rows recorded earlier with a role ("agent", "admin") as their label.
 */
let s: InboxSetup;
const agentName = 'Priya Agent';

beforeAll(async () => {
  s = await setupInbox();
  await s.t.ctx.db
    .updateTable('users')
    .set({ display_name: agentName })
    .where('id', '=', s.agentId)
    .execute();
});
afterAll(async () => s?.t.close());

describe('staff names', () => {
  it('records the actor’s name in the audit log, and the email when there is no display name', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: ann.email });
    ok(await s.agent.post(`/api/inbox/threads/${threadId}/notes`, { body: 'Looking into it.' }));
    const row = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_label'])
      .where('action', '=', 'inbox.note_added')
      .where('target_id', '=', threadId)
      .executeTakeFirstOrThrow();
    expect(row.actor_label).toBe(agentName);

    const admin = await s.t.ctx.db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    ok(await s.admin.post(`/api/inbox/threads/${threadId}/notes`, { body: 'Escalated.' }));
    const adminRow = await s.t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_label', 'actor_id'])
      .where('action', '=', 'inbox.note_added')
      .where('actor_id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(adminRow.actor_label).toBe(admin.email);
  });

  it('shows the current name for older audit rows that recorded only a role', async () => {
    await s.t.ctx.db.transaction().execute((tx) =>
      recordAudit(tx, {
        actor: { type: 'user', id: s.agentId, label: 'agent' },
        action: 'test.legacy_label',
      }),
    );
    const page = ok<{ entries: Array<{ action: string; actorLabel: string; actorName: string | null }> }>(
      await s.admin.get('/api/audit?action=test.legacy_label'),
    );
    expect(page.entries[0]).toMatchObject({ actorLabel: 'agent', actorName: agentName });
  });

  it('names the author of inbox replies and notes, also for rows recorded with a role', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: ann.email, body: 'Another question' });
    ok(await s.agent.post(`/api/inbox/threads/${threadId}/reply`, { body: 'Here is the answer.' }));
    await s.t.ctx.db
      .insertInto('inbox_messages')
      .values({
        thread_id: threadId,
        direction: 'out',
        kind: 'note',
        sealed: s.t.ctx.crypto.encrypt(JSON.stringify({ body: 'old note' }), 'inbox_messages.sealed'),
        author_id: s.agentId,
        author: 'agent',
      })
      .execute();
    const thread = await threadOf(s.agent, threadId);
    const authors = (thread.messages as Array<{ direction: string; author?: string | null }>)
      .filter((m) => m.direction === 'out')
      .map((m) => m.author);
    // The thread holds the earlier notes too (same sender): the last two are this test's.
    expect(authors.slice(-2)).toEqual([agentName, agentName]);
    expect(authors.filter((a) => a === 'agent' || a === 'admin')).toEqual([]);
  });

  it('names who last changed a macro, and lists assignees by name', async () => {
    ok(await s.agent.post('/api/inbox/macros', { name: 'Thanks', locale: 'en', body: 'Thank you.' }));
    const macros = ok<{ macros: Array<{ name: string; updatedBy: string }> }>(
      await s.agent.get('/api/inbox/macros'),
    );
    expect(macros.macros.find((m) => m.name === 'Thanks')!.updatedBy).toBe(agentName);
    const assignees = ok<{ assignees: Array<{ id: string; name: string }> }>(
      await s.agent.get('/api/inbox/assignees'),
    );
    expect(assignees.assignees.find((a) => a.id === s.agentId)!.name).toBe(agentName);
    expect(assignees.assignees.every((a) => a.name.length > 0 && !/^admin |^agent /.test(a.name))).toBe(true);
  });

  it('names staff on the incident timeline', async () => {
    await s.t.ctx.db
      .updateTable('users')
      .set({ display_name: 'Rui Responder' })
      .where('role', '=', 'responder')
      .execute();
    ok(await s.responder.post(`/api/incidents/${s.incidentId}/timeline`, { text: 'Called the host.' }));
    const events = ok<{ events: Array<{ actor: string; summary: string }> }>(
      await s.responder.get(`/api/incidents/${s.incidentId}/timeline`),
    ).events;
    expect(events.find((e) => e.summary === 'Called the host.')!.actor).toBe('Rui Responder');
  });
});
