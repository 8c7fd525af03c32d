import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../incidents/helpers.ts';
import { type CliResult, runCandor } from '../platform/helpers.ts';
import { ann, file, type InboxSetup, setupInbox } from './helpers.ts';

/** `candor inbox list` for scripting: the documented JSON shape, its filters, and refusals. */
let s: InboxSetup;
let env: Record<string, string>;
const threads: Record<string, string> = {};
let all: CliResult;
let filteredBoth: CliResult;
let badStatus: CliResult;

beforeAll(async () => {
  s = await setupInbox();
  env = { DATABASE_URL: s.t.database.url, CANDOR_MASTER_KEY: s.t.ctx.config.CANDOR_MASTER_KEY! };
  threads.linked = (
    await file(s.t, { channel: 'email', from: ann.email, body: 'Is this a scam? Please delete my data.' })
  ).threadId;
  threads.stranger = (
    await file(s.t, { channel: 'sms', from: '+12025550171', body: 'My password is locked out' })
  ).threadId;
  threads.solved = (
    await file(s.t, { channel: 'web', from: 'solved@example.org', body: 'Thanks, all good' })
  ).threadId;
  ok(await s.agent.patch(`/api/inbox/threads/${threads.solved}`, { status: 'solved' }));
  threads.solvedPassword = (
    await file(s.t, { channel: 'email', from: 'reset@example.org', body: 'I cannot log in, reset it' })
  ).threadId;
  ok(await s.agent.patch(`/api/inbox/threads/${threads.solvedPassword}`, { status: 'solved' }));
  // Each run of the command loads the TypeScript sources afresh (seconds): run them side by side, once.
  [all, filteredBoth, badStatus] = await Promise.all([
    runCandor(['inbox', 'list', '--json'], env),
    runCandor(['inbox', 'list', '--topic', 'password', '--status', 'solved', '--json'], env),
    runCandor(['inbox', 'list', '--status', 'closed', '--json'], env),
  ]);
}, 90_000);
afterAll(async () => s?.t.close());

interface Row {
  id: string;
  channel: string;
  status: string;
  topics: string[];
  priority: number;
  personLinked: boolean;
  incidentId: string | null;
  verified: boolean;
}

function rowsOf(result: CliResult): Row[] {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Row[];
}

describe('candor inbox list', () => {
  it('prints exactly the documented keys for every thread, and no addresses or content', () => {
    const result = all;
    const rows = rowsOf(result);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(Object.values(threads)));
    for (const row of rows) {
      expect(Object.keys(row)).toEqual([
        'id',
        'channel',
        'status',
        'topics',
        'priority',
        'personLinked',
        'incidentId',
        'verified',
      ]);
    }
    expect(rows.find((r) => r.id === threads.linked)).toEqual({
      id: threads.linked,
      channel: 'email',
      status: 'open',
      topics: expect.arrayContaining(['is_this_real', 'delete_my_data']),
      priority: expect.any(Number),
      personLinked: true,
      incidentId: s.incidentId,
      verified: false,
    });
    expect(rows.find((r) => r.id === threads.stranger)).toMatchObject({
      channel: 'sms',
      personLinked: false,
      incidentId: null,
      verified: false,
      topics: ['password'],
    });
    // Highest priority first.
    const priorities = rows.map((r) => r.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    for (const secret of [ann.email, '2025550171', 'scam', 'password is', 'solved@example.org']) {
      expect(result.stdout).not.toContain(secret);
    }
  });

  it('filters by topic and by status', () => {
    // Two threads have the topic (one open), two are solved (one without the topic): both filters apply.
    const rows = rowsOf(filteredBoth);
    expect(rows.map((r) => r.id)).toEqual([threads.solvedPassword]);
    expect(rows[0]).toMatchObject({ status: 'solved', topics: ['password'], channel: 'email' });
  });

  it('refuses a status that does not exist, with a message and a non-zero exit', () => {
    expect(badStatus.code).not.toBe(0);
    expect(badStatus.stderr).toContain('--status must be one of open, pending, solved');
    expect(badStatus.stdout).toBe('');
  });
});
