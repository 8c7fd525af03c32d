// npm run bench:inbox [-- --threads 50000 --messages 3 --samples 200 --bulk 10000]
// The support inbox in a surge: seeds N threads with M messages each (sealed, blind-indexed, classified as
// ingest does), then through the HTTP API (real HTTP, a bearer token): p50/p95 of the inbox list with each
// filter and of opening a thread (goal: p95 under 100 ms on this machine), and the time to bulk-answer
// --bulk threads with a macro (one reply per thread, queued on its channel).
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { createApiToken } from '../src/server/modules/auth/api-tokens.service.ts';
import { blindLookup } from '../src/server/modules/people/index.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { progress } from './support/progress.ts';

const { values: args } = parseArgs({
  options: {
    threads: { type: 'string', default: '50000' },
    messages: { type: 'string', default: '3' },
    samples: { type: 'string', default: '200' },
    bulk: { type: 'string', default: '10000' },
  },
});
const threadCount = Number(args.threads);
const perThread = Number(args.messages);
const samples = Number(args.samples);
const bulkCount = Number(args.bulk);
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

const TOPICS = ['is_this_real', 'credit_monitoring', 'password', 'delete_my_data', 'legal_threat', 'press'];
const WORDS =
  'account password letter notice credit freeze monitoring scam real bank card refund delete data lawyer reporter phone email address breach identity theft hacked worried angry thanks help please'.split(
    ' ',
  );
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
const sentence = () => Array.from({ length: 18 }, () => pick(WORDS)).join(' ');

try {
  // Staff: an active admin who owns an agent-role API token.
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
  const { token } = await createApiToken(
    { db: ctx.db } as never,
    { kind: 'session', userId: admin.id, role: 'admin', label: 'bench', stage: 'active' } as never,
    { name: 'bench', role: 'agent' },
    { requestId: 'bench' } as never,
  );
  const incident = await ctx.db
    .insertInto('incidents')
    .values({
      title: 'Bench incident',
      aware_at: new Date(),
      created_by: 'bench',
      public_slug: 'bench-incident-1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Seed.
  note(`seeding ${fmt(threadCount)} threads with ${perThread} messages each…`);
  const seeding = progress('seeding threads', threadCount, 'threads');
  const started = performance.now();
  const BATCH = 1_000;
  for (let done = 0; done < threadCount; done += BATCH) {
    const n = Math.min(BATCH, threadCount - done);
    const threads = Array.from({ length: n }, (_, k) => {
      const i = done + k;
      const channel = i % 10 === 0 ? ('sms' as const) : i % 3 === 0 ? ('web' as const) : ('email' as const);
      const sender =
        channel === 'sms' ? `+1202555${String(i % 10_000).padStart(4, '0')}` : `person.${i}@example.org`;
      const status = i % 20 < 12 ? 'open' : i % 20 < 17 ? 'pending' : 'solved';
      const created = new Date(Date.now() - Math.random() * 7 * 86_400_000);
      const bodies = Array.from({ length: perThread }, sentence);
      const topics = [pick(TOPICS), ...(i % 4 === 0 ? [pick(TOPICS)] : [])].filter(
        (t, j, a) => a.indexOf(t) === j,
      );
      return {
        row: {
          id: randomUUID(),
          incident_id: i % 2 === 0 ? incident.id : null,
          channel,
          sender_idx: blindLookup(ctx.crypto, { kind: channel === 'sms' ? 'phone' : 'email', value: sender })!
            .index,
          sender_sealed: ctx.crypto.encrypt(sender, 'inbox_threads.sender'),
          subject_sealed:
            channel === 'email' ? ctx.crypto.encrypt(`Question ${i}`, 'inbox_threads.subject') : null,
          status: status as 'open' | 'pending' | 'solved',
          solved_at: status === 'solved' ? created : null,
          topics,
          priority: Math.floor(Math.random() * 100),
          sentiment: Math.round((Math.random() * 4 - 2) * 100) / 100,
          sla_due_at: new Date(created.getTime() + 24 * 3_600_000),
          first_response_at: status === 'open' ? null : created,
          search_terms: [
            ...new Set(
              bodies
                .join(' ')
                .split(' ')
                .map((w) => ctx.crypto.blindIndex('inbox_search', w).subarray(0, 8).toString('hex')),
            ),
          ],
          messages: perThread,
          created_at: created,
          last_message_at: created,
        },
        bodies,
      };
    });
    await ctx.db
      .insertInto('inbox_threads')
      .values(threads.map((t) => t.row))
      .execute();
    await ctx.db
      .insertInto('inbox_messages')
      .values(
        threads.flatMap((t) =>
          t.bodies.map((body) => ({
            thread_id: t.row.id,
            direction: 'in' as const,
            sealed: ctx.crypto.encrypt(
              JSON.stringify({ name: null, subject: null, body }),
              'inbox_messages.sealed',
            ),
          })),
        ),
      )
      .execute();
    seeding.update(done + n);
  }
  seeding.stop();
  await sql`ANALYZE inbox_threads`.execute(ctx.db);
  await sql`ANALYZE inbox_messages`.execute(ctx.db);
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

  // Warm up, then each list filter.
  for (let i = 0; i < 20; i++) await call('GET', '/api/inbox/threads?status=open');
  const secondPage = ((await call('GET', '/api/inbox/threads?status=open')).json as { nextCursor: string })
    .nextCursor;
  const filters: Array<[string, string]> = [
    ['open, first page', 'status=open'],
    ['open, second page', `status=open&cursor=${encodeURIComponent(secondPage)}`],
    ['topic', 'topic=password'],
    ['open + topic', 'status=open&topic=legal_threat'],
    ['search (one word)', 'search=refund'],
    ['search (two words)', 'search=refund+lawyer'],
    ['channel sms', 'channel=sms'],
    ['SLA breached', 'sla=breached'],
    ['incident + open', `incidentId=${incident.id}&status=open`],
  ];
  const listTimes: Array<{ label: string; p50: number; p95: number }> = [];
  const allList: number[] = [];
  for (const [label, query] of filters) {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push((await call('GET', `/api/inbox/threads?${query}`)).ms);
    allList.push(...times);
    listTimes.push({ label, p50: pct(times, 50), p95: pct(times, 95) });
    note(`list ${label}: p95 ${fmt(pct(times, 95), 1)} ms`);
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
  say(`  seeding                        ${fmt(seedSeconds, 1)} s`);
  for (const t of listTimes) {
    say(
      `  list: ${t.label.padEnd(24)} p50 ${fmt(t.p50, 1).padStart(6)} ms   p95 ${fmt(t.p95, 1).padStart(6)} ms`,
    );
  }
  say(`  list, all filters              p95 ${fmt(pct(allList, 95), 1)} ms   (goal < 100 ms)`);
  say(
    `  open a thread                  p50 ${fmt(pct(openTimes, 50), 1)} ms   p95 ${fmt(pct(openTimes, 95), 1)} ms   (goal < 100 ms)`,
  );
  say(
    `  bulk answer                    ${fmt(bulk.replied)} threads in ${fmt(bulkSeconds, 1)} s (${fmt(bulk.replied / bulkSeconds)} threads/s), ${fmt(bulk.skipped)} skipped, ${fmt(Number(queued.n))} replies queued`,
  );
} finally {
  await app.close();
  await runtime.close();
  await database.drop();
}
