// npm run bench:logging [-- --lines 20000 --rounds 9 --requests 5000]
// What a log line costs, before (pino's `redact` with wildcard paths, bench/support/legacy-logger.ts) and
// after (one walk with a Set of keys, src/server/platform/logging/logger.ts), both built in this run and
// timed in rounds whose order rotates (median of the rounds). "bare" is the before logger without
// redaction: the floor. Lines go to a stream that drops them, so the figures are serialization and
// redaction, not I/O. The request figures run a real Fastify app (inject, one cheap route): each request
// writes two info lines. Times are this process's CPU time (process.cpuUsage), not wall time, so other
// work on a shared 2-core machine skews them less.
import { parseArgs } from 'node:util';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from '../src/server/platform/logging/logger.ts';
import { createLegacyLogger } from './support/legacy-logger.ts';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '9' },
    requests: { type: 'string', default: '5000' },
  },
});
const linesPerRound = Number(args.lines);
const rounds = Number(args.rounds);
const requests = Number(args.requests);
const requestRounds = 5;

const discard = { write: (_line: string) => undefined };
const variants = ['before', 'after', 'bare'] as const;
type Variant = (typeof variants)[number];
const loggers: Record<Variant, Logger> = {
  before: createLegacyLogger(discard),
  after: createLogger({ destination: discard }),
  bare: createLegacyLogger(discard, false),
};

const request = {
  id: '6f1c2a9e-0b7d-4c1e-9a53-2f8e4d1b7c60',
  method: 'POST',
  url: '/api/incidents/123/people?page=2',
  routeOptions: { url: '/api/incidents/:id/people' },
  headers: { cookie: 'candor_session=abc', 'x-csrf-token': 'def', 'content-type': 'application/json' },
};
const failure = Object.assign(new Error('duplicate key value violates unique constraint'), {
  code: '23505',
  detail: 'Key (email)=(a@example.test) already exists.',
});

/** The lines a request and the application write, each as one call on a request's child logger. */
const lineKinds: Record<string, (log: Logger) => void> = {
  'incoming request': (log) => log.info({ req: request }, 'incoming request'),
  'request completed': (log) =>
    log.info({ res: { statusCode: 200 }, responseTime: 1.42 }, 'request completed'),
  'app line, nested ids': (log) =>
    log.info(
      { incidentId: 'c0a8', batch: { id: 42, counts: { sent: 120, failed: 3 } }, job: { attempts: 1 } },
      'batch sent',
    ),
  'error line': (log) => log.error({ err: failure }, 'request failed'),
};

function cpuMicros(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return user + system;
}

/** The variants in the order a round runs them, rotated so none always runs first. */
const orderOf = (round: number): Variant[] =>
  variants.map((_, i) => variants[(i + round) % variants.length] as Variant);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function printRow(label: string, samples: Record<Variant, number[]>): void {
  const [before, after, bare] = variants.map((v) => median(samples[v]));
  const cells = [before, after, bare].map((n) => (n as number).toFixed(2).padStart(8)).join(' ');
  console.log(`${label.padEnd(22)} ${cells}   ${((before as number) / (after as number)).toFixed(1)}×`);
}

function microsPerLine(log: Logger, write: (log: Logger) => void): number {
  const started = process.cpuUsage();
  for (let i = 0; i < linesPerRound; i++) write(log);
  return cpuMicros(started) / linesPerRound;
}

/** µs per request through Fastify with the given logger: routing, hooks, the reply and its two lines. */
async function microsPerRequest(logger: Logger): Promise<number> {
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  app.get('/api/ping/:id', async () => ({ ok: true }));
  await app.ready();
  const inject = () => app.inject({ method: 'GET', url: '/api/ping/1?x=2', headers: { cookie: 'a=b' } });
  for (let i = 0; i < 500; i++) await inject();
  const started = process.cpuUsage();
  for (let i = 0; i < requests; i++) await inject();
  const micros = cpuMicros(started) / requests;
  await app.close();
  return micros;
}

const header = `${'line'.padEnd(22)}   before    after     bare   before/after`;
console.log(`CPU µs per line (median of ${rounds} rounds × ${linesPerRound} lines, node ${process.version})`);
console.log(header);
for (const [kind, write] of Object.entries(lineKinds)) {
  const samples: Record<Variant, number[]> = { before: [], after: [], bare: [] };
  for (const v of variants) {
    const child = loggers[v].child({ reqId: request.id });
    microsPerLine(child, write); // warm-up
  }
  for (let round = 0; round < rounds; round++) {
    for (const v of orderOf(round))
      samples[v].push(microsPerLine(loggers[v].child({ reqId: request.id }), write));
  }
  printRow(kind, samples);
}

console.log(
  `\nCPU µs per request through Fastify inject (median of ${requestRounds} × ${requests}, two info lines each)`,
);
console.log(header.replace('line', 'request'));
// A first round unmeasured: Fastify's own code warms up over the first apps, whichever logger they use.
for (const v of variants) await microsPerRequest(loggers[v]);
const perRequest: Record<Variant, number[]> = { before: [], after: [], bare: [] };
for (let round = 0; round < requestRounds; round++) {
  for (const v of orderOf(round)) perRequest[v].push(await microsPerRequest(loggers[v]));
}
printRow('GET /api/ping/:id', perRequest);
