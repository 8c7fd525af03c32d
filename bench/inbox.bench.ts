// npm run bench:inbox [-- --threads 50000 --messages 3 --samples 200 --bulk 10000 --keep]
// The support inbox after a notice to millions: seeds N threads with M messages each (sealed, blind-indexed,
// set-based: bench/support/inbox-seed.ts), then through the HTTP API (real HTTP, a bearer token): p50/p95
// of the inbox list with each filter the API offers and of opening a thread (goal: p95 under 100 ms on this
// machine, issue 21), and the time to bulk-answer --bulk threads with a macro (one reply per thread, queued
// on its channel). --keep leaves the database in place (its name on stderr) to read plans; drop it after.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { createApiToken } from '../src/server/modules/auth/api-tokens.service.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { seededAddress, seedInbox } from './support/inbox-seed.ts';

const { values: args } = parseArgs({
  options: {
    threads: { type: 'string', default: '50000' },
    messages: { type: 'string', default: '3' },
    samples: { type: 'string', default: '200' },
    bulk: { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
  },
});
const threadCount = Number(args.threads);
const perThread = Number(args.messages);
const samples = Number(args.samples);
const bulkCount = Number(args.bulk);
const GOAL_MS = 100;
const say = (line: string) => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const database = await createBenchDatabase('candor_bench_inbox');
const runtime = await openRuntime({
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    CANDOR_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  },
  applicationName: 'candor-bench-inbox',
});
const { ctx } = runtime;
const { app } = await buildApp(ctx, { webRoot: '/nonexistent' });

try {
  // Staff: an active admin who owns an agent-role API token ("me"), and four other agents.
  const admin = await ctx.db
    .insertInto('users')
    .values({
      email: 'bench-admin@candor.invalid',
      role: 'admin',
      status: 'active',
      display_name: 'Bench admin',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const agents = await ctx.db
    .insertInto('users')
    .values(
      [1, 2, 3, 4].map((k) => ({
        email: `bench-agent-${k}@candor.invalid`,
        role: 'agent' as const,
        status: 'active' as const,
        display_name: `Bench agent ${k}`,
      })),
    )
    .returning('id')
    .execute();
  const { token } = await createApiToken(
    { db: ctx.db } as never,
    { kind: 'session', userId: admin.id, role: 'admin', label: 'bench', stage: 'active' } as never,
    { name: 'bench', role: 'agent' },
    { requestId: 'bench' } as never,
  );
  const [incident, smallIncident] = await ctx.db
    .insertInto('incidents')
    .values(
      [1, 2].map((k) => ({
        title: `Bench incident ${k}`,
        aware_at: new Date(),
        created_by: 'bench',
        public_slug: `bench-incident-${k}`,
      })),
    )
    .returning('id')
    .execute();

  note(`seeding ${fmt(threadCount)} threads with ${perThread} messages each…`);
  const started = performance.now();
  await seedInbox(database.url, ctx.crypto, {
    threads: threadCount,
    perThread,
    incidentId: incident!.id,
    smallIncidentId: smallIncident!.id,
    meId: admin.id,
    agentIds: agents.map((a) => a.id),
  });
  const seedSeconds = (performance.now() - started) / 1000;

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; ms: number; json: unknown }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const t0 = process.hrtime.bigint();
      const request = http.request(
        `${base}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            const text = Buffer.concat(chunks).toString('utf8');
            if ((response.statusCode ?? 500) >= 400)
              reject(new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 300)}`));
            else resolve({ status: response.statusCode ?? 0, ms, json: text ? JSON.parse(text) : null });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  const pct = (list: number[], p: number) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  };

  // Warm up, then each list filter the API offers (alone, and the combinations the console makes).
  for (let i = 0; i < 20; i++) await call('GET', '/api/inbox/threads?status=open');
  const pageAfter = async (query: string, pages: number) => {
    let cursor = '';
    for (let p = 0; p < pages; p++) {
      const path = `/api/inbox/threads?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      cursor = ((await call('GET', path)).json as { nextCursor: string }).nextCursor;
    }
    return `${query}&cursor=${encodeURIComponent(cursor)}`;
  };
  // A person searched by address: a different email or web thread's sender each time.
  const someAddress = () => {
    let i = Math.floor(Math.random() * threadCount);
    if (i % 10 === 0) i = Math.max(1, i - 1);
    return encodeURIComponent(seededAddress(i));
  };
  const filters: Array<[string, () => string]> = [
    ['no filter', () => ''],
    ['open, first page', () => 'status=open'],
    [
      'open, second page',
      (
        (q) => () =>
          q
      )(await pageAfter('status=open', 1)),
    ],
    [
      'open, page 20',
      (
        (q) => () =>
          q
      )(await pageAfter('status=open', 19)),
    ],
    ['pending', () => 'status=pending'],
    ['solved', () => 'status=solved'],
    ['topic', () => 'topic=password'],
    ['open + topic', () => 'status=open&topic=legal_threat'],
    ['channel sms', () => 'channel=sms'],
    ['channel web + open', () => 'channel=web&status=open'],
    ['assignee me', () => 'assignee=me'],
    ['assignee me + open', () => 'assignee=me&status=open'],
    ['unassigned + open', () => 'assignee=none&status=open'],
    ['assignee (other agent)', () => `assignee=${agents[0]!.id}`],
    ['incident', () => `incidentId=${incident!.id}`],
    ['incident + open', () => `incidentId=${incident!.id}&status=open`],
    ['small incident + open', () => `incidentId=${smallIncident!.id}&status=open`],
    ['SLA breached', () => 'sla=breached'],
    ['SLA due soon', () => 'sla=due_soon'],
    ['data request open', () => 'dsr=open'],
    ['search (one word)', () => 'search=refund'],
    ['search (two words)', () => 'search=refund+lawyer'],
    ['search (a person)', () => `search=${someAddress()}`],
    ['search (no match)', () => 'search=zzyzx'],
    ['open+sms+topic+breached', () => 'status=open&channel=sms&topic=press&sla=breached'],
  ];
  const listTimes: Array<{ label: string; p50: number; p95: number }> = [];
  const allList: number[] = [];
  for (const [label, query] of filters) {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push((await call('GET', `/api/inbox/threads?${query()}`)).ms);
    allList.push(...times);
    listTimes.push({ label, p50: pct(times, 50), p95: pct(times, 95) });
    note(`list ${label}: p50 ${fmt(pct(times, 50), 1)} ms, p95 ${fmt(pct(times, 95), 1)} ms`);
  }

  // Opening threads.
  const ids = (
    await ctx.db.selectFrom('inbox_threads').select('id').orderBy(sql`random()`).limit(samples).execute()
  ).map((r) => r.id);
  const openTimes: number[] = [];
  for (const id of ids) openTimes.push((await call('GET', `/api/inbox/threads/${id}`)).ms);

  // Bulk answer.
  const macro = (await call('POST', '/api/inbox/macros', {
    name: 'Bench answer',
    locale: 'en',
    subject: 'About your question',
    body: 'Hello {{ person.first_name | default: "there" }},\n\nThank you for writing about {{ incident.title | default: "the incident" }}. {{ company.name }} is here to help.',
  }).then((r) => r.json)) as { id: string };
  const bulkIds = (
    await ctx.db
      .selectFrom('inbox_threads')
      .select('id')
      .where('status', '<>', 'solved')
      .orderBy('id')
      .limit(bulkCount)
      .execute()
  ).map((r) => r.id);
  note(`bulk-answering ${fmt(bulkIds.length)} threads…`);
  const bulkStarted = performance.now();
  const bulk = (await call('POST', '/api/inbox/bulk-reply', {
    filter: { threadIds: bulkIds },
    macroId: macro.id,
    close: true,
  }).then((r) => r.json)) as { replied: number; skipped: number };
  const bulkSeconds = (performance.now() - bulkStarted) / 1000;
  const queued = await ctx.db
    .selectFrom('outbound_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', 'inbox_reply')
    .executeTakeFirstOrThrow();
  agent.destroy();

  say('');
  say(
    `Support inbox (${os.cpus().length} cores): ${fmt(threadCount)} threads, ${fmt(threadCount * perThread)} messages`,
  );
  say(
    `  seeding                        ${fmt(seedSeconds, 1)} s (${fmt(threadCount / seedSeconds)} threads/s)`,
  );
  const row = (label: string, p50: number, p95: number) =>
    say(
      `  ${label.padEnd(30)} p50 ${fmt(p50, 1).padStart(7)} ms   p95 ${fmt(p95, 1).padStart(7)} ms   goal p95 < ${GOAL_MS} ms ${p95 < GOAL_MS ? 'met' : 'MISSED'}`,
    );
  for (const t of listTimes) row(`list: ${t.label}`, t.p50, t.p95);
  row('list, all filters', pct(allList, 50), pct(allList, 95));
  row('open a thread', pct(openTimes, 50), pct(openTimes, 95));
  say(
    `  bulk answer                    ${fmt(bulk.replied)} threads in ${fmt(bulkSeconds, 1)} s (${fmt(bulk.replied / bulkSeconds)} threads/s), ${fmt(bulk.skipped)} skipped, ${fmt(Number(queued.n))} replies queued`,
  );
} finally {
  await app.close();
  await runtime.close();
  if (args.keep)
    note(`kept database ${database.name}: drop it with DROP DATABASE ${database.name} WITH (FORCE)`);
  else await database.drop();
}
