// The console's People, Obligations and campaign pages on a large incident (issue 21: p95 under 500 ms at 20M
// records). Opens the app in-process on a free port and loads each page over real HTTP with a bearer token,
// issuing the requests the page's components send when it opens (src/web/pages/…), in the browser's order:
// requests a page fires together run in parallel (up to six connections, as a browser), and a step the page
// only renders once an earlier answer is in waits for it. The whole page load is timed; each request's own
// p95 goes to stderr, so the slow one is named. Never prints personal data: only ids, counts and times.
// The reader is an admin, so the people list also decrypts each listed person's contacts (shown masked), as
// it does for every role that may read personal data. Measured at 1M records (200k people), busy machine:
// the slow requests were people/stats, the people list (its contacts' join) and a campaign's reach, each a
// pass over the incident's people or records; see the commit for the queries.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { buildApp } from '../../src/server/app.ts';
import { createApiToken } from '../../src/server/modules/auth/api-tokens.service.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { benchStaff, createApprovedExampleCampaign } from './bench-campaign.ts';

export interface ConsolePageTiming {
  page: string;
  /** The requests of one page load: `→` separates steps, `∥` requests sent together. */
  request: string;
  p50: number;
  p95: number;
}

type Json = Record<string, unknown>;
/** One step of a page load: the requests it sends together, chosen from the answers of the earlier steps. */
type Step = (answers: Map<string, Json>) => string[];
interface Page {
  page: string;
  steps: Step[];
}

const note = (line: string) => process.stderr.write(`${line}\n`);

/** Percentile by rank over sorted samples (the same rule as the other benches). */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Replaces ids in a path by their role, so the label names the route, not the data. */
function routeOf(path: string, ids: Record<string, string>): string {
  let route = path.split('?')[0]!;
  for (const [name, id] of Object.entries(ids)) route = route.replaceAll(id, `:${name}`);
  const query = path.includes('?') ? `?${path.split('?')[1]!.replace(/after=\d+/, 'after=…')}` : '';
  return route + query;
}

export async function timeConsolePages(options: {
  databaseUrl: string;
  masterKey: string;
  incidentId: string;
  samples: number;
}): Promise<ConsolePageTiming[]> {
  const { incidentId, samples } = options;
  const runtime = await openRuntime({
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      CANDOR_MASTER_KEY: options.masterKey,
      LOG_LEVEL: 'warn',
    },
    applicationName: 'candor-bench-console',
  });
  const { ctx } = runtime;
  const built = await buildApp(ctx, { webRoot: '/nonexistent' });
  const { app } = built;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  try {
    // An active admin (every page, identifiers masked as the console shows them) owning an admin API token.
    const admin = await ctx.db
      .insertInto('users')
      .values({
        email: 'bench-console@candor.invalid',
        role: 'admin',
        status: 'active',
        display_name: 'Bench console',
      })
      .onConflict((oc) => oc.column('email').doUpdateSet({ updated_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const { token } = await createApiToken(
      ctx,
      {
        kind: 'session',
        userId: admin.id,
        role: 'admin',
        credentialId: randomBytes(8).toString('hex'),
        stage: 'active',
        csrfToken: null,
        reauthenticatedAt: null,
        label: 'Bench console',
      },
      { name: `bench console ${randomBytes(3).toString('hex')}`, role: 'admin' },
      { requestId: 'bench-console' },
    );

    // A started campaign: the example, approved, started; its first batch of delivery rows is made in the
    // start, the rest would be made by the campaign lane, which does not run here (so it shows "Preparing").
    note('console timing: creating and starting a campaign…');
    const staff = await benchStaff(ctx);
    const campaignId = await createApprovedExampleCampaign(ctx, incidentId, staff, { withCodes: false });
    const t0 = performance.now();
    await built.campaigns.service.start(campaignId, null, { actor: staff.author });
    note(`console timing: campaign started in ${Math.round(performance.now() - t0)} ms`);

    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const perRequest = new Map<string, number[]>();
    const ids = { incident: incidentId, campaign: campaignId };
    const get = (path: string) =>
      new Promise<Json>((resolve, reject) => {
        const started = performance.now();
        const request = http.request(
          `${base}${path}`,
          { method: 'GET', agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => {
              const route = routeOf(path, ids);
              const list = perRequest.get(route) ?? [];
              list.push(performance.now() - started);
              perRequest.set(route, list);
              const text = Buffer.concat(chunks).toString('utf8');
              // The status and route only: an answer's body may carry personal data.
              if ((response.statusCode ?? 500) >= 400)
                reject(new Error(`GET ${route}: ${response.statusCode}`));
              else resolve(text ? (JSON.parse(text) as Json) : {});
            });
          },
        );
        request.on('error', reject);
        request.end();
      });

    // One load: each step's requests together, the answers kept by path for the steps after.
    const load = async (page: Page): Promise<{ ms: number; shape: string[][] }> => {
      const answers = new Map<string, Json>();
      const shape: string[][] = [];
      const started = performance.now();
      for (const step of page.steps) {
        const paths = step(answers);
        if (paths.length === 0) continue;
        shape.push(paths);
        const results = await Promise.all(paths.map(get));
        for (const [i, path] of paths.entries()) answers.set(path, results[i]!);
      }
      return { ms: performance.now() - started, shape };
    };

    const inc = `/api/incidents/${incidentId}`;
    const camp = `/api/campaigns/${campaignId}`;
    // IncidentLayout renders its section only once the incident is in.
    const layout: Step = () => [inc];
    const stats = `${inc}/people/stats`;
    const statsAnswer = (await get(stats)) as { byJurisdiction?: Record<string, number> };
    const topJurisdiction =
      Object.entries(statsAnswer.byJurisdiction ?? {}).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'US-CA';
    const list = (query: string) => `${inc}/people?${query}${query ? '&' : ''}after=0&limit=50`;
    const filtered = `jurisdiction=${encodeURIComponent(topJurisdiction)}&risk=high`;
    // "Load more" on the list: the first page is on screen already, the button sends one request.
    const secondPage = async (query: string): Promise<string> => {
      const first = list(query);
      const nextAfter = ((await get(first)).nextAfter as number | null) ?? 0;
      return first.replace('after=0', `after=${nextAfter}`);
    };
    const [second, filteredSecond] = [await secondPage(''), await secondPage(filtered)];

    const pages: Page[] = [
      {
        // PeoplePage: imports and stats together; once both are in, the conflicts queue (open tab) and its
        // resolution banner.
        page: 'People',
        steps: [
          layout,
          () => [`${inc}/imports`, stats],
          () => [`${inc}/conflicts?status=open&limit=100`, `${inc}/people/resolution`],
        ],
      },
      { page: 'People list', steps: [layout, () => [stats, list('')]] },
      { page: 'People list (jurisdiction + risk)', steps: [layout, () => [stats, list(filtered)]] },
      { page: 'People list, second page', steps: [() => [second]] },
      { page: 'People list (jurisdiction + risk), second page', steps: [() => [filteredSecond]] },
      { page: 'Obligations (incident)', steps: [layout, () => [`${inc}/obligations`]] },
      {
        page: 'Deadlines (all incidents)',
        steps: [() => ['/api/obligations/upcoming', '/api/obligations/alerts']],
      },
      {
        // IncidentCampaignsPage, then each started campaign's card reads its status.
        page: 'Campaigns (incident)',
        steps: [
          layout,
          () => [`${inc}/campaigns`],
          (answers) =>
            (
              (answers.get(`${inc}/campaigns`)?.campaigns ?? []) as Array<{
                id: string;
                startedAt: string | null;
              }>
            )
              .filter((c) => c.startedAt !== null)
              .map((c) => `/api/campaigns/${c.id}/status`),
        ],
      },
      {
        // CampaignPage opens a started campaign on its progress tab: the status (one query, shared with the
        // header's follower); the letters card shows once its rows are all prepared.
        page: 'Campaign (progress)',
        steps: [
          layout,
          () => [camp],
          () => [`${camp}/status`],
          (answers) => {
            const status = answers.get(`${camp}/status`) as
              | { total?: number; preparation?: { isDone: boolean } | null }
              | undefined;
            const channels = (answers.get(camp)?.channels ?? []) as string[];
            const isPrepared = !status?.preparation || status.preparation.isDone;
            return isPrepared && (status?.total ?? 0) > 0 && channels.includes('letter')
              ? [`${camp}/letters/summary`]
              : [];
          },
        ],
      },
    ];

    const timings: ConsolePageTiming[] = [];
    for (const page of pages) {
      perRequest.clear();
      const warm = await load(page);
      const shape = warm.shape.map((paths) => paths.map((p) => routeOf(p, ids)).join(' ∥ ')).join(' → ');
      perRequest.clear();
      const times: number[] = [];
      for (let i = 0; i < samples; i++) times.push((await load(page)).ms);
      times.sort((a, b) => a - b);
      const timing = {
        page: page.page,
        request: shape,
        p50: percentile(times, 0.5),
        p95: percentile(times, 0.95),
      };
      timings.push(timing);
      note(`console timing: ${page.page}: p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms`);
      for (const [route, list] of perRequest) {
        list.sort((a, b) => a - b);
        note(
          `    ${route}: p50 ${percentile(list, 0.5).toFixed(1)} ms, p95 ${percentile(list, 0.95).toFixed(1)} ms`,
        );
      }
    }
    return timings;
  } finally {
    agent.destroy();
    await app.close();
    await runtime.close();
  }
}
