// npm run bench:people [-- --people 1000000 --samples 30]
// The list of affected people on a large incident: seeds N people straight into the incident's partition
// (categories, jurisdictions, risk and reachability drawn at random, one category held by 0.1% and one by
// nobody), then times pages of the list with each kind of filter, first pages and deep ones, through the
// service (the query, its total, the audit entry). Goal: p95 under 200 ms per page on 1M people.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createIncidentsModule } from '../src/server/modules/incidents/index.ts';
import { incidentPeopleFacts } from '../src/server/modules/people/index.ts';
import { listPeople } from '../src/server/modules/people/people-list.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { peopleListQuery } from '../src/shared/contracts/people.ts';
import { categories } from '../src/shared/taxonomy.ts';
import { createBenchDatabase } from './support/bench-database.ts';

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '30' },
  },
});
const peopleCount = Number(args.people);
const samples = Number(args.samples);
const say = (line: string) => console.log(line);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const bit = (c: (typeof categories)[number]) => 1 << categories.indexOf(c);

const database = await createBenchDatabase('candor_bench_people');
const runtime = await openRuntime({
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    CANDOR_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  },
  applicationName: 'candor-bench-people',
});
const { ctx } = runtime;
const actor = { type: 'system' as const, id: null, label: 'bench' };

try {
  const incident = await createIncidentsModule(ctx, incidentPeopleFacts).service.create(
    { title: 'Bench breach', awareAt: new Date().toISOString() },
    { actor },
  );
  const started = performance.now();
  // Email on everyone; password on half; phone on 30%; passport (rare) on 0.1%; genetic on nobody.
  await sql`
    INSERT INTO people (incident_id, pn, categories, risk_tier, jurisdiction, reachable_email,
      reachable_phone, reachable_postal, record_count)
    SELECT ${incident.id}::uuid, g,
      ${bit('email')} | (CASE WHEN random() < 0.5 THEN ${bit('password')} ELSE 0 END)
        | (CASE WHEN random() < 0.3 THEN ${bit('phone')} ELSE 0 END)
        | (CASE WHEN random() < 0.001 THEN ${bit('passport')} ELSE 0 END),
      (ARRAY['high', 'medium', 'low'])[1 + g % 3],
      (ARRAY['US-CA', 'US-NY', 'DE', 'FR', 'US-TX', 'GB-ENG', 'unknown', 'IT', 'ES', 'US-WA'])[1 + (random() * 9)::int]
        || CASE WHEN random() < 0.0005 THEN '-X' ELSE '' END,
      random() < 0.9, random() < 0.5, random() < 0.3, 1
    FROM generate_series(1, ${peopleCount}) g`.execute(ctx.db);
  await sql`ANALYZE people`.execute(ctx.db);
  say(`seeded ${fmt(peopleCount)} people in ${fmt((performance.now() - started) / 1000, 1)} s`);

  const cases: Array<[string, Record<string, string | number>]> = [
    ['no filter, first page', {}],
    ['no filter, deep page', { after: Math.floor(peopleCount * 0.9) }],
    ['common category (password)', { category: 'password' }],
    ['rare category (passport, 0.1%)', { category: 'passport' }],
    ['absent category (genetic)', { category: 'genetic' }],
    ['jurisdiction (DE)', { jurisdiction: 'DE' }],
    ['rare jurisdiction (DE-X)', { jurisdiction: 'DE-X' }],
    ['risk high + not reachable', { risk: 'high', reach: 'none' }],
    ['rare category, deep page', { category: 'passport', after: Math.floor(peopleCount / 2) }],
  ];
  say('');
  say('| filter | p50 ms | p95 ms | people on page | total |');
  say('|---|---:|---:|---:|---:|');
  for (const [name, raw] of cases) {
    const query = peopleListQuery.parse(raw);
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof listPeople>> | undefined;
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      last = await listPeople(ctx, incident.id, query, { actor, mayReadPii: false });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    say(
      `| ${name} | ${fmt(at(0.5), 1)} | ${fmt(at(0.95), 1)} | ${last!.people.length} | ${last!.total === null ? '—' : fmt(last!.total)} |`,
    );
  }
} finally {
  await runtime.close();
  await database.drop();
}
