import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countOpenThreadsByTopic,
  countThreadsByState,
} from '../../src/server/modules/inbox/threads.repository.ts';
import { type Client, ok } from '../incidents/helpers.ts';
import { ann, file, type InboxSetup, listOf, setupInbox } from './helpers.ts';

/**
 * What issue 21 changed for an inbox of a million threads: the counts above the list are kept by the
 * database as threads change (migration 0019) instead of counted on every view, and a search matching few
 * threads is sorted whole instead of found by walking the list's order. Both must answer as before.
 */
let s: InboxSetup;
let agent: Client;

beforeAll(async () => {
  s = await setupInbox();
  agent = s.agent;
});
afterAll(async () => s?.t.close());

const HOUR = 3_600_000;

/** The counts as the list used to compute them: one pass over every thread. */
async function countedDirectly() {
  const c = (
    await sql<Record<string, string>>`
      SELECT count(*) FILTER (WHERE status = 'open') AS open, count(*) FILTER (WHERE status = 'pending') AS pending,
        count(*) FILTER (WHERE status = 'solved') AS solved,
        count(*) FILTER (WHERE first_response_at IS NULL AND status <> 'solved' AND sla_due_at < now()) AS breached,
        count(*) FILTER (WHERE dsr_kind IS NOT NULL AND dsr_completed_at IS NULL) AS dsr_open
      FROM inbox_threads`.execute(s.t.ctx.db)
  ).rows[0]!;
  const topics = await sql<{ topic: string; label: string; open: string }>`
    SELECT r.topic, r.label, coalesce(o.n, 0) AS open FROM inbox_rules r
    LEFT JOIN (SELECT unnest(topics) AS topic, count(*) AS n FROM inbox_threads WHERE status = 'open' GROUP BY 1) o
      ON o.topic = r.topic
    ORDER BY r.topic`.execute(s.t.ctx.db);
  return {
    counts: {
      open: Number(c.open),
      pending: Number(c.pending),
      solved: Number(c.solved),
      breached: Number(c.breached),
      dsrOpen: Number(c.dsr_open),
    },
    topics: topics.rows.map((t) => ({ topic: t.topic, label: t.label, open: Number(t.open) })),
  };
}

async function expectCountsKept() {
  const kept = {
    counts: await countThreadsByState(s.t.ctx.db),
    topics: await countOpenThreadsByTopic(s.t.ctx.db),
  };
  expect(kept).toEqual(await countedDirectly());
  return kept;
}

describe('the counts above the list', () => {
  it('stay equal to a count over every thread as threads arrive, change, are answered and go', async () => {
    const lawyer = await file(s.t, { from: 'scale1@example.org', body: 'My lawyer will call you' });
    const erase = await file(s.t, { from: 'scale2@example.org', body: 'Please delete my data now' });
    const sms = await file(s.t, { channel: 'sms', from: '+12025550177', body: 'Is this real or a scam?' });
    await file(s.t, { channel: 'web', from: ann.email, body: 'Password reset and credit monitoring?' });
    // A new message on a thread moves no count.
    await file(s.t, { from: 'scale1@example.org', body: 'Still waiting.' });
    const start = await expectCountsKept();
    expect(start.counts.open).toBeGreaterThanOrEqual(4);
    expect(start.counts.dsrOpen).toBeGreaterThanOrEqual(1);

    // Past its SLA, the thread counts as breached (the clock, not a write, makes it so).
    await s.t.ctx.db
      .updateTable('inbox_threads')
      .set({ sla_due_at: new Date(Date.now() - HOUR) })
      .where('id', 'in', [lawyer.threadId, sms.threadId])
      .execute();
    expect((await expectCountsKept()).counts.breached).toBe(start.counts.breached + 2);

    ok(await agent.patch(`/api/inbox/threads/${sms.threadId}`, { status: 'pending' }));
    ok(await agent.post(`/api/inbox/threads/${lawyer.threadId}/reply`, { body: 'We hear you.' }));
    ok(await agent.patch(`/api/inbox/threads/${erase.threadId}`, { dsrCompleted: true, status: 'solved' }));
    const later = await expectCountsKept();
    expect(later.counts.breached).toBe(start.counts.breached + 1);
    expect(later.counts.dsrOpen).toBe(start.counts.dsrOpen - 1);

    await s.t.ctx.db.deleteFrom('inbox_threads').where('id', '=', sms.threadId).execute();
    expect((await expectCountsKept()).counts.pending).toBe(later.counts.pending - 1);
  });

  it('are what the list shows once its short cache has passed', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const shown = await listOf(agent);
    expect(shown.counts).toEqual((await countedDirectly()).counts);
  });
});

describe('a search matching few threads', () => {
  it('pages through each match once, in the list order, with its total', async () => {
    const matching: string[] = [];
    for (let k = 0; k < 5; k++) {
      const { threadId } = await file(s.t, {
        from: `quokka${k}@example.org`,
        body: k % 2 ? 'A quokka question about my lawyer' : 'A quokka question',
      });
      matching.push(threadId);
    }
    await file(s.t, { from: 'not-a-match@example.org', body: 'A wombat question' });
    const all = await listOf(agent, { search: 'quokka', limit: '200' });
    expect(all.total).toBe(5);
    expect(new Set(all.threads.map((t) => t.id))).toEqual(new Set(matching));
    const order = all.threads.map(
      (t) => [t.priority, (t as { lastMessageAt?: string }).lastMessageAt!] as const,
    );
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || Date.parse(b[1]) - Date.parse(a[1])));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listOf(agent, { search: 'quokka', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(5);
      seen.push(...page.threads.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.threads.map((t) => t.id));

    // Other filters still apply to the matches.
    const both = await listOf(agent, { search: 'quokka lawyer', topic: 'legal_threat' });
    expect(both.threads.map((t) => t.id).sort()).toEqual([matching[1], matching[3]].sort());
    expect((await listOf(agent, { search: 'quokka', channel: 'sms' })).threads).toEqual([]);
    expect((await listOf(agent, { search: 'zzyzx' })).threads).toEqual([]);
  });
});
