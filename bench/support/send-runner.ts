// The two senders of the send benchmark, each in a process of its own (forked by bench/send.bench.ts, which
// talks to it over IPC), so each gets a fresh heap, its own peak RSS, and a CPU profile of its own.
//   candor:   the real outbound engine, as `serve` and `worker` run it (its campaign lane's loop, with the
//             campaigns module's port and createSenders over SMTP_URL), runs the started campaign to
//             `finished`.
//   baseline: renders the same messages ahead of time, then on each "go" pushes them all through a bare
//             nodemailer pool (same SMTP URL, same pool size, same messages in flight).
import fs from 'node:fs';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import type { Db } from '../../src/server/db/database.ts';
import { createCampaignsModule, peopleRecipientIndex } from '../../src/server/modules/campaigns/index.ts';
import { createSenders, type Senders } from '../../src/server/modules/outbound/senders.ts';
import { noDelaySocket } from '../../src/server/platform/mail/smtp-transport.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { createOutbound } from '../../src/server/wiring.ts';
import { type BaselineMessage, bodyOf, prepareBaselineMessages } from './baseline-messages.ts';
import { createQueryTimer, type QueryTimer } from './query-timer.ts';

export interface RunnerOptions {
  mode: 'candor' | 'baseline';
  campaignId: string;
  /** The sink's URL with pool options (maxConnections), as SMTP_URL is set in production. */
  smtpUrl: string;
  /** The baseline's pool size: the number of connections Candor opens. */
  baselineConnections: number;
  /** Engines in this process (candor), sharing one SMTP pool. */
  engines: number;
  /** Candor's settings (CANDOR_DELIVERY_BATCH, CANDOR_DELIVERY_CONCURRENCY) unless given. */
  batchSize?: number | undefined;
  /** Messages in flight per engine; the baseline keeps engines × concurrency in flight. */
  concurrency: number;
  /** Time every SQL statement (candor, for --profile). */
  isTimingQueries: boolean;
}

export type RunnerMessage =
  | { type: 'progress'; done: number; total: number; phase: string }
  | { type: 'ready'; messages: number; bytes: number; contactsSeconds: number; renderSeconds: number }
  | { type: 'result'; result: RunResult };

export interface RunResult {
  messages: number;
  seconds: number;
  peakRssMb: number;
  failures: number;
  /** CPU (user + system) this process used during the timed run, all threads. */
  cpuSeconds: number;
  /** candor: CPU of the PostgreSQL backends serving this process (local server only; null otherwise). */
  databaseCpuSeconds?: number | null;
  /** candor: time spent awaiting the SMTP sender, summed over messages in flight. */
  sendSeconds?: number;
  queries?: ReturnType<QueryTimer['summary']>;
}

const post = (message: RunnerMessage) => process.send!(message);
const APPLICATION_NAME = 'candor-bench-send';

/**
 * CPU (user + system, since they started) of this process's PostgreSQL backends, read from /proc: the
 * database work each message costs besides the sender's own. They start with the pool, just before the
 * timed run, so what they did before it (a count) is negligible. Null when the server is not on this host.
 */
async function databaseCpuSeconds(db: Db): Promise<number | null> {
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE application_name = ${APPLICATION_NAME}`.execute(db);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return ticks / 100;
}
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

async function runCandor(options: RunnerOptions): Promise<RunResult> {
  const timer = options.isTimingQueries ? createQueryTimer() : undefined;
  const runtime = await openRuntime({
    env: { ...process.env, SMTP_URL: options.smtpUrl },
    applicationName: APPLICATION_NAME,
  });
  const ctx = timer ? { ...runtime.ctx, db: timer.wrap(runtime.ctx.db) } : runtime.ctx;
  const total = Number(
    (
      await ctx.db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('campaign_id', '=', options.campaignId)
        .where('state', '=', 'pending')
        .executeTakeFirstOrThrow()
    ).n,
  );
  const real = createSenders(ctx.config, ctx.db, ctx.crypto, peopleRecipientIndex(ctx.crypto));
  let sent = 0;
  let failures = 0;
  let sendMs = 0;
  // Counts for the progress line; a counter and a clock read per message.
  const senders: Senders = {
    ...real,
    email: {
      kind: real.email.kind,
      async send(message) {
        const started = performance.now();
        const outcome = await real.email.send(message);
        sendMs += performance.now() - started;
        if (outcome.ok) sent += 1;
        else failures += 1;
        return outcome;
      },
      close: () => real.email.close(),
    },
  };
  const engine = {
    concurrency: options.concurrency,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  };
  const engines = Array.from({ length: options.engines }, () => {
    const outbound = createOutbound(ctx, { senders, engine });
    const campaigns = createCampaignsModule(ctx, { outbound });
    campaigns.serve();
    return { outbound, campaigns };
  });
  const ticker = setInterval(() => post({ type: 'progress', done: sent, total, phase: 'sending' }), 1000);
  const cpu = process.cpuUsage();
  const started = performance.now();
  // The campaign lane's own loop (claim, render and send, the next batch prepared while one sends), as
  // `serve` and `worker` run it, until the campaign says finished.
  const stop = new AbortController();
  const running = engines.map(({ outbound }) => outbound.campaigns().run(stop.signal, 20));
  let finishedAt = 0;
  for (;;) {
    const campaign = await ctx.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', options.campaignId)
      .executeTakeFirstOrThrow();
    if (campaign.status !== 'running') {
      finishedAt = performance.now();
      stop.abort();
      await Promise.all(running);
      if (campaign.status !== 'finished') throw new Error(`the campaign stopped: ${campaign.status}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const cpuSeconds = cpuSince(cpu);
  clearInterval(ticker);
  post({ type: 'progress', done: sent, total, phase: 'sending' });
  const dbCpu = await databaseCpuSeconds(runtime.ctx.db);
  const result: RunResult = {
    messages: sent,
    seconds: (finishedAt - started) / 1000,
    peakRssMb: peakRssMb(),
    failures,
    cpuSeconds,
    databaseCpuSeconds: dbCpu,
    sendSeconds: sendMs / 1000,
    queries: timer?.summary(),
  };
  for (const { outbound, campaigns } of engines) {
    await outbound.close();
    await campaigns.close();
  }
  await runtime.close();
  return result;
}

async function sendAll(
  messages: BaselineMessage[],
  options: RunnerOptions,
): Promise<{ sent: number; failures: number; seconds: number; cpuSeconds: number }> {
  const url = new URL(options.smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  url.searchParams.set('maxConnections', String(options.baselineConnections));
  if (!url.searchParams.has('maxMessages')) url.searchParams.set('maxMessages', 'Infinity');
  const transport = nodemailer.createTransport(url.toString());
  // Like for like: the same socket option and text encoding as Candor's SMTP sender (senders.ts).
  (transport.transporter as unknown as { getSocket: typeof noDelaySocket }).getSocket = noDelaySocket;
  let next = 0;
  let sent = 0;
  let failures = 0;
  const ticker = setInterval(
    () => post({ type: 'progress', done: sent, total: messages.length, phase: 'sending' }),
    1000,
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const message = messages[next++];
      if (!message) return;
      try {
        const { subject, html, text } = bodyOf(message);
        const info = await transport.sendMail({
          messageId: message.messageId,
          textEncoding: 'quoted-printable',
          from: message.from,
          replyTo: message.replyTo,
          to: message.to,
          subject,
          html,
          text,
          headers: { 'X-Candor-Verification': message.verificationCode },
        });
        if (info.rejected.length > 0) failures += 1;
        else sent += 1;
      } catch {
        failures += 1;
      }
    }
  };
  const inFlight = options.engines * options.concurrency;
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSince(cpu);
  clearInterval(ticker);
  transport.close();
  return { sent, failures, seconds, cpuSeconds };
}

async function runBaseline(options: RunnerOptions): Promise<void> {
  const runtime = await openRuntime({ env: process.env, applicationName: 'candor-bench-baseline' });
  const prepared = await prepareBaselineMessages(runtime.ctx, options.campaignId, (done, total) =>
    post({ type: 'progress', done, total, phase: 'rendering' }),
  );
  await runtime.close();
  post({
    type: 'ready',
    messages: prepared.messages.length,
    bytes: prepared.bytes,
    contactsSeconds: prepared.contactsSeconds,
    renderSeconds: prepared.renderSeconds,
  });
  process.on('message', (command: { type: 'go' | 'exit' }) => {
    if (command.type === 'exit') process.exit(0);
    void sendAll(prepared.messages, options).then((run) =>
      post({
        type: 'result',
        result: {
          messages: run.sent,
          seconds: run.seconds,
          peakRssMb: peakRssMb(),
          failures: run.failures,
          cpuSeconds: run.cpuSeconds,
        },
      }),
    );
  });
}

const options = JSON.parse(process.argv[2]!) as RunnerOptions;
if (options.mode === 'candor') {
  const result = await runCandor(options);
  // Exiting writes the CPU profile (--cpu-prof) once the result is on its way.
  process.send!({ type: 'result', result } satisfies RunnerMessage, () => process.exit(0));
} else {
  await runBaseline(options);
}
