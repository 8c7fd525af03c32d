// npm run bench:send [-- --recipients 100000] [--rows 1000000] [--skip-rows]
//   tuning: [--engines 1] [--batch N] [--concurrency N] [--connections N]; diagnosis: [--profile] [--keep]
// Sends a started campaign of N synthetic recipients through SMTP to a local sink (Postfix's smtp-sink,
// installed when missing) with the real outbound engine, run as `npm start` runs it (its campaign lane's
// loop, default settings: CANDOR_DELIVERY_BATCH, CANDOR_DELIVERY_CONCURRENCY, the SMTP pool's default size,
// one engine), and compares it, in the same run, with the baseline the issue names: a bare nodemailer pool
// with the same number of connections sending the same rendered messages to the same sink (run before and
// after Candor, to show the machine's noise). Prints messages/s, their ratio (goal ≥ 0.8×), that every
// delivery was recorded, the sending process's peak RSS, and the time to create 1M delivery rows (a
// campaign start over a second incident of --rows people). The tuning flags override the defaults.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createCampaignsModule } from '../src/server/modules/campaigns/index.ts';
import { createIncidentsModule } from '../src/server/modules/incidents/index.ts';
import { DEFAULT_SMTP_CONNECTIONS } from '../src/server/modules/outbound/senders.ts';
import { createPeopleModule, incidentPeopleFacts } from '../src/server/modules/people/index.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { benchStaff, createApprovedExampleCampaign, insertPeopleDirectly } from './support/bench-campaign.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { summarizeCpuProfile } from './support/cpu-profile.ts';
import { progress } from './support/progress.ts';
import type { RunnerMessage, RunnerOptions, RunResult } from './support/send-runner.ts';
import { startSmtpSink } from './support/smtp-sink.ts';
import { writeRecipientsCsv } from './support/synthetic-recipients.ts';

const { values: args } = parseArgs({
  options: {
    recipients: { type: 'string', default: '100000' },
    rows: { type: 'string', default: '1000000' },
    'skip-rows': { type: 'boolean', default: false },
    // Unset: Candor's defaults (one engine per process; batch, concurrency and pool size as configured).
    engines: { type: 'string', default: '1' },
    batch: { type: 'string' },
    concurrency: { type: 'string' },
    connections: { type: 'string' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const recipients = Number(args.recipients);
const millionRows = Number(args.rows);
const numberOr = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);
const outDir = path.resolve(import.meta.dirname, 'out');
const profileDir = path.join(outDir, 'profiles');
fs.mkdirSync(outDir, { recursive: true });
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const say = (line: string) => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (since: number) => (performance.now() - since) / 1000;

const sink = await startSmtpSink(note);
const database = await createBenchDatabase('candor_bench_send');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: database.url,
  CANDOR_MASTER_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
};
// Candor sends with nothing the bare loop lacks: no DKIM signing, no bounce envelope from this shell.
for (const key of [
  'SMTP_URL',
  'DKIM_DOMAIN',
  'DKIM_SELECTOR',
  'DKIM_PRIVATE_KEY_FILE',
  'CANDOR_BOUNCE_ADDRESS',
])
  delete env[key];
const runtime = await openRuntime({ env, applicationName: 'candor-bench' });
const isDefault = !args.batch && !args.concurrency && !args.connections && args.engines === '1';
const tuning = {
  engines: Number(args.engines),
  batchSize: numberOr(args.batch, runtime.ctx.config.CANDOR_DELIVERY_BATCH),
  concurrency: numberOr(args.concurrency, runtime.ctx.config.CANDOR_DELIVERY_CONCURRENCY),
  connections: numberOr(args.connections, DEFAULT_SMTP_CONNECTIONS),
};
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Forks a sender process; resolves each "result" in turn and shows its progress. */
function forkRunner(options: RunnerOptions, label: string, isProfiled: boolean) {
  const execArgv = [...process.execArgv];
  if (isProfiled) execArgv.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  const child = fork(path.join(import.meta.dirname, 'support/send-runner.ts'), [JSON.stringify(options)], {
    env,
    execArgv,
  });
  children.add(child);
  let bar: ReturnType<typeof progress> | undefined;
  let phase = '';
  const waiting: Array<(m: RunnerMessage) => void> = [];
  const queued: RunnerMessage[] = [];
  child.on('message', (message: RunnerMessage) => {
    if (message.type === 'progress') {
      if (phase !== message.phase) {
        bar?.stop();
        phase = message.phase;
        bar = progress(`${label} ${phase}`, message.total, 'msgs');
      }
      bar!.update(message.done);
      return;
    }
    bar?.stop();
    phase = '';
    const next = waiting.shift();
    if (next) next(message);
    else queued.push(message);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const nextMessage = () =>
    Promise.race([
      new Promise<RunnerMessage>((resolve) => {
        const early = queued.shift();
        if (early) resolve(early);
        else waiting.push(resolve);
      }),
      exited.then((code) => {
        throw new Error(`the ${label} process exited (code ${code}) before reporting`);
      }),
    ]);
  return { child, nextMessage, exited };
}

async function measure(label: string, run: () => Promise<RunResult>) {
  const before = sink.accepted();
  const result = await run();
  // smtp-sink counts a message when it has read the final "."; give its counter output a moment.
  await new Promise((r) => setTimeout(r, 300));
  return { ...result, label, sinkCounted: sink.accepted() - before, rate: result.messages / result.seconds };
}

// 1. The audience: N synthetic people imported through the population module, as an operator would.
const { author, approver } = await benchStaff(runtime.ctx);
const incidents = createIncidentsModule(runtime.ctx, incidentPeopleFacts);
const population = createPeopleModule(runtime.ctx);
const campaigns = createCampaignsModule(runtime.ctx);
const incident = await incidents.service.create(
  { title: 'Bench: send', awareAt: new Date(Date.now() - 86_400_000).toISOString() },
  { actor: author },
);
const csv = path.join(outDir, `recipients-${recipients}.csv`);
if (!fs.existsSync(csv)) {
  const bar = progress('writing recipients CSV', recipients, 'rows');
  await writeRecipientsCsv(`${csv}.tmp`, { people: recipients, seed: 7 }, (n) => bar.update(n));
  bar.stop();
  fs.renameSync(`${csv}.tmp`, csv);
}
const importStarted = performance.now();
const importBar = progress('importing recipients', fs.statSync(csv).size, 'bytes');
const imported = await population.service.runImport({
  incidentId: incident.id,
  source: { kind: 'file', path: csv },
  fileName: path.basename(csv),
  defaultCountry: 'US',
  actor: author,
  onProgress: (p) => importBar.update(p.bytesDone, p.detail ?? p.phase),
});
importBar.stop();
const importSeconds = seconds(importStarted);
if (imported.people !== recipients) {
  throw new Error(`the import made ${imported.people} people from ${recipients} rows; expected one each`);
}

// 2. The example campaign, approved, then started: this creates the N delivery rows.
const campaignId = await createApprovedExampleCampaign(
  runtime.ctx,
  incident.id,
  { author, approver },
  { withCodes: true },
);
let started = performance.now();
// Start records the campaign and prepares its first batch of rows; the rest are prepared in bounded
// batches (campaign-prepare.ts), here in the foreground so the start figure covers every row.
const running = await campaigns.service.start(campaignId, null, { actor: author });
await campaigns.service.prepare(campaignId);
const startSeconds = seconds(started);
const emailRows = running.reach.byChannel.email ?? 0;

// 3. Baseline renders first (outside its clock), then sends; Candor sends; the baseline sends again.
// With the defaults, SMTP_URL carries no pool option: Candor opens its default pool; the baseline the same.
const smtpUrl = args.connections ? `${sink.url}/?maxConnections=${tuning.connections}` : sink.url;
const runnerOptions = {
  campaignId,
  smtpUrl,
  baselineConnections: tuning.connections,
  engines: tuning.engines,
  batchSize: args.batch ? tuning.batchSize : undefined,
  concurrency: tuning.concurrency,
  isTimingQueries: args.profile,
};
const baseline = forkRunner(
  { ...runnerOptions, mode: 'baseline', isTimingQueries: false },
  'baseline',
  false,
);
const ready = await baseline.nextMessage();
if (ready.type !== 'ready') throw new Error('the baseline process did not get ready');
const baselineRun = () =>
  measure('baseline', async () => {
    baseline.child.send({ type: 'go' });
    const message = await baseline.nextMessage();
    if (message.type !== 'result') throw new Error('unexpected message from the baseline process');
    return message.result;
  });
const baseline1 = await baselineRun();
if (args.profile) fs.rmSync(profileDir, { recursive: true, force: true });
const candor = await measure('candor', async () => {
  const runner = forkRunner({ ...runnerOptions, mode: 'candor' }, 'candor', args.profile);
  const message = await runner.nextMessage();
  await runner.exited;
  if (message.type !== 'result') throw new Error('unexpected message from the candor process');
  return message.result;
});
const baseline2 = await baselineRun();
baseline.child.send({ type: 'exit' });
await baseline.exited;

// 4. Every delivery recorded: each row sent, with its provider id and time.
const states = await runtime.ctx.db
  .selectFrom('deliveries')
  .select([
    'state',
    (eb) => eb.fn.countAll<string>().as('n'),
    (eb) => eb.fn.count<string>('provider_id').as('with_provider'),
    (eb) => eb.fn.count<string>('sent_at').as('with_time'),
  ])
  .where('incident_id', '=', incident.id)
  .where('campaign_id', '=', campaignId)
  .groupBy('state')
  .execute();
const byState = Object.fromEntries(states.map((s) => [s.state, Number(s.n)]));
const sentRow = states.find((s) => s.state === 'sent');
const recorded =
  (byState.sent ?? 0) === recipients &&
  Number(sentRow?.with_provider ?? 0) === recipients &&
  Number(sentRow?.with_time ?? 0) === recipients &&
  Object.keys(byState).length === 1 &&
  candor.sinkCounted >= recipients;
const finished = await campaigns.service.get(campaignId);

// 5. Creating 1M delivery rows: a second incident of --rows people, inserted directly (an import of 1M
// people would dominate the run), then the same campaign started over it.
let million: { peopleSeconds: number; startSeconds: number; readSeconds: number; rows: number } | undefined;
if (!args['skip-rows']) {
  note(`creating ${fmt(millionRows)} people for the delivery-rows figure…`);
  const big = await incidents.service.create(
    { title: 'Bench: delivery rows', awareAt: new Date(Date.now() - 86_400_000).toISOString() },
    { actor: author },
  );
  started = performance.now();
  await insertPeopleDirectly(runtime.ctx, big.id, millionRows);
  const peopleSeconds = seconds(started);
  const bigCampaign = await createApprovedExampleCampaign(
    runtime.ctx,
    big.id,
    { author, approver },
    { withCodes: false },
  );
  note('starting the campaign over them (its rows prepared in bounded batches)…');
  started = performance.now();
  await campaigns.service.get(bigCampaign);
  const readSeconds = seconds(started);
  started = performance.now();
  const bigRunning = await campaigns.service.start(bigCampaign, null, { actor: author });
  await campaigns.service.prepare(bigCampaign);
  million = {
    peopleSeconds,
    startSeconds: seconds(started),
    readSeconds,
    rows: bigRunning.reach.total,
  };
}

// 6. The figures.
const baselineRate = (baseline1.rate + baseline2.rate) / 2;
const ratio = candor.rate / baselineRate;
const pad = (label: string) => `${label}:`.padEnd(46);
say(`\n== send: N = ${fmt(recipients)} recipients by email over SMTP`);
say(
  `${pad('machine')}${os.cpus().length} CPUs, Node ${process.versions.node}, PostgreSQL ${(await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(runtime.ctx.db)).rows[0]!.v}`,
);
say(
  `${pad('sink')}${sink.kind} on 127.0.0.1:${sink.port}${sink.fallbackReason ? ` (FALLBACK: ${sink.fallbackReason}; it shares the CPUs with the senders)` : ''}`,
);
say(
  `${pad('settings')}${isDefault ? 'Candor defaults: ' : ''}${tuning.engines} engine(s) in one process × batch ${tuning.batchSize} × ${tuning.concurrency} in flight; ` +
    `SMTP pool ${tuning.connections} connections${args.connections ? ` (SMTP_URL ?maxConnections=${tuning.connections})` : ' (the default pool)'}, shared ` +
    '(both senders open their sockets with TCP_NODELAY and send quoted-printable text, as Candor does)',
);
say(
  `${pad('baseline settings')}one nodemailer pool of ${tuning.connections} connections, ${tuning.engines * tuning.concurrency} in flight, ` +
    `${fmt(ready.messages)} messages pre-rendered (${Math.round(ready.bytes / ready.messages)} bytes each, kept off the heap)`,
);
say(
  `${pad('campaign')}examples/campaign.json, throttle removed, 3 variants approved, activation codes imported`,
);
say(
  `${pad('import of the recipients')}${fmt(imported.people)} people in ${importSeconds.toFixed(1)} s (${fmt(imported.people / importSeconds)} rows/s)`,
);
say(
  `${pad('campaign start (delivery rows)')}${fmt(running.reach.total)} rows in ${startSeconds.toFixed(2)} s (${fmt(running.reach.total / startSeconds)} rows/s; ${fmt(emailRows)} by email)`,
);
const runLine = (r: typeof candor) =>
  `${fmt(r.rate).padStart(7)} msg/s  (${fmt(r.messages)} in ${r.seconds.toFixed(1)} s, ${r.failures} failed, sink counted ${fmt(r.sinkCounted)}; ` +
  `CPU ${((r.cpuSeconds / r.messages) * 1e6).toFixed(0)} µs/msg = ${Math.round((100 * r.cpuSeconds) / r.seconds)}% of a core)`;
say(`${pad('baseline bare nodemailer pool, run 1')}${runLine(baseline1)}`);
say(`${pad('candor delivery engine')}${runLine(candor)}`);
say(`${pad('baseline bare nodemailer pool, run 2')}${runLine(baseline2)}`);
say(
  `${pad('ratio candor / baseline (mean of 2 runs)')}${ratio.toFixed(2)}×  (goal ≥ 0.8×; against each run: ${(candor.rate / baseline1.rate).toFixed(2)}×, ${(candor.rate / baseline2.rate).toFixed(2)}×)`,
);
// CPU per message moves far less with the machine's noise than wall time: the ratio it predicts when both
// are CPU-bound, and what the database adds on Candor's behalf.
const cpuPerMessage = (r: RunResult) => (r.cpuSeconds / r.messages) * 1e6;
const baselineCpu = (cpuPerMessage(baseline1) + cpuPerMessage(baseline2)) / 2;
const databaseCpu =
  candor.databaseCpuSeconds == null ? null : (candor.databaseCpuSeconds / candor.messages) * 1e6;
say(
  `${pad('CPU per message, baseline / candor')}${(baselineCpu / cpuPerMessage(candor)).toFixed(2)}×  (${baselineCpu.toFixed(0)} vs ${cpuPerMessage(candor).toFixed(0)} µs/msg in the sending process; ` +
    `${databaseCpu === null ? 'PostgreSQL CPU not measured (server not on this host)' : `plus ${databaseCpu.toFixed(0)} µs/msg in PostgreSQL backends for Candor`})`,
);
say(
  `${pad('every delivery recorded')}${recorded ? 'yes' : 'NO'}: ${Object.entries(byState)
    .map(([s, n]) => `${fmt(n)} ${s}`)
    .join(
      ', ',
    )} of ${fmt(recipients)}; ${fmt(Number(sentRow?.with_provider ?? 0))} with provider id; campaign ${finished.status}`,
);
say(
  `${pad('peak RSS of the candor sending process')}${candor.peakRssMb} MB (baseline process, holding every message: ${baseline2.peakRssMb} MB)`,
);
say(
  `${pad('baseline render cost (outside its clock)')}${(((ready.contactsSeconds + ready.renderSeconds) * 1e6) / ready.messages).toFixed(0)} µs/message ` +
    `(contacts + decrypt ${((ready.contactsSeconds * 1e6) / ready.messages).toFixed(0)} µs, context + 3 templates ${((ready.renderSeconds * 1e6) / ready.messages).toFixed(0)} µs)`,
);
if (million) {
  say(
    `${pad(`${fmt(million.rows)} delivery rows`)}${million.startSeconds.toFixed(1)} s for the campaign start (${fmt(million.rows / million.startSeconds)} rows/s), ` +
      `people inserted directly with generate_series (${million.peopleSeconds.toFixed(1)} s, not an import); ` +
      `start = launch's INSERT … SELECT plus two reads of the campaign (~${million.readSeconds.toFixed(2)} s each)`,
  );
} else {
  say(`${pad('1M delivery rows')}skipped (--skip-rows)`);
}

if (args.profile) {
  say('\n-- profile of the candor process');
  const send = candor.sendSeconds ?? 0;
  say(
    `time awaiting the SMTP sender, summed over messages in flight: ${send.toFixed(1)} s (${((send / candor.messages) * 1000).toFixed(2)} ms per message)`,
  );
  say(
    'SQL statements by total time (Kysely times send to result, which includes waiting for this busy event loop: server time is lower, see the PostgreSQL CPU above):',
  );
  for (const q of (candor.queries ?? []).slice(0, 15)) {
    say(
      `  ${String(q.totalMs).padStart(7)} ms  ${String(q.count).padStart(6)}×  ${q.meanMs.toFixed(2).padStart(7)} ms  ${q.sql}`,
    );
  }
  const [profile] = fs.existsSync(profileDir) ? fs.readdirSync(profileDir) : [];
  if (profile) {
    const summary = summarizeCpuProfile(path.join(profileDir, profile));
    say(`CPU profile ${path.join('bench/out/profiles', profile)}: ${fmt(summary.totalMs)} ms sampled`);
    say('  self time by place:');
    for (const p of summary.byPlace.slice(0, 15))
      say(`  ${String(p.ms).padStart(7)} ms  ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.place}`);
    say('  inclusive time in our code:');
    for (const f of summary.inclusiveOurs.slice(0, 20))
      say(`  ${String(f.ms).padStart(7)} ms  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
    say('  self time by function:');
    for (const f of summary.byFunction.slice(0, 20))
      say(`  ${String(f.ms).padStart(7)} ms  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}`);
  }
}

await runtime.close();
if (args.keep) note(`kept database ${database.name}`);
else await database.drop();
await sink.stop();
if (!recorded) {
  console.error('FAILED: not every delivery was recorded as sent (see above).');
  process.exit(1);
}
