// npm run bench:public [-- --duration 10] [--connections 50] [--samples 1500]
// The public notice site under load, with a load generator (autocannon) in the same process and run:
//  1. the published notice page served by Candor vs a static file of the same bytes served by the same
//     Fastify instance (@fastify/static): requests/s and their ratio (goal ≥ 0.8×);
//  2. the "am I affected?" POST with rate limits off: requests/s and p99 latency;
//  3. the median response time of a lookup for an affected vs an unaffected address, sequential and
//     interleaved so both see the same machine: the difference (goal under 1 ms).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildApp } from '../src/server/app.ts';
import { createDemo } from '../src/server/demo.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { createBenchDatabase } from './support/bench-database.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    samples: { type: 'string', default: '1500' },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const samples = Number(args.samples);
const say = (line: string) => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const database = await createBenchDatabase('candor_bench_public');
const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bench-public-'));
fs.mkdirSync(path.join(webRoot, 'assets'));
fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>console</title>');
const runtime = await openRuntime({
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    CANDOR_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    CANDOR_PUBLIC_RATE_LIMITS: 'false',
  },
  applicationName: 'candor-bench-public',
});
const { app } = await buildApp(runtime.ctx, { webRoot });

try {
  note('creating the demo incident and publishing its notice…');
  const demo = await createDemo(runtime.ctx, { type: 'cli', id: null, label: 'bench' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const noticePath = `/n/${demo.noticeSlug}`;
  const page = await fetch(`${base}${noticePath}`);
  const bytes = Buffer.from(await page.arrayBuffer());
  if (page.status !== 200) throw new Error(`the notice page answered ${page.status}`);
  fs.writeFileSync(path.join(webRoot, 'assets', 'notice-copy.html'), bytes);
  const staticPath = '/assets/notice-copy.html';
  const copy = await fetch(`${base}${staticPath}`);
  if (copy.status !== 200 || Buffer.from(await copy.arrayBuffer()).length !== bytes.length) {
    throw new Error('the static copy is not served with the same bytes');
  }

  const run = async (label: string, options: autocannon.Options) => {
    note(`${label}: ${duration} s, ${connections} connections…`);
    const result = await autocannon({ connections, duration, ...options });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${label}: ${result.non2xx} non-2xx responses and ${result.errors} errors`);
    }
    return result;
  };

  // 1. Notice page vs static file, alternated (static, notice, static, notice) to share the machine's noise.
  const headers = { 'accept-language': 'en-US,en;q=0.9' };
  const rounds: Array<{ notice: number; file: number }> = [];
  for (let i = 0; i < 2; i++) {
    const file = await run('static file', { url: `${base}${staticPath}`, headers });
    const notice = await run('notice page', { url: `${base}${noticePath}`, headers });
    rounds.push({ notice: notice.requests.average, file: file.requests.average });
  }
  const noticeRps = rounds.reduce((a, r) => a + r.notice, 0) / rounds.length;
  const fileRps = rounds.reduce((a, r) => a + r.file, 0) / rounds.length;

  // 2. The lookup POST, rate limits off. A form token posts once, so the generator is handed tokens
  // fetched beforehand (the form page is not part of what is measured).
  const freshToken = async () => {
    const form = await fetch(`${base}${noticePath}/lookup`);
    const token = /name="form" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!token) throw new Error('the lookup form has no token');
    return token;
  };
  const tokenCount = duration * 2_000;
  note(`fetching ${fmt(tokenCount)} lookup form tokens…`);
  const tokens: string[] = [];
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (tokens.length < tokenCount) tokens.push(await freshToken());
    }),
  );
  const affected = fs
    .readFileSync(path.resolve(import.meta.dirname, '../examples/crm-customers.csv'), 'utf8')
    .split('\n')[2]!
    .split(',')[1]!;
  const body = (token: string, identifier: string) =>
    new URLSearchParams({ form: token, identifier, lang: 'en' }).toString();
  const lookup = await run('lookup POST', {
    url: `${base}${noticePath}/lookup`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    amount: tokens.length,
    requests: [
      { setupRequest: (request) => ({ ...request, body: body(tokens.pop()!, 'someone.else@example.net') }) },
    ],
  });

  // 3. Affected vs unaffected, sequential and interleaved on one keep-alive connection.
  note(`affected vs unaffected: ${samples} lookups each, interleaved…`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const timeOne = async (identifier: string) => {
    const payload = body(await freshToken(), identifier);
    return new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const request = http.request(
        `${base}${noticePath}/lookup`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode !== 200) reject(new Error(`lookup answered ${response.statusCode}`));
            else resolve(Number(process.hrtime.bigint() - started) / 1e6);
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  };
  const times = { affected: [] as number[], unaffected: [] as number[] };
  for (let i = 0; i < 100; i++) await timeOne(i % 2 ? affected : 'warm.up@example.org');
  for (let i = 0; i < samples; i++) {
    times.affected.push(await timeOne(affected));
    times.unaffected.push(await timeOne(`nobody.${i % 50}@example.org`));
  }
  agent.destroy();
  const median = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const medianAffected = median(times.affected);
  const medianUnaffected = median(times.unaffected);

  say('');
  say(`Public notice site (${os.cpus().length} cores; ${duration} s per run, ${connections} connections)`);
  say(`  notice page size              ${fmt(bytes.length)} bytes`);
  say(`  static file (same bytes)      ${fmt(fileRps)} req/s`);
  say(`  published notice page         ${fmt(noticeRps)} req/s`);
  say(`  ratio notice / static         ${fmt(noticeRps / fileRps, 2)}×   (goal ≥ 0.80×)`);
  say(
    `  lookup POST (limits off)      ${fmt(lookup.requests.average)} req/s, p99 ${fmt(lookup.latency.p99, 1)} ms`,
  );
  say(`  lookup median, affected       ${fmt(medianAffected, 3)} ms`);
  say(`  lookup median, unaffected     ${fmt(medianUnaffected, 3)} ms`);
  say(
    `  difference                    ${fmt(Math.abs(medianAffected - medianUnaffected), 3)} ms   (goal < 1 ms)`,
  );
} finally {
  await app.close();
  await runtime.close();
  await database.drop();
  fs.rmSync(webRoot, { recursive: true, force: true });
}
