import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import { createIncidentsModule } from '../../src/server/modules/incidents/index.ts';
import { enqueueMessage } from '../../src/server/modules/outbound/index.ts';
import { incidentPeopleFacts } from '../../src/server/modules/people/index.ts';
import type { Actor } from '../../src/server/platform/audit/audit-log.ts';
import type { CampaignInput } from '../../src/shared/contracts/campaigns.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { runCandor } from '../platform/helpers.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';

/**
 * The crash test of DESIGN invariant 4. Real `candor worker` processes send a 400-person email campaign to
 * a counting SMTP listener and are killed with SIGKILL at random moments, then restarted. Afterwards every
 * person has a message, duplicates stay within the batches in flight at the kills, resends carry the same
 * Message-ID, and the campaign never says finished while a delivery is pending or claimed.
 *
 * Every other kind of message goes through the same outbound engine, so the workers also send a mix of them
 * while they are killed: verification codes, inbox replies, satisfaction questions, contact-form
 * acknowledgements and lookup answers, queued in waves. Each reaches its address, with bounded duplicates
 * that carry the same Message-ID.
 *
 * The kill times come from a seeded generator; the seed is in the test name. Run one again with
 * CANDOR_CRASH_SEEDS=<seed>[,<seed>…].
 */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PEOPLE = 400;
const BATCH = 20;
const KILLS = 5;
const WORKERS = 2;
/** Messages per second (all workers): slow enough that the kills land while the campaign is sending. */
const THROTTLE = 25;
/** Messages of other kinds queued at each kill cycle (spread over the kinds below). */
const WAVE = 20;
const KINDS = ['inbox_verification', 'inbox_reply', 'inbox_csat', 'contact_ack', 'lookup'] as const;

const seeds = process.env.CANDOR_CRASH_SEEDS
  ? process.env.CANDOR_CRASH_SEEDS.split(',').map(Number)
  : [randomInt(2 ** 31), randomInt(2 ** 31)];

/** mulberry32: small, seedable, good enough to pick moments. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestApp;
let sink: SmtpSink;
let env: Record<string, string>;
let author: Actor;
let approver: Actor;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url });
  env = {
    DATABASE_URL: t.database.url,
    CANDOR_MASTER_KEY: t.ctx.config.CANDOR_MASTER_KEY!,
    SMTP_URL: sink.url,
    CANDOR_DELIVERY_BATCH: String(BATCH),
    CANDOR_DELIVERY_LEASE: '2s',
    LOG_LEVEL: 'warn',
  };
  const users = await t.ctx.db
    .insertInto('users')
    .values([
      { email: 'writer@example.test', role: 'comms' },
      { email: 'counsel@example.test', role: 'legal' },
    ])
    .returning('id')
    .execute();
  author = { type: 'user', id: users[0]!.id, label: 'comms' };
  approver = { type: 'user', id: users[1]!.id, label: 'legal' };
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await t?.close();
  await sink?.close();
});

/** A `candor worker` process; stderr is kept for the failure message. */
function startWorker(log: string[]): ChildProcess {
  const child = spawn(process.execPath, ['bin/candor.js', 'worker'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  child.stderr?.on('data', (chunk: Buffer) => {
    if (log.length < 200) log.push(chunk.toString());
  });
  child.once('exit', () => children.delete(child));
  return child;
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

async function startCampaign(prefix: string): Promise<{ id: string; incidentId: string; emails: string[] }> {
  const incident = await createIncidentsModule(t.ctx, incidentPeopleFacts).service.create(
    { title: `Crash ${prefix}`, awareAt: new Date(Date.now() - 86_400_000).toISOString() },
    { actor: author },
  );
  const emails = Array.from({ length: PEOPLE }, (_, i) => `${prefix}-${i}@example.com`);
  // Email only, no country: no obligation deadlines, so the workers' reminders send no staff mail.
  const summary = await importPeople(t, incident.id, csv('email', ...emails), { email: 'email' });
  expect(summary.people).toBe(PEOPLE);
  const campaigns = createCampaignsModule(t.ctx);
  const body: CampaignInput = {
    name: 'Crash notice',
    channels: ['email'],
    defaultLocale: 'en',
    companyName: 'Example Shop',
    contact: {},
    activationCodesFor: [],
    throttle: { email: THROTTLE },
    errorThreshold: 1,
    variants: [
      {
        name: 'general',
        default: true,
        content: {
          en: {
            email: {
              subject: 'Notice from {{ company.name }}',
              html: '<p>Read more: {{ link }}</p>',
              text: 'Read more: {{ link }} ({{ verification_code }})',
            },
          },
        },
      },
    ],
  };
  let c = await campaigns.service.create(incident.id, body, { actor: author });
  for (const v of c.variants) c = await campaigns.service.approve(c.id, v.id, v.version, { actor: approver });
  expect((await campaigns.service.start(c.id, null, { actor: author })).status).toBe('running');
  return { id: c.id, incidentId: incident.id, emails };
}

/**
 * Watches the campaign in one statement per look (one snapshot): its status and how many of its rows are
 * pending or claimed. Records every look where it said finished with rows still open.
 */
function watch(id: string) {
  const violations: string[] = [];
  let isStopping = false;
  let looks = 0;
  const running = (async () => {
    while (!isStopping) {
      const { rows } = await sql<{ status: string; open: string }>`
        SELECT c.status, (SELECT count(*) FROM deliveries d
                          WHERE d.incident_id = c.incident_id AND d.campaign_id = c.id
                            AND d.state IN ('pending', 'claimed'))::text AS open
        FROM campaigns c WHERE c.id = ${id}`.execute(t.ctx.db);
      looks += 1;
      const row = rows[0]!;
      if (row.status === 'finished' && Number(row.open) > 0) {
        violations.push(`finished with ${row.open} rows pending or claimed`);
      }
      await sleep(25);
    }
  })();
  return {
    violations,
    looks: () => looks,
    async stop() {
      isStopping = true;
      await running;
    },
  };
}

const statusOf = async (id: string) =>
  (await t.ctx.db.selectFrom('campaigns').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;

/** Queues a wave of messages of every kind but campaign notices, each to an address of its own. */
async function queueWave(incidentId: string, prefix: string, wave: number): Promise<string[]> {
  const addresses: string[] = [];
  await t.ctx.db.transaction().execute(async (tx) => {
    for (let i = 0; i < WAVE; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const to = `${prefix}-w${wave}-${i}-${kind}@example.org`;
      addresses.push(to);
      const payload =
        kind === 'contact_ack'
          ? { kind, email: to, locale: 'en' }
          : kind === 'lookup'
            ? // Nobody of the breach: the answer is the short "not affected" email.
              { kind, identifier: to, channel: 'email', locale: 'en' }
            : {
                kind,
                channel: 'email',
                to,
                subject: `About your question ${i}`,
                text: `Answer ${i}.`,
                locale: 'en',
              };
      await enqueueMessage(tx, t.ctx.crypto, incidentId, payload);
    }
  });
  return addresses;
}

const openMessages = async (incidentId: string) =>
  Number(
    (
      await sql<{ n: string }>`SELECT count(*)::text AS n FROM outbound_messages
                                WHERE incident_id = ${incidentId} AND state = 'pending'`.execute(t.ctx.db)
    ).rows[0]!.n,
  );

async function waitForMore(count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (sink.messages.length <= count && Date.now() < deadline) await sleep(20);
}

describe('workers killed mid-campaign', () => {
  it.each(seeds)(
    'lose nobody and resend at most the batches in flight (seed %i)',
    async (seed) => {
      const random = prng(seed);
      sink.clear();
      const { id, incidentId, emails } = await startCampaign(`s${seed}`);
      const isNotice = new Set(emails);
      const noticesSent = () => sink.messages.filter((m) => m.to.some((to) => isNotice.has(to))).length;
      const watcher = watch(id);
      const log: string[] = [];
      const workers = Array.from({ length: WORKERS }, () => startWorker(log));
      let kills = 0;
      let sentAtLastKill = 0;
      const others: string[] = [];
      try {
        for (let cycle = 0; cycle < KILLS; cycle++) {
          others.push(...(await queueWave(incidentId, `m${seed}`, cycle)));
          // Wait for sending to go on (a fresh worker takes a moment to start), then kill at a random moment.
          await waitForMore(sink.messages.length, 15_000);
          await sleep(300 + Math.floor(random() * 1200));
          const victim = Math.floor(random() * workers.length);
          await kill(workers[victim]!);
          kills += 1;
          sentAtLastKill = noticesSent();
          workers[victim] = startWorker(log);
        }
        // One worker finishes the job.
        for (const w of workers.slice(1)) await kill(w);
        const deadline = Date.now() + 45_000;
        while ((await statusOf(id)) !== 'finished' || (await openMessages(incidentId)) > 0) {
          if (Date.now() > deadline) {
            throw new Error(`seed ${seed}: not finished after 45 s; worker stderr:\n${log.join('')}`);
          }
          await sleep(100);
        }
      } finally {
        for (const w of workers) await kill(w);
        await watcher.stop();
      }

      const notices = sink.messages.filter((m) => m.to.some((to) => isNotice.has(to)));
      const otherMail = sink.messages.filter((m) => !m.to.some((to) => isNotice.has(to)));
      const context = `seed ${seed}: ${kills} kills, ${notices.length - PEOPLE} duplicates`;
      expect(sink.errors, context).toEqual([]);
      // The kills came while the campaign was still sending, not after it was done.
      expect(sentAtLastKill, context).toBeLessThan(PEOPLE);
      expect(watcher.looks(), context).toBeGreaterThan(10);
      expect(watcher.violations, context).toEqual([]);
      const missing = emails.filter((e) => sink.countFor(e) === 0);
      expect(missing, context).toEqual([]);
      const duplicates = notices.length - PEOPLE;
      expect(duplicates, context).toBeLessThanOrEqual(kills * BATCH);
      // A resend is recognisable: it carries the same Message-ID as the first copy.
      const rows = await t.ctx.db
        .selectFrom('deliveries')
        .select(['message_id', 'state'])
        .where('campaign_id', '=', id)
        .execute();
      const rowIds = new Set(rows.map((r) => r.message_id));
      expect(
        notices.filter((m) => !rowIds.has(m.messageId ?? '')),
        context,
      ).toEqual([]);
      const idsPerRecipient = new Map<string, Set<string>>();
      for (const m of [...notices, ...otherMail]) {
        for (const to of m.to)
          idsPerRecipient.set(to, (idsPerRecipient.get(to) ?? new Set()).add(m.messageId!));
      }
      expect(
        [...idsPerRecipient.values()].filter((ids) => ids.size !== 1),
        context,
      ).toEqual([]);
      expect(
        rows.filter((r) => r.state !== 'sent'),
        context,
      ).toEqual([]);

      // The other kinds: everyone reached, each message settled as sent, resends bounded by the messages in
      // flight at the kills (a worker claims at most BATCH of them at a time) and carrying the row's id.
      expect(
        others.filter((to) => sink.countFor(to) === 0),
        context,
      ).toEqual([]);
      expect(otherMail.length - others.length, context).toBeLessThanOrEqual(kills * BATCH);
      const queued = await t.ctx.db
        .selectFrom('outbound_messages')
        .select(['id', 'kind', 'state'])
        .where('incident_id', '=', incidentId)
        .execute();
      expect(
        queued.map((q) => q.state).filter((s) => s !== 'sent'),
        context,
      ).toEqual([]);
      expect(new Set(queued.map((q) => q.kind))).toEqual(new Set(KINDS));
      const queuedIds = new Set(queued.map((q) => String(q.id)));
      expect(
        otherMail.filter((m) => !queuedIds.has(/^<site\.(\d+)@/.exec(m.messageId ?? '')?.[1] ?? '')),
        context,
      ).toEqual([]);

      const status = await runCandor(['campaign', 'status', id, '--json'], env);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        state: 'finished',
        total: PEOPLE,
        byState: { pending: 0, claimed: 0, sent: PEOPLE, failed: 0, bounced: 0 },
      });
    },
    80_000,
  );
});
