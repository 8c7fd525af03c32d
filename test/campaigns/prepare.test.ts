import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import { createIncidentsModule } from '../../src/server/modules/incidents/index.ts';
import { incidentPeopleFacts, type Mapping } from '../../src/server/modules/people/index.ts';
import type { Actor } from '../../src/server/platform/audit/audit-log.ts';
import type { CampaignInput, CampaignStatusDto } from '../../src/shared/contracts/campaigns.ts';
import { auditRows, clientFor, ok } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';

/**
 * A campaign's start creates its delivery rows in bounded batches (issue 21): each batch of people in pn
 * order commits its rows with the campaign's checkpoint, the campaign is 'preparing' (with progress) until
 * every row exists and only then sends, a batch that fails is taken up again from the checkpoint by the next
 * pass, and every person gets exactly one row per channel. Batches of three people here; eleven people.
 */
const BATCH = 3;
const mapping: Mapping = {
  customer_id: 'customer_id',
  email: 'email',
  phone: 'phone',
  first_name: 'first_name',
  country: 'country',
};
/** Eight by email, two by phone only, one whom no channel reaches (a customer id alone). */
const people = csv(
  'customer_id,email,phone,first_name,country',
  ...Array.from({ length: 8 }, (_, i) => `C${i},p${i}@example.com,,P${i},US`),
  'C8,,+12025550101,Q1,US',
  'C9,,+12025550102,Q2,US',
  'C10,,,Nobody,US',
);
const PEOPLE = 11;

let t: TestApp;
let author: Actor;
let approver: Actor;
const modules: Array<ReturnType<typeof createCampaignsModule>> = [];

beforeAll(async () => {
  t = await createTestApp();
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
afterEach(async () => {
  // Every engine pass serves every campaign: nothing a scenario leaves behind may move in the next.
  await t.ctx.db
    .updateTable('campaigns')
    .set({ status: 'cancelled' })
    .where('status', 'not in', ['finished', 'cancelled'])
    .execute();
  await sql`DROP TRIGGER IF EXISTS crash_once ON deliveries`.execute(t.ctx.db);
});
afterAll(async () => {
  for (const m of modules) await m.close();
  await t.close();
});

/** A module as one process has it (its own preparations), with batches of BATCH people. */
function processWith(prepareBatch = BATCH) {
  const m = createCampaignsModule(t.ctx, { prepareBatch, engine: { batchSize: 50, leaseMs: 10_000 } });
  modules.push(m);
  return m;
}

const body: CampaignInput = {
  name: 'Batched notice',
  channels: ['email', 'sms'],
  defaultLocale: 'en',
  companyName: 'Example Shop',
  contact: {},
  activationCodesFor: [],
  throttle: {},
  errorThreshold: 1,
  variants: [
    {
      name: 'general',
      default: true,
      content: {
        en: {
          email: { subject: 'Notice', html: '<p>{{ link }}</p>', text: 'Read: {{ link }}' },
          sms: { text: 'Notice: {{ link }}' },
        },
      },
    },
  ],
};

async function newCampaign(m: ReturnType<typeof processWith>) {
  const incident = await createIncidentsModule(t.ctx, incidentPeopleFacts).service.create(
    { title: 'Shop database', awareAt: new Date(Date.now() - 86_400_000).toISOString() },
    { actor: author },
  );
  expect((await importPeople(t, incident.id, people, mapping)).accepted).toBe(PEOPLE);
  let c = await m.service.create(incident.id, body, { actor: author });
  for (const v of c.variants) c = await m.service.approve(c.id, v.id, v.version, { actor: approver });
  return c;
}

const rowsOf = (campaignId: string) =>
  sql<{ pn: number; channel: string; state: string; tx: string }>`
    SELECT pn, channel, state, xmin::text AS tx FROM deliveries WHERE campaign_id = ${campaignId}
    ORDER BY pn`
    .execute(t.ctx.db)
    .then((r) => r.rows);

const campaignRow = (campaignId: string) =>
  t.ctx.db
    .selectFrom('campaigns')
    .select([
      'status',
      'prepared_through_pn',
      'prepared_people',
      'prepare_total',
      'prepared_at',
      'recipients',
    ])
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow();

/** Each of the incident's people has exactly one row, on one channel (their first reachable one). */
async function expectOneRowPerPerson(campaignId: string, incidentId: string) {
  const rows = await rowsOf(campaignId);
  const pns = await t.ctx.db
    .selectFrom('people')
    .select('pn')
    .where('incident_id', '=', incidentId)
    .orderBy('pn')
    .execute();
  expect(rows.map((r) => r.pn)).toEqual(pns.map((p) => p.pn));
  expect(rows.filter((r) => r.channel === 'email')).toHaveLength(9);
  expect(rows.filter((r) => r.channel === 'sms')).toHaveLength(2);
  expect(rows.filter((r) => r.state === 'suppressed')).toHaveLength(1);
  return rows;
}

/** Rows per transaction that created them: the batches. */
const batchSizes = (rows: Array<{ tx: string }>) => {
  const per = new Map<string, number>();
  for (const r of rows) per.set(r.tx, (per.get(r.tx) ?? 0) + 1);
  return [...per.values()];
};

async function sendUntilFinished(m: ReturnType<typeof processWith>, campaignId: string) {
  const engine = m.engine();
  for (let i = 0; i < 10 && (await campaignRow(campaignId)).status !== 'finished'; i++) {
    await engine.runOnce();
    await m.drainPreparations();
  }
  expect((await campaignRow(campaignId)).status).toBe('finished');
}

describe('a start in batches', () => {
  it('creates the rows a batch per transaction, is preparing with progress meanwhile, then sends each person once', async () => {
    const m = processWith();
    const c = await newCampaign(m);
    const started = await m.service.start(c.id, null, { actor: author });
    // The start's own transaction made the first batch; the rest waits for the background.
    expect(started.status).toBe('preparing');
    expect(await rowsOf(c.id)).toHaveLength(BATCH);
    expect(await campaignRow(c.id)).toMatchObject({
      status: 'preparing',
      prepared_people: BATCH,
      prepare_total: PEOPLE,
      prepared_at: null,
    });
    // The progress, as the console reads it through the API.
    const comms = clientFor(t, await createSignedInUser(t, 'comms'));
    const status = ok<CampaignStatusDto>(await comms.get(`/api/campaigns/${c.id}/status`));
    expect(status).toMatchObject({
      state: 'preparing',
      total: BATCH,
      preparation: { prepared: BATCH, total: PEOPLE, isDone: false },
    });

    // The lane's pass takes the preparation up; it sends nothing of a campaign still preparing.
    await m.engine().runOnce();
    await m.drainPreparations();
    const rows = await expectOneRowPerPerson(c.id, c.incidentId);
    expect(batchSizes(rows).sort()).toEqual([2, 3, 3, 3]);
    expect(rows.every((r) => r.state === 'pending' || r.state === 'suppressed')).toBe(true);
    const prepared = await campaignRow(c.id);
    expect(prepared).toMatchObject({
      status: 'running',
      prepared_people: PEOPLE,
      prepare_total: PEOPLE,
      prepared_through_pn: rows.at(-1)!.pn,
      recipients: PEOPLE,
    });
    expect(prepared.prepared_at).not.toBeNull();
    expect(await m.service.status(c.id)).toMatchObject({
      state: 'running',
      total: PEOPLE,
      preparation: { prepared: PEOPLE, total: PEOPLE, isDone: true },
    });

    await sendUntilFinished(m, c.id);
    const sent = await rowsOf(c.id);
    expect(sent.filter((r) => r.state === 'sent')).toHaveLength(PEOPLE - 1);
    const outbox = await t.ctx.db
      .selectFrom('outbox_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('campaign_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(Number(outbox.n)).toBe(PEOPLE - 1);
    // The start is recorded once, as before batches: who started it, and for how many people.
    const started_ = await auditRows(t, 'campaign.started', c.id);
    expect(started_).toHaveLength(1);
    expect(started_[0]!.details).toMatchObject({ recipients: PEOPLE });
    const events = await t.ctx.db
      .selectFrom('incident_events')
      .select('summary')
      .where('incident_id', '=', c.incidentId)
      .where('kind', '=', 'campaign')
      .execute();
    expect(events.filter((e) => e.summary.includes('started:'))).toEqual([
      { summary: `Campaign "Batched notice" started: ${PEOPLE} people, by email → sms.` },
    ]);
  });

  it('the CLI or a benchmark can prepare the rest in the foreground, to the end', async () => {
    const m = processWith(4);
    const c = await newCampaign(m);
    expect((await m.service.start(c.id, null, { actor: author })).status).toBe('preparing');
    await m.service.prepare(c.id);
    const rows = await expectOneRowPerPerson(c.id, c.incidentId);
    expect(batchSizes(rows).sort()).toEqual([3, 4, 4]);
    expect((await campaignRow(c.id)).status).toBe('running');
  });

  it('a campaign of fewer people than a batch runs as soon as it starts', async () => {
    const m = processWith(50);
    const c = await newCampaign(m);
    expect((await m.service.start(c.id, null, { actor: author })).status).toBe('running');
    const rows = await expectOneRowPerPerson(c.id, c.incidentId);
    expect(batchSizes(rows)).toEqual([PEOPLE]);
  });
});

describe('a start interrupted', () => {
  it('resumes from its checkpoint after a batch failed, in another process, without a duplicate', async () => {
    const m = processWith();
    const c = await newCampaign(m);
    const pns = (
      await t.ctx.db
        .selectFrom('people')
        .select('pn')
        .where('incident_id', '=', c.incidentId)
        .orderBy('pn')
        .execute()
    ).map((p) => p.pn);
    // The third batch fails once, half-way (its second person's row is refused): as if the process died
    // with the batch in flight. A sequence counts across the rollback, so it fails exactly once.
    await sql`CREATE SEQUENCE IF NOT EXISTS crash_count`.execute(t.ctx.db);
    await sql`SELECT setval('crash_count', 1, false)`.execute(t.ctx.db);
    await sql
      .raw(`CREATE OR REPLACE FUNCTION crash_once() RETURNS trigger AS $$
        BEGIN
          IF NEW.campaign_id = '${c.id}' AND NEW.pn = ${pns[7]} AND nextval('crash_count') = 1 THEN
            RAISE EXCEPTION 'simulated crash';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`)
      .execute(t.ctx.db);
    await sql`CREATE TRIGGER crash_once BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION crash_once()`.execute(
      t.ctx.db,
    );

    expect((await m.service.start(c.id, null, { actor: author })).status).toBe('preparing');
    await m.engine().runOnce();
    await m.drainPreparations();
    // Two batches committed, the third rolled back whole: the checkpoint is the second's last person.
    expect(await campaignRow(c.id)).toMatchObject({
      status: 'preparing',
      prepared_through_pn: pns[5],
      prepared_people: 2 * BATCH,
    });
    const before = await rowsOf(c.id);
    expect(before.map((r) => r.pn)).toEqual(pns.slice(0, 2 * BATCH));
    // Nothing of a campaign still preparing is sent.
    expect(before.every((r) => r.state === 'pending' || r.state === 'suppressed')).toBe(true);
    expect(t.logs.some((l) => l.includes('campaign preparation stopped'))).toBe(true);

    // Another process's next pass takes it up from the checkpoint.
    const other = processWith();
    await other.engine().runOnce();
    await other.drainPreparations();
    const rows = await expectOneRowPerPerson(c.id, c.incidentId);
    expect(batchSizes(rows).sort()).toEqual([2, 3, 3, 3]);
    // The rows made before the failure are the same rows (not made again).
    expect(rows.slice(0, 2 * BATCH).map((r) => r.tx)).toEqual(before.map((r) => r.tx));
    expect(await campaignRow(c.id)).toMatchObject({
      status: 'running',
      prepared_people: PEOPLE,
      recipients: PEOPLE,
    });
    await sendUntilFinished(other, c.id);
    expect((await rowsOf(c.id)).filter((r) => r.state === 'sent')).toHaveLength(PEOPLE - 1);
    expect(await auditRows(t, 'campaign.started', c.id)).toHaveLength(1);
  });

  it('paused while preparing, it resumes preparing from where it stopped, then sends', async () => {
    const m = processWith();
    const c = await newCampaign(m);
    await m.service.start(c.id, null, { actor: author });
    expect((await m.service.move(c.id, 'pause', { actor: author })).status).toBe('paused');
    // A pass while paused prepares nothing more.
    await m.engine().runOnce();
    await m.drainPreparations();
    expect(await rowsOf(c.id)).toHaveLength(BATCH);
    expect((await m.service.status(c.id)).preparation).toEqual({
      prepared: BATCH,
      total: PEOPLE,
      isDone: false,
    });
    expect((await m.service.move(c.id, 'resume', { actor: author })).status).toBe('preparing');
    await m.engine().runOnce();
    await m.drainPreparations();
    await expectOneRowPerPerson(c.id, c.incidentId);
    expect((await campaignRow(c.id)).status).toBe('running');
  });

  it('several processes preparing the same campaign at once make each row once', async () => {
    const first = processWith(2);
    const c = await newCampaign(first);
    await first.service.start(c.id, null, { actor: author });
    const others = [processWith(2), processWith(2), first];
    await Promise.all(others.map((m) => m.engine().runOnce()));
    await Promise.all(others.map((m) => m.drainPreparations()));
    // Whoever held the campaign went on; the others stepped aside, and the next passes finish the rest.
    for (let i = 0; i < 5 && (await campaignRow(c.id)).status === 'preparing'; i++) {
      await Promise.all(others.map((m) => m.engine().runOnce()));
      await Promise.all(others.map((m) => m.drainPreparations()));
    }
    const rows = await expectOneRowPerPerson(c.id, c.incidentId);
    expect(Math.max(...batchSizes(rows))).toBeLessThanOrEqual(2);
    expect(await campaignRow(c.id)).toMatchObject({ status: 'running', prepared_people: PEOPLE });
  });
});
