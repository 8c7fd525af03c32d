// npm run bench:public [-- --seconds 10] [--connections 50] [--threads 2] [--rounds 2] [--log-level info]
//                        [--samples 1500] [--skip-lookup] [--profile]
// The public notice site, each server in its own process and the load generator (wrk) in another:
//  1. the published notice page served by `candor serve` (demo notice, default configuration) vs a bare
//     Node `http` server sending the same bytes with the same headers for the same path, and nginx when it
//     is installed: requests/s of each, alternated in rounds, and the ratio Candor / bare Node (goal ≥ 0.5×);
//  2. "am I affected?" (invariant 6), against the same Candor process: the lookup POST with rate limits off
//     (requests/s, p99) and the median time of a lookup for an affected vs an unaffected address,
//     interleaved on one connection (difference, goal under 1 ms).
// The machine is shared and noisy: compare the ratio of one run, and run it more than once.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchDatabase } from './support/bench-database.ts';
import {
  type Child,
  firstJsonLine,
  freePort,
  repoRoot,
  runCandor,
  startCandorServe,
  startChild,
  waitForOk,
} from './support/child-process.ts';
import { summarizeCpuProfile } from './support/cpu-profile.ts';
import { measureLookups } from './support/lookup-timing.ts';
import { nginxBinary, startNginx } from './support/nginx.ts';
import { ensureWrk, runWrk, type WrkResult } from './support/wrk.ts';

/** User + system CPU seconds of a process so far (Linux /proc), or null where that cannot be read. */
function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksPerSecond = 100;
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    'log-level': { type: 'string', default: 'info' },
    samples: { type: 'string', default: '1500' },
    'skip-lookup': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const threads = Number(args.threads);
const rounds = Number(args.rounds);
const logLevel = args['log-level'];
const say = (line: string) => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

ensureWrk(note);
const database = await createBenchDatabase('candor_bench_public');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bench-public-'));
const children: Child[] = [];

try {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    CANDOR_MASTER_KEY: randomBytes(32).toString('base64'),
    CANDOR_DATA_DIR: path.join(workDir, 'data'),
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: logLevel,
    // Only the lookup section needs this: the notice page is never rate-limited.
    CANDOR_PUBLIC_RATE_LIMITS: 'false',
  };
  note('creating the demo incident and publishing its notice (candor demo)…');
  const demo = JSON.parse(runCandor(['demo', '--json'], env)) as { noticeSlug: string };
  const noticePath = `/n/${demo.noticeSlug}`;
  const acceptLanguage = { 'accept-language': 'en-US,en;q=0.9' };

  note('starting candor serve…');
  const profileDir = path.join(workDir, 'profile');
  const candor = startCandorServe(env, args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  children.push(candor);
  const candorBase = `http://127.0.0.1:${port}`;
  await waitForOk(`${candorBase}${noticePath}`, candor, 'candor serve');

  // What Candor sends for the page, replayed byte for byte by the baselines.
  const sample = await fetch(`${candorBase}${noticePath}`, { headers: acceptLanguage });
  const body = Buffer.from(await sample.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [name, value] of sample.headers) {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name))
      headers[name] = value;
  }
  const bodyFile = path.join(workDir, 'notice.html');
  fs.writeFileSync(bodyFile, body);
  const specFile = path.join(workDir, 'bare.json');
  fs.writeFileSync(specFile, JSON.stringify({ path: noticePath, status: 200, headers, bodyFile }));

  const bare = startChild(
    process.execPath,
    [path.join(repoRoot, 'bench/support/bare-server.mjs'), specFile],
    {
      stdout: 'pipe',
    },
  );
  children.push(bare);
  const barePort = (await firstJsonLine<{ port: number }>(bare)).port;
  const bareBase = `http://127.0.0.1:${barePort}`;
  const check = await fetch(`${bareBase}${noticePath}`);
  if (!Buffer.from(await check.arrayBuffer()).equals(body))
    throw new Error('the bare server sends other bytes');

  const targets: Array<{ label: string; url: string; pid?: number | undefined }> = [
    { label: 'bare Node http', url: `${bareBase}${noticePath}`, pid: bare.process.pid },
    { label: 'candor serve', url: `${candorBase}${noticePath}`, pid: candor.process.pid },
  ];
  const nginx = nginxBinary();
  if (nginx) {
    // nginx's workers run as an unprivileged user: the copy they serve must be readable to them.
    fs.chmodSync(workDir, 0o755);
    fs.chmodSync(bodyFile, 0o644);
    const started = await startNginx(nginx, workDir, { path: noticePath, bodyFile, headers });
    children.push(started.child);
    const url = `http://127.0.0.1:${started.port}${noticePath}`;
    await waitForOk(url, started.child, 'nginx');
    targets.push({ label: 'nginx', url });
  } else {
    note('nginx is not installed: its column is skipped (apt-get install nginx-light to add it).');
  }

  // Warm-up (JIT, connection pools), then rounds in alternating order so each target sees the same noise.
  const wrkOptions = { threads, connections, headers: acceptLanguage };
  for (const target of targets) await runWrk(target.url, { ...wrkOptions, seconds: 3 });
  const results = new Map<string, WrkResult[]>(targets.map((t) => [t.label, []]));
  // CPU time the server process spent per answer: less sensitive than requests/s to what else the machine
  // runs meanwhile (wrk itself, other processes), since time waiting for a core is not counted.
  const cpuPerRequest = new Map<string, number[]>(targets.map((t) => [t.label, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      note(`round ${round + 1}/${rounds}: ${target.label}, ${seconds} s, ${connections} connections…`);
      const cpuBefore = cpuSecondsOf(target.pid);
      const result = await runWrk(target.url, { ...wrkOptions, seconds });
      const cpuAfter = cpuSecondsOf(target.pid);
      results.get(target.label)!.push(result);
      if (cpuBefore !== null && cpuAfter !== null)
        cpuPerRequest.get(target.label)!.push(((cpuAfter - cpuBefore) * 1e6) / result.requests);
    }
  }
  const mean = (list: WrkResult[], pick: (r: WrkResult) => number) =>
    list.reduce((sum, r) => sum + pick(r), 0) / list.length;
  const rps = (label: string) => mean(results.get(label)!, (r) => r.requestsPerSecond);

  const lookups = args['skip-lookup']
    ? null
    : await measureLookups({
        base: candorBase,
        noticePath,
        seconds,
        connections,
        samples: Number(args.samples),
        note,
      });

  say('');
  say(
    `Public notice site — ${os.cpus().length} cores, wrk ${threads} threads × ${connections} connections, ` +
      `${seconds} s × ${rounds} rounds, candor LOG_LEVEL=${logLevel}`,
  );
  say(
    `  notice page                     ${fmt(body.length)} bytes, ${Object.keys(headers).length + 3} headers (date, connection, content-length included)`,
  );
  const cpu = (label: string) => {
    const list = cpuPerRequest.get(label)!;
    return list.length > 0 ? list.reduce((a, b) => a + b, 0) / list.length : null;
  };
  for (const target of targets) {
    const list = results.get(target.label)!;
    const perRequest = cpu(target.label);
    const cpuNote = perRequest === null ? '' : `; server CPU ${fmt(perRequest, 1)} µs/request`;
    const p99 = fmt(
      mean(list, (r) => r.latencyP99Ms),
      2,
    );
    say(
      `  ${target.label.padEnd(30)}  ${fmt(rps(target.label)).padStart(8)} req/s   (rounds: ${list
        .map((r) => fmt(r.requestsPerSecond))
        .join(', ')}; p99 ${p99} ms${cpuNote})`,
    );
  }
  const ratios = results
    .get('candor serve')!
    .map((r, i) => r.requestsPerSecond / results.get('bare Node http')![i]!.requestsPerSecond);
  say(
    `  ratio candor / bare Node        ${fmt(rps('candor serve') / rps('bare Node http'), 2)}×   (per round: ${ratios
      .map((r) => fmt(r, 2))
      .join(', ')}; goal ≥ 0.50×)`,
  );
  const candorCpu = cpu('candor serve');
  const bareCpu = cpu('bare Node http');
  if (candorCpu !== null && bareCpu !== null)
    say(
      `  CPU per request, bare / candor  ${fmt(bareCpu / candorCpu, 2)}×   (the same ratio, measured in CPU time)`,
    );
  if (nginx)
    say(`  ratio candor / nginx            ${fmt(rps('candor serve') / rps('nginx'), 2)}×   (for reference)`);
  if (lookups) {
    say('');
    say('Am I affected? (invariant 6: same status, body and work for every input; rate limits off)');
    say(
      `  lookup POST                     ${fmt(lookups.requestsPerSecond)} req/s, p99 ${fmt(lookups.p99Ms, 1)} ms`,
    );
    say(`  lookup median, affected         ${fmt(lookups.medianAffectedMs, 3)} ms`);
    say(`  lookup median, unaffected       ${fmt(lookups.medianUnaffectedMs, 3)} ms`);
    say(
      `  difference                      ${fmt(Math.abs(lookups.medianAffectedMs - lookups.medianUnaffectedMs), 3)} ms   (goal < 1 ms)`,
    );
  }
  if (args.profile) {
    await candor.stop();
    const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (file) {
      const summary = summarizeCpuProfile(path.join(profileDir, file));
      say('');
      say(`candor serve CPU profile (${fmt(summary.totalMs)} ms sampled), self time by place:`);
      for (const p of summary.byPlace.slice(0, 12))
        say(`  ${p.place.padEnd(40)} ${fmt(p.ms).padStart(7)} ms  ${fmt(p.share * 100, 1)}%`);
      say('by function:');
      for (const f of summary.byFunction.slice(0, 25))
        say(`  ${f.fn.padEnd(70)} ${fmt(f.ms).padStart(7)} ms  ${fmt(f.share * 100, 1)}%`);
    }
  }
} finally {
  for (const child of children.reverse()) await child.stop();
  await database.drop();
  fs.rmSync(workDir, { recursive: true, force: true });
}
