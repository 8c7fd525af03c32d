import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignsModule, readPersonalLinkToken } from '../../src/server/modules/campaigns/index.ts';
import { createIncidentsModule } from '../../src/server/modules/incidents/index.ts';
import { createObligationsModule } from '../../src/server/modules/obligations/index.ts';
import {
  OUTBOX_CONTEXT,
  outboxSender,
  type Senders,
  smsSender,
  smtpSender,
} from '../../src/server/modules/outbound/senders.ts';
import type { Mapping } from '../../src/server/modules/people/index.ts';
import { incidentPeopleFacts } from '../../src/server/modules/people/index.ts';
import type { Actor } from '../../src/server/platform/audit/audit-log.ts';
import { AppError } from '../../src/server/platform/errors.ts';
import { createTwilioProvider, twilioSignature } from '../../src/server/platform/sms/index.ts';
import type { CampaignInput, VariantLocaleContent } from '../../src/shared/contracts/campaigns.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { type FakeTwilio, fakeTwilioNumbers, startFakeTwilio } from '../support/fake-twilio.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';

/**
 * The delivery engine in this process, with the real senders: SMTP to a local listener that counts what
 * it accepts, SMS to the local Twilio fake, letters to the outbox. Every scenario has its own incident
 * and campaign; whatever a scenario leaves running is cancelled after it, since every engine pass serves
 * every running campaign.
 */
const PUBLIC_URL = 'https://notice.example.test';
const SMS_FROM = '+12025550199';
const RECEIPTS_URL = `${PUBLIC_URL}/api/hooks/sms/twilio`;

const mapping: Mapping = {
  email: 'email',
  phone: 'phone',
  first_name: 'first_name',
  address: 'address_line1',
  city: 'city',
  zip: 'postal_code',
  country: 'country',
  state: 'region',
  ssn: 'national_id',
  locale: 'locale',
};
const HEADER = 'email,phone,first_name,address,city,zip,country,state,ssn,locale';
interface Person {
  email?: string;
  phone?: string;
  name?: string;
  address?: boolean;
  state?: string;
  ssn?: string;
  locale?: string;
}
const line = (p: Person) =>
  [
    p.email ?? '',
    p.phone ?? '',
    p.name ?? 'Pat',
    p.address ? '1 Main Street' : '',
    p.address ? 'Springfield' : '',
    p.address ? '62701' : '',
    'US',
    p.state ?? 'IL',
    p.ssn ?? '',
    p.locale ?? '',
  ].join(',');
let ssnSerial = 1000;
const nextSsn = () => `536-22-${String(++ssnSerial).padStart(4, '0')}`;

let t: TestApp;
let sink: SmtpSink;
let fake: FakeTwilio;
let author: Actor;
let approver: Actor;
const modules: Array<ReturnType<typeof createCampaignsModule>> = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  fake = await startFakeTwilio();
  t = await createTestApp({
    CANDOR_PUBLIC_URL: PUBLIC_URL,
    SMTP_URL: sink.url,
    SMS_PROVIDER: 'twilio',
    SMS_TWILIO_BASE_URL: fake.baseUrl,
    SMS_TWILIO_ACCOUNT_SID: fake.accountSid,
    SMS_TWILIO_AUTH_TOKEN: fake.authToken,
    SMS_FROM,
  });
  const users = await t.ctx.db
    .insertInto('users')
    .values([
      { email: 'writer@example.test', role: 'comms' },
      { email: 'counsel@example.test', role: 'legal' },
    ])
    .returning(['id', 'role'])
    .execute();
  author = { type: 'user', id: users[0]!.id, label: 'comms' };
  approver = { type: 'user', id: users[1]!.id, label: 'legal' };
});
/** Campaigns whose scenario spans several tests: left running between them. */
const keepRunning = new Set<string>();
afterEach(async () => {
  await t.ctx.db
    .updateTable('campaigns')
    .set({ status: 'cancelled' })
    .where('status', 'in', ['draft', 'scheduled', 'running', 'paused'])
    .$if(keepRunning.size > 0, (q) => q.where('id', 'not in', [...keepRunning]))
    .execute();
  sink.clear();
});
afterAll(async () => {
  for (const m of modules) await m.close();
  await t.close();
  await fake.close();
  await sink.close();
});

function makeSenders(): Senders {
  const email = smtpSender({ SMTP_URL: sink.url });
  const sms = smsSender(
    createTwilioProvider({
      baseUrl: fake.baseUrl,
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: SMS_FROM,
      timeoutMs: 1500,
    }),
  );
  return {
    email,
    sms,
    letter: outboxSender(t.ctx.db, t.ctx.crypto, 'letter'),
    close() {
      email.close();
      sms.close();
    },
  };
}

type EngineOptions = NonNullable<Parameters<typeof createCampaignsModule>[1]>['engine'];
function campaignsWith(engine: EngineOptions = {}) {
  const m = createCampaignsModule(t.ctx, {
    senders: makeSenders(),
    engine: { batchSize: 10, leaseMs: 5_000, concurrency: 4, ...engine },
  });
  modules.push(m);
  return m;
}
type Engine = ReturnType<ReturnType<typeof campaignsWith>['engine']>;

async function newIncident(people: Person[]): Promise<string> {
  const incident = await createIncidentsModule(t.ctx, incidentPeopleFacts).service.create(
    { title: 'Shop database', awareAt: new Date(Date.now() - 86_400_000).toISOString() },
    { actor: author },
  );
  const summary = await importPeople(t, incident.id, csv(HEADER, ...people.map(line)), mapping);
  expect(summary.accepted).toBe(people.length);
  return incident.id;
}

/** Templates that say which variant and locale they are, and carry the codes and the link. */
function content(marker: string): VariantLocaleContent {
  return {
    email: {
      subject: `${marker} notice from {{ company.name }}`,
      html: `<p>${marker}</p><p>CODE=[{{ activation_code }}]</p><p>{{ link }}</p>`,
      text: `${marker}\nEXPOSED=[{{ person.exposed | join: "; " }}]\nCODE=[{{ activation_code }}]\nLINK=[{{ link }}]\nVERIFY=[{{ verification_code }}]`,
    },
    sms: { text: `${marker} {{ company.name }}: {{ link }}` },
    letter: { text: `${marker} Dear {{ person.first_name }}: CODE=[{{ activation_code }}] {{ link }}` },
  };
}

function input(overrides: Partial<CampaignInput> = {}): CampaignInput {
  return {
    name: 'Notice',
    channels: ['email', 'sms', 'letter'],
    defaultLocale: 'en',
    companyName: 'Example Shop',
    contact: {},
    activationCodesFor: [],
    throttle: {},
    // High enough that scenarios with many refusals are not paused automatically unless they mean to be.
    errorThreshold: 1,
    variants: [{ name: 'general', default: true, content: { en: content('GENERAL-EN') } }],
    ...overrides,
  };
}

/** Creates (as comms), approves every variant (as legal), and starts the campaign. */
async function launch(
  campaigns: ReturnType<typeof campaignsWith>,
  incidentId: string,
  body: CampaignInput,
): Promise<string> {
  let c = await campaigns.service.create(incidentId, body, { actor: author });
  for (const v of c.variants) c = await campaigns.service.approve(c.id, v.id, v.version, { actor: approver });
  expect((await campaigns.service.start(c.id, null, { actor: author })).status).toBe('running');
  return c.id;
}

const statusOf = async (id: string) =>
  (await t.ctx.db.selectFrom('campaigns').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;

/** Runs passes until the campaign is no longer running (or `maxPasses` are spent); returns its status. */
async function runToEnd(engine: Engine, id: string, maxPasses = 40): Promise<string> {
  for (let i = 0; i < maxPasses; i++) {
    await engine.runOnce();
    const status = await statusOf(id);
    if (status !== 'running') return status;
  }
  return statusOf(id);
}

const rowsOf = (id: string) =>
  t.ctx.db
    .selectFrom('deliveries')
    .select([
      'pn',
      'channel',
      'step',
      'state',
      'attempts',
      'error',
      'message_id',
      'provider_id',
      'verification_code',
      'variant_id',
      'next_attempt_at',
    ])
    .where('campaign_id', '=', id)
    .orderBy('pn')
    .orderBy('step')
    .execute();

/** Makes every pending retry of the campaign due now (back-off is minutes; tests do not wait). */
const dueNow = (id: string) =>
  t.ctx.db
    .updateTable('deliveries')
    .set({ next_attempt_at: sql<Date>`now()` })
    .where('campaign_id', '=', id)
    .where('state', '=', 'pending')
    .execute();

/** The person number behind each address: the row's Message-ID is on the message the sink received. */
async function pnByAddress(id: string): Promise<Map<string, number>> {
  const rows = await rowsOf(id);
  const byMessageId = new Map(rows.map((r) => [r.message_id, r.pn]));
  const result = new Map<string, number>();
  for (const m of sink.messages) {
    const pn = m.messageId ? byMessageId.get(m.messageId) : undefined;
    if (pn !== undefined) for (const to of m.to) result.set(to, pn);
  }
  return result;
}

const messageTo = (address: string) => {
  const found = sink.messages.filter((m) => m.to.includes(address));
  expect(found, `messages to ${address}`).toHaveLength(1);
  return found[0]!;
};
const field = (text: string, name: string) => new RegExp(`${name}=\\[([^\\]]*)\\]`).exec(text)?.[1];

async function outboxLetters(id: string) {
  const rows = await t.ctx.db
    .selectFrom('outbox_messages')
    .select(['pn', 'channel', 'message_id', 'sealed'])
    .where('campaign_id', '=', id)
    .where('channel', '=', 'letter')
    .execute();
  return Promise.all(
    rows.map(async (r) => ({
      pn: r.pn,
      messageId: r.message_id,
      ...(JSON.parse(await t.ctx.crypto.decrypt(r.sealed, OUTBOX_CONTEXT)) as {
        text: string;
        address: string[];
      }),
    })),
  );
}

const timeline = async (incidentId: string) =>
  (
    await t.ctx.db
      .selectFrom('incident_events')
      .select('summary')
      .where('incident_id', '=', incidentId)
      .where('kind', '=', 'campaign')
      .orderBy('id')
      .execute()
  ).map((e) => e.summary);

/** A Twilio status callback for a message, signed as Twilio signs it unless a signature is given. */
function postReceipt(params: Record<string, string>, signature?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/hooks/sms/twilio',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilioSignature(fake.authToken, RECEIPTS_URL, params),
    },
    payload: new URLSearchParams(params).toString(),
  });
}
const receipt = (sid: string, status: string, errorCode?: string) => ({
  AccountSid: fake.accountSid,
  MessageSid: sid,
  SmsSid: sid,
  MessageStatus: status,
  SmsStatus: status,
  To: '+12025550000',
  From: SMS_FROM,
  ...(errorCode ? { ErrorCode: errorCode } : {}),
});

describe('normal operation', () => {
  it('everyone gets exactly one message, carrying the row’s Message-ID, verification code and their own link', async () => {
    const people = Array.from({ length: 40 }, (_, i) => ({
      email: `normal-${i}@example.com`,
      name: `Person${i}`,
      state: 'CA',
      ssn: nextSsn(),
    }));
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith({ batchSize: 7 });
    const id = await launch(campaigns, incidentId, input());
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');

    for (const p of people) expect(sink.countFor(p.email), p.email).toBe(1);
    expect(sink.messages).toHaveLength(40);
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.state)).toEqual(Array(40).fill('sent'));
    for (const r of rows) expect(sink.countForMessageId(r.message_id)).toBe(1);
    const pns = await pnByAddress(id);
    for (const p of people) {
      const message = messageTo(p.email);
      const row = rows.find((r) => r.pn === pns.get(p.email))!;
      expect(message.headers['x-candor-verification']).toBe(row.verification_code);
      expect(field(message.text, 'VERIFY')).toBe(row.verification_code);
      expect(message.subject).toBe('GENERAL-EN notice from Example Shop');
      expect(field(message.text, 'EXPOSED')).toContain('your Social Security number');
      // The personal link opens this person's page, and nobody else's.
      const link = field(message.text, 'LINK')!;
      const { public_slug: slug } = await t.ctx.db
        .selectFrom('incidents')
        .select('public_slug')
        .where('id', '=', incidentId)
        .executeTakeFirstOrThrow();
      expect(link.startsWith(`${PUBLIC_URL}/n/${slug}/me/`)).toBe(true);
      const token = readPersonalLinkToken(t.ctx.crypto, link.split('/').at(-1)!);
      expect(token).toMatchObject({ incidentId, pn: row.pn, expired: false });
    }
  });

  it('a finished campaign is on the timeline, sets the first notice time, and closes the individual notices', async () => {
    const people = Array.from({ length: 6 }, (_, i) => ({
      email: `finish-${i}@example.com`,
      state: 'CA',
      ssn: nextSsn(),
    }));
    const incidentId = await newIncident(people);
    const obligations = createObligationsModule(t.ctx);
    const before = (await obligations.service.report(incidentId)).obligations.find(
      (o) => o.key === 'US-CA:individuals',
    );
    expect(before?.status).toBe('open');
    const campaigns = campaignsWith();
    const id = await launch(campaigns, incidentId, input({ name: 'First notice' }));
    const startedAt = Date.now();
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');

    const incident = await t.ctx.db
      .selectFrom('incidents')
      .select('first_notice_at')
      .where('id', '=', incidentId)
      .executeTakeFirstOrThrow();
    expect(incident.first_notice_at).not.toBeNull();
    expect(new Date(incident.first_notice_at!).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(await timeline(incidentId)).toEqual([
      'Campaign "First notice" started: 6 people, by email → sms → letter.',
      'First individual notice sent (campaign "First notice").',
      'Campaign "First notice" finished: 6 people notified, 0 not reached.',
    ]);
    const after = (await obligations.service.report(incidentId)).obligations.find(
      (o) => o.key === 'US-CA:individuals',
    );
    expect(after?.status).toBe('done');
    const finished = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'campaign.finished')
      .where('target_id', '=', id)
      .execute();
    expect(finished.map((f) => f.details)).toEqual([{ reached: 6, missed: 0 }]);
  });

  it('a variant per person (first match wins) in their language, else the default language', async () => {
    const people: Array<Person & { expect: string; exposed?: string }> = [
      { email: 'v-en-ssn@example.com', ssn: nextSsn(), locale: 'en', expect: 'IDENTITY-EN' },
      {
        email: 'v-es-ssn@example.com',
        ssn: nextSsn(),
        locale: 'es',
        expect: 'IDENTITY-ES',
        exposed: 'tu número de Seguro Social',
      },
      { email: 'v-es-mx@example.com', locale: 'es-MX', expect: 'GENERAL-ES' },
      // Spanish and in Texas: the "texas spanish" rule (both conditions), in its Spanish text.
      { email: 'v-es-tx@example.com', locale: 'es-MX', state: 'TX', expect: 'TEXAS-ES' },
      { email: 'v-en-tx@example.com', locale: 'en', state: 'TX', expect: 'GENERAL-EN' },
      { email: 'v-fr@example.com', locale: 'fr', expect: 'GENERAL-EN' },
      { email: 'v-none@example.com', expect: 'GENERAL-EN' },
    ];
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith();
    const id = await launch(
      campaigns,
      incidentId,
      input({
        variants: [
          {
            name: 'general',
            default: true,
            content: { en: content('GENERAL-EN'), es: content('GENERAL-ES') },
          },
          {
            name: 'identity',
            rule: { categoriesAny: ['national_id'] },
            content: { en: content('IDENTITY-EN'), es: content('IDENTITY-ES') },
          },
          {
            name: 'texas spanish',
            rule: { locales: ['es'], jurisdictions: ['US-TX'] },
            content: { en: content('TEXAS-EN'), es: content('TEXAS-ES') },
          },
        ],
      }),
    );
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');
    for (const p of people) {
      const message = messageTo(p.email!);
      expect(message.subject, p.email).toBe(`${p.expect} notice from Example Shop`);
      if (p.exposed) expect(field(message.text, 'EXPOSED')).toContain(p.exposed);
    }
  });
});

describe('bounces and fallback', () => {
  it('a hard bounce (550 at RCPT or after DATA) falls back to SMS, sent through the provider', async () => {
    const people = [
      { email: 'bounce-rcpt@example.com', phone: '+12025552001' },
      { email: 'bounce-data@example.com', phone: '+12025552002' },
      { email: 'fine@example.com', phone: '+12025552003' },
    ];
    sink.refuse('bounce-rcpt@example.com', { code: 550, at: 'rcpt' });
    sink.refuse('bounce-data@example.com', { code: 550, at: 'data' });
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith();
    const id = await launch(campaigns, incidentId, input());
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');

    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.channel, r.step, r.state])).toEqual([
      ['email', 0, 'fell_back'],
      ['sms', 1, 'sent'],
      ['email', 0, 'fell_back'],
      ['sms', 1, 'sent'],
      ['email', 0, 'sent'],
    ]);
    const bounced = rows.filter((r) => r.state === 'fell_back');
    expect(bounced.map((r) => r.error).sort()).toEqual(['SMTP 550 after DATA', 'SMTP 550 after RCPT TO']);
    expect(sink.refusalsFor('bounce-rcpt@example.com')).toBe(1);
    expect(sink.refusalsFor('bounce-data@example.com')).toBe(1);
    expect(sink.countFor('fine@example.com')).toBe(1);
    for (const phone of ['+12025552001', '+12025552002']) {
      const sent = fake.messages.filter((m) => m.to === phone);
      expect(sent, phone).toHaveLength(1);
      expect(sent[0]!.body).toMatch(/^GENERAL-EN Example Shop: https:\/\/notice\.example\.test\/n\//);
      const row = rows.find((r) => r.channel === 'sms' && r.provider_id === sent[0]!.sid);
      expect(row?.message_id).toBe(sent[0]!.idempotencyToken);
    }
    expect(fake.messages.filter((m) => m.to === '+12025552003')).toEqual([]);
  });

  it('with no later channel that reaches the person, a hard bounce is final; the notice obligation stays open', async () => {
    const people = [
      { email: 'only-email@example.com', state: 'CA', ssn: nextSsn() },
      { email: 'opted-out@example.com', phone: fakeTwilioNumbers.optedOut, state: 'CA', ssn: nextSsn() },
    ];
    sink.refuse('only-email@example.com', { code: 550, at: 'rcpt' });
    sink.refuse('opted-out@example.com', { code: 550, at: 'rcpt' });
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith();
    const id = await launch(campaigns, incidentId, input({ channels: ['email', 'sms'] }));
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.channel, r.state])).toEqual([
      ['email', 'bounced'],
      ['email', 'fell_back'],
      ['sms', 'bounced'],
    ]);
    expect(rows[2]!.error).toContain('Twilio refused the number: the recipient has opted out');
    expect(rows[2]!.error).not.toContain('2025550155');
    const report = await createObligationsModule(t.ctx).service.report(incidentId);
    expect(report.obligations.find((o) => o.key === 'US-CA:individuals')?.status).toBe('open');
    expect((await timeline(incidentId)).at(-1)).toBe(
      'Campaign "Notice" finished: 0 people notified, 2 not reached.',
    );
  });

  it('a transient refusal (451) is retried and then sent; the campaign waits for it before finishing', async () => {
    const people = [
      { email: 'later-rcpt@example.com' },
      { email: 'later-data@example.com' },
      { email: 'now@example.com' },
    ];
    sink.refuse('later-rcpt@example.com', { code: 451, at: 'rcpt', times: 1 });
    sink.refuse('later-data@example.com', { code: 451, at: 'data', times: 1 });
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith();
    const engine = campaigns.engine();
    const id = await launch(campaigns, incidentId, input());
    await engine.runOnce();
    let rows = await rowsOf(id);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
      ['sent', 1],
    ]);
    expect(rows[0]!.error).toBe('SMTP 451 after RCPT TO');
    expect(rows[1]!.error).toBe('SMTP 451 after DATA');
    expect(new Date(rows[0]!.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 5_000);
    // Retries are not due yet: passes find nothing to send, and the campaign is not finished.
    for (let i = 0; i < 3; i++) expect(await engine.runOnce()).toBe(0);
    expect(await statusOf(id)).toBe('running');
    await dueNow(id);
    expect(await runToEnd(engine, id)).toBe('finished');
    rows = await rowsOf(id);
    expect(rows.map((r) => [r.state, r.attempts, r.error])).toEqual([
      ['sent', 2, null],
      ['sent', 2, null],
      ['sent', 1, null],
    ]);
    for (const p of people) expect(sink.countFor(p.email)).toBe(1);
  });

  it('a row claimed by a live worker keeps the campaign from finishing', async () => {
    const incidentId = await newIncident([{ email: 'held@example.com' }, { email: 'free@example.com' }]);
    const campaigns = campaignsWith();
    const id = await launch(campaigns, incidentId, input());
    const [held] = await rowsOf(id);
    await t.ctx.db
      .updateTable('deliveries')
      .set({
        state: 'claimed',
        claimed_by: 'another-worker',
        lease_until: sql<Date>`now() + interval '1 hour'`,
      })
      .where('campaign_id', '=', id)
      .where('pn', '=', held!.pn)
      .execute();
    for (let i = 0; i < 3; i++) await campaigns.engine().runOnce();
    expect(await statusOf(id)).toBe('running');
    expect(sink.messages).toHaveLength(1);
    // Its lease runs out (the worker died): the row is taken over and the campaign ends.
    await t.ctx.db
      .updateTable('deliveries')
      .set({ lease_until: sql<Date>`now() - interval '1 second'` })
      .where('campaign_id', '=', id)
      .where('state', '=', 'claimed')
      .execute();
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');
    expect(sink.messages).toHaveLength(2);
  });

  it('after maxAttempts a transient failure gives up: failed, or the next channel when there is one', async () => {
    const people = [
      { email: 'always-busy@example.com' },
      { email: 'busy-with-address@example.com', address: true },
    ];
    for (const p of people) sink.refuse(p.email, { code: 451, at: 'rcpt' });
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith({ maxAttempts: 3 });
    const engine = campaigns.engine();
    const id = await launch(campaigns, incidentId, input({ channels: ['email', 'letter'] }));
    for (let attempt = 1; attempt <= 3; attempt++) {
      await engine.runOnce();
      await dueNow(id);
    }
    expect(await runToEnd(engine, id)).toBe('finished');
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.channel, r.state, r.attempts])).toEqual([
      ['email', 'failed', 3],
      ['email', 'fell_back', 3],
      ['letter', 'sent', 1],
    ]);
    expect(rows[0]!.error).toBe('gave up after 3 attempts: SMTP 451 after RCPT TO');
    expect(sink.refusalsFor('always-busy@example.com')).toBe(3);
    const letters = await outboxLetters(id);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.pn).toBe(rows[2]!.pn);
    expect(letters[0]!.text).toContain('GENERAL-EN Dear Pat');
    expect(letters[0]!.address).toEqual(['Pat', '1 Main Street', '62701 Springfield IL', 'US']);
  });

  it('provider garbage, outages, rate limits and timeouts are retried, and then sent once', async () => {
    const numbers = [
      fakeTwilioNumbers.garbage,
      fakeTwilioNumbers.hang,
      fakeTwilioNumbers.unavailable,
      fakeTwilioNumbers.rateLimited,
    ];
    const incidentId = await newIncident(numbers.map((phone) => ({ phone })));
    const campaigns = campaignsWith();
    const engine = campaigns.engine();
    const id = await launch(campaigns, incidentId, input({ channels: ['sms'] }));
    await engine.runOnce();
    let rows = await rowsOf(id);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(Array(4).fill(['pending', 1]));
    const errors = rows.map((r) => r.error ?? '');
    expect(errors).toEqual(
      expect.arrayContaining([
        'provider answered garbage (HTTP 200)',
        'provider did not answer within 1500 ms; retry later',
        expect.stringContaining('provider is unavailable (HTTP 503'),
        expect.stringContaining('provider is rate limiting (HTTP 429'),
      ]),
    );
    for (const e of errors) expect(e).not.toMatch(/\+?1?202555/);
    for (const phone of numbers) fake.setBehaviour(phone, 'accept');
    await dueNow(id);
    expect(await runToEnd(engine, id)).toBe('finished');
    rows = await rowsOf(id);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(Array(4).fill(['sent', 2]));
    for (const phone of numbers)
      expect(
        fake.messages.filter((m) => m.to === phone),
        phone,
      ).toHaveLength(1);
  });

  it('too many transient failures pause the campaign automatically; resuming sends the rest', async () => {
    const people = Array.from({ length: 60 }, (_, i) => ({ email: `busy-${i}@example.com` }));
    for (const p of people) sink.refuse(p.email, { code: 451, at: 'rcpt' });
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith({ batchSize: 60, concurrency: 8 });
    const engine = campaigns.engine();
    const id = await launch(campaigns, incidentId, input({ errorThreshold: 0.5 }));
    await engine.runOnce();
    // The pause is written after the batch settles, without holding up the engine.
    for (let i = 0; i < 250 && (await statusOf(id)) === 'running'; i++)
      await new Promise((r) => setTimeout(r, 20));
    const paused = await campaigns.service.get(id);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toBe(
      'Paused automatically: 60 of the last 60 attempts failed (threshold 50%). Check the errors and the provider, then resume.',
    );
    // Invariant 2: the automatic pause is audited, in the transaction that paused (the manual one always was).
    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_type', 'details'])
      .where('action', '=', 'campaign.paused')
      .where('target_id', '=', id)
      .execute();
    expect(audited).toEqual([
      { actor_type: 'system', details: { automatic: true, failures: 60, attempts: 60, threshold: 50 } },
    ]);
    for (const p of people) sink.accept(p.email);
    await campaigns.service.move(id, 'resume', { actor: author });
    await dueNow(id);
    expect(await runToEnd(engine, id)).toBe('finished');
    for (const p of people) expect(sink.countFor(p.email)).toBe(1);
  });
});

describe('SMS receipts', () => {
  let incidentId: string;
  let id: string;
  let campaigns: ReturnType<typeof campaignsWith>;
  let sidOf: (phone: string) => string;
  const rowFor = async (sid: string) => (await rowsOf(id)).find((r) => r.provider_id === sid) ?? null;

  beforeAll(async () => {
    incidentId = await newIncident([
      { phone: '+12025553001', address: true },
      { phone: fakeTwilioNumbers.unreachable, address: true },
      { phone: '+12025553003' },
    ]);
    campaigns = campaignsWith();
    id = await launch(campaigns, incidentId, input({ channels: ['sms', 'letter'] }));
    // Its tests follow one another: the campaign stays running between them.
    keepRunning.add(id);
    await campaigns.engine().runOnce();
    sidOf = (phone) => fake.messages.find((m) => m.to === phone)!.sid;
  });
  afterAll(() => {
    keepRunning.delete(id);
  });

  it('the messages went out, each with the row’s id as the idempotency token', async () => {
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.channel, r.state])).toEqual(Array(3).fill(['sms', 'sent']));
    for (const r of rows) {
      expect(fake.messages.find((m) => m.sid === r.provider_id)?.idempotencyToken).toBe(r.message_id);
    }
  });

  // Without a StatusCallback on each message, Twilio never reports delivery or failure: no receipt ever
  // arrives, and an unreachable handset never falls back to a letter.
  it('asks the provider to report to the signed receipts route', () => {
    const sent = fake.messages.filter((m) => ['+12025553001', '+12025553003'].includes(m.to));
    expect(sent.map((m) => m.statusCallback)).toEqual([RECEIPTS_URL, RECEIPTS_URL]);
  });

  // A forged receipt could mark notices delivered that never arrived, or push people to another channel.
  it('a receipt with a bad signature is refused and changes nothing', async () => {
    const sid = sidOf('+12025553001');
    const params = receipt(sid, 'delivered');
    const forged = await postReceipt(params, twilioSignature('not-the-token', RECEIPTS_URL, params));
    expect(forged.statusCode).toBe(401);
    const unsigned = await t.app.inject({
      method: 'POST',
      url: '/api/hooks/sms/twilio',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(params).toString(),
    });
    expect(unsigned.statusCode).toBe(401);
    // Signed for other parameters: the signature covers every one.
    const tampered = await postReceipt(
      { ...params, MessageStatus: 'undelivered', ErrorCode: '30003' },
      twilioSignature(fake.authToken, RECEIPTS_URL, params),
    );
    expect(tampered.statusCode).toBe(401);
    expect((await rowFor(sid))?.state).toBe('sent');
    expect(await t.ctx.db.selectFrom('provider_events').selectAll().execute()).toEqual([]);
  });

  it('a signed "delivered" receipt marks the delivery delivered; a duplicate is applied once', async () => {
    const sid = sidOf('+12025553001');
    expect((await postReceipt(receipt(sid, 'delivered'))).statusCode).toBe(204);
    const first = await t.ctx.db
      .selectFrom('deliveries')
      .select(['state', 'settled_at'])
      .where('provider_id', '=', sid)
      .executeTakeFirstOrThrow();
    expect(first.state).toBe('delivered');
    expect((await postReceipt(receipt(sid, 'delivered'))).statusCode).toBe(204);
    const again = await t.ctx.db
      .selectFrom('deliveries')
      .select(['state', 'settled_at'])
      .where('provider_id', '=', sid)
      .executeTakeFirstOrThrow();
    expect(again).toEqual(first);
    const events = await t.ctx.db.selectFrom('provider_events').select(['provider', 'event_id']).execute();
    expect(events).toEqual([{ provider: 'twilio', event_id: `${sid}:delivered` }]);
  });

  it('an "undelivered" receipt with carrier error 30003 falls back to a letter, which lands in the outbox', async () => {
    const sid = sidOf(fakeTwilioNumbers.unreachable);
    expect((await postReceipt(receipt(sid, 'undelivered', '30003'))).statusCode).toBe(204);
    expect((await postReceipt(receipt(sid, 'undelivered', '30003'))).statusCode).toBe(204);
    const row = (await rowFor(sid))!;
    expect(row).toMatchObject({ state: 'fell_back', error: 'provider reported undelivered (30003)' });
    const letterRow = (await rowsOf(id)).filter((r) => r.pn === row.pn && r.channel === 'letter');
    expect(letterRow.map((r) => [r.state, r.step])).toEqual([['pending', 1]]);
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');
    const letters = await outboxLetters(id);
    expect(letters.map((l) => l.pn)).toEqual([row.pn]);
    expect(letters[0]!.text).toContain('GENERAL-EN Dear Pat');
    expect((await rowsOf(id)).filter((r) => r.channel === 'letter').map((r) => r.state)).toEqual(['sent']);
  });

  // Receipts come minutes after the send, usually after the engine has found nothing left to do. A
  // campaign must not be finished while a fallback it created is still pending (invariant 4), and the
  // letter must still go out.
  it('a failure reported after the campaign finished still sends the fallback letter', async () => {
    const late = await newIncident([{ phone: fakeTwilioNumbers.unreachable, address: true }]);
    const lateId = await launch(campaigns, late, input({ channels: ['sms', 'letter'] }));
    expect(await runToEnd(campaigns.engine(), lateId)).toBe('finished');
    const [sms] = await rowsOf(lateId);
    expect((await postReceipt(receipt(sms!.provider_id!, 'undelivered', '30003'))).statusCode).toBe(204);
    for (let i = 0; i < 3; i++) await campaigns.engine().runOnce();
    const rows = await rowsOf(lateId);
    expect(rows.map((r) => [r.channel, r.state])).toEqual([
      ['sms', 'fell_back'],
      ['letter', 'sent'],
    ]);
    expect(await outboxLetters(lateId)).toHaveLength(1);
    expect(await statusOf(lateId)).toBe('finished');
  });
});

describe('activation codes', () => {
  const codes = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`).join('\n');

  async function assignments(id: string) {
    const rows = await t.ctx.db
      .selectFrom('activation_codes')
      .select(['assigned_pn', 'code_sealed'])
      .where('campaign_id', '=', id)
      .where('assigned_pn', 'is not', null)
      .execute();
    return Promise.all(
      rows.map(async (r) => ({
        pn: r.assigned_pn!,
        code: await t.ctx.crypto.decrypt(r.code_sealed, 'activation_codes.code'),
      })),
    );
  }

  it('two engines at once: each eligible person gets exactly one code, never shared, and one message', async () => {
    const people = Array.from({ length: 60 }, (_, i) => ({
      email: `codes-${i}@example.com`,
      ...(i % 3 !== 0 && { ssn: nextSsn() }),
    }));
    const eligible = people.filter((p) => p.ssn).map((p) => p.email);
    expect(eligible).toHaveLength(40);
    const incidentId = await newIncident(people);
    const [a, b] = [campaignsWith({ batchSize: 5 }), campaignsWith({ batchSize: 5 })];
    let c = await a.service.create(incidentId, input({ activationCodesFor: ['national_id'] }), {
      actor: author,
    });
    await a.service.importCodes(c.id, codes('TWO', 45), { actor: author });
    for (const v of c.variants) c = await a.service.approve(c.id, v.id, v.version, { actor: approver });
    await a.service.start(c.id, null, { actor: author });
    const [statusA, statusB] = await Promise.all([runToEnd(a.engine(), c.id), runToEnd(b.engine(), c.id)]);
    expect([statusA, statusB]).toEqual(['finished', 'finished']);

    for (const p of people) expect(sink.countFor(p.email), p.email).toBe(1);
    const assigned = await assignments(c.id);
    expect(assigned).toHaveLength(40);
    expect(new Set(assigned.map((x) => x.pn)).size).toBe(40);
    expect(new Set(assigned.map((x) => x.code)).size).toBe(40);
    const pns = await pnByAddress(c.id);
    const codeOf = new Map(assigned.map((x) => [x.pn, x.code]));
    for (const p of people) {
      const printed = field(messageTo(p.email).text, 'CODE');
      expect(printed, p.email).toBe(p.ssn ? codeOf.get(pns.get(p.email)!) : '');
    }
  });

  it('running out pauses the campaign with a reason; importing more and resuming completes it', async () => {
    const people = Array.from({ length: 10 }, (_, i) => ({
      email: `short-${i}@example.com`,
      ssn: nextSsn(),
    }));
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith({ batchSize: 5 });
    const engine = campaigns.engine();
    let c = await campaigns.service.create(incidentId, input({ activationCodesFor: ['national_id'] }), {
      actor: author,
    });
    await campaigns.service.importCodes(c.id, codes('FEW', 4), { actor: author });
    for (const v of c.variants)
      c = await campaigns.service.approve(c.id, v.id, v.version, { actor: approver });
    await campaigns.service.start(c.id, null, { actor: author });
    expect(await runToEnd(engine, c.id)).toBe('paused');
    const paused = await campaigns.service.get(c.id);
    expect(paused.pausedReason).toMatch(/^Activation codes ran out: \d+\+ people still need one\./);
    expect(paused.activationCodes).toEqual({ total: 4, assigned: 4, needed: 10 });
    expect(sink.messages).toHaveLength(4);
    for (const m of sink.messages) expect(field(m.text, 'CODE')).toMatch(/^FEW-\d{4}$/);
    expect((await timeline(incidentId)).at(-1)).toBe(
      'Campaign "Notice" paused: activation codes ran out. Import more codes, then resume.',
    );
    const status = await campaigns.service.status(c.id);
    expect(status.byState).toMatchObject({ sent: 4, pending: 6, claimed: 0 });
    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_type', 'details'])
      .where('action', '=', 'campaign.paused')
      .where('target_id', '=', c.id)
      .execute();
    expect(audited).toEqual([{ actor_type: 'system', details: { automatic: true, withoutCode: 1 } }]);

    await campaigns.service.importCodes(c.id, codes('MORE', 6), { actor: author });
    await campaigns.service.move(c.id, 'resume', { actor: author });
    // Released rows wait a minute before they are tried again.
    await dueNow(c.id);
    expect(await runToEnd(engine, c.id)).toBe('finished');
    for (const p of people) expect(sink.countFor(p.email)).toBe(1);
    const assigned = await assignments(c.id);
    expect(assigned).toHaveLength(10);
    expect(new Set(assigned.map((x) => x.code)).size).toBe(10);
    const printed = sink.messages.map((m) => field(m.text, 'CODE')).sort();
    expect(printed).toEqual(assigned.map((x) => x.code).sort());
  });
});

describe('several engines, pause and cancel', () => {
  /** Engines looping on their own until told to stop; records when each pass started and ended. */
  function loop(engines: Engine[]) {
    let isStopping = false;
    const passes: Array<{ engine: number; startedAt: number; endedAt: number }> = [];
    const running = Promise.all(
      engines.map(async (engine, i) => {
        while (!isStopping) {
          const startedAt = Date.now();
          const handled = await engine.runOnce();
          passes.push({ engine: i, startedAt, endedAt: Date.now() });
          if (handled === 0) await new Promise((r) => setTimeout(r, 10));
        }
      }),
    );
    return {
      /** Resolves once every engine has completed a whole pass that began after `since`. */
      async passedSince(since: number) {
        for (;;) {
          if (engines.every((_, i) => passes.some((p) => p.engine === i && p.startedAt > since))) return;
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      async stop() {
        isStopping = true;
        await running;
      },
    };
  }
  const waitFor = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('three engines on one campaign: nobody gets two messages', async () => {
    const people = Array.from({ length: 150 }, (_, i) => ({ email: `many-${i}@example.com` }));
    const incidentId = await newIncident(people);
    const engines = [0, 1, 2].map(() => campaignsWith({ batchSize: 10, concurrency: 3 }));
    const id = await launch(engines[0]!, incidentId, input());
    const statuses = await Promise.all(engines.map((m) => runToEnd(m.engine(), id, 100)));
    expect(statuses).toEqual(['finished', 'finished', 'finished']);
    expect(sink.messages).toHaveLength(150);
    for (const p of people) expect(sink.countFor(p.email), p.email).toBe(1);
  });

  it('pause while two engines run: once the batches in flight settle, nothing more is sent', async () => {
    const people = Array.from({ length: 200 }, (_, i) => ({ email: `pause-${i}@example.com` }));
    const incidentId = await newIncident(people);
    const engines = [0, 1].map(() => campaignsWith({ batchSize: 10, concurrency: 4 }));
    const id = await launch(engines[0]!, incidentId, input({ throttle: { email: 100 } }));
    const running = loop(engines.map((m) => m.engine()));
    try {
      await waitFor(() => sink.messages.length >= 30, '30 messages');
      await engines[0]!.service.move(id, 'pause', { actor: author });
      const pausedAt = Date.now();
      const atPause = sink.messages.length;
      await running.passedSince(pausedAt);
      const settled = sink.messages.length;
      // At most one batch per engine: the one in flight, or the one a pass begun before the pause claims.
      expect(settled - atPause).toBeLessThanOrEqual(2 * 10);
      await running.passedSince(Date.now());
      await running.passedSince(Date.now());
      expect(sink.messages.length).toBe(settled);
      const status = await engines[0]!.service.status(id);
      expect(status.state).toBe('paused');
      expect(status.byState.claimed).toBe(0);
      expect(status.byState.sent).toBe(settled);
      expect(status.byState.pending).toBe(200 - settled);

      await engines[0]!.service.move(id, 'resume', { actor: author });
      await waitFor(() => sink.messages.length >= 200, 'every message');
    } finally {
      await running.stop();
    }
    expect(await runToEnd(engines[0]!.engine(), id)).toBe('finished');
    for (const p of people) expect(sink.countFor(p.email), p.email).toBe(1);
  });

  it('cancel stops the campaign: nothing more is sent, and what was pending stays unsent', async () => {
    const people = Array.from({ length: 150 }, (_, i) => ({ email: `cancel-${i}@example.com` }));
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith({ batchSize: 10, concurrency: 4 });
    const id = await launch(campaigns, incidentId, input({ throttle: { email: 100 } }));
    const running = loop([campaigns.engine()]);
    let settled: number;
    try {
      await waitFor(() => sink.messages.length >= 20, '20 messages');
      await campaigns.service.move(id, 'cancel', { actor: author });
      const cancelledAt = Date.now();
      const atCancel = sink.messages.length;
      await running.passedSince(cancelledAt);
      settled = sink.messages.length;
      expect(settled - atCancel).toBeLessThanOrEqual(10);
      await running.passedSince(Date.now());
      await running.passedSince(Date.now());
    } finally {
      await running.stop();
    }
    expect(sink.messages.length).toBe(settled);
    expect(settled).toBeLessThan(150);
    const status = await campaigns.service.status(id);
    expect(status).toMatchObject({ state: 'cancelled' });
    expect(status.byState.claimed).toBe(0);
    expect(status.byState.pending).toBe(150 - settled);
    expect((await campaigns.service.get(id)).finishedAt).not.toBeNull();
  });
});

describe('edits while paused', () => {
  /** Pauses after the first batch, applies the edit, re-approves, resumes; returns the campaign id. */
  async function editMidway(people: Person[], edit: (body: CampaignInput) => CampaignInput) {
    const incidentId = await newIncident(people);
    const campaigns = campaignsWith({ batchSize: 2 });
    const body = input({
      variants: [
        { name: 'general', default: true, content: { en: content('GENERAL-EN') } },
        {
          name: 'identity',
          rule: { categoriesAny: ['national_id'] },
          content: { en: content('IDENTITY-EN') },
        },
      ],
    });
    const id = await launch(campaigns, incidentId, body);
    await campaigns.engine().runOnce();
    await campaigns.service.move(id, 'pause', { actor: author });
    let edited: Awaited<ReturnType<typeof campaigns.service.update>>;
    try {
      edited = await campaigns.service.update(id, edit(body), { actor: author });
    } catch (error) {
      // Refusing the edit is a fine answer too: nothing is lost then.
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('conflict');
      return { campaigns, id, refused: true };
    }
    for (const v of edited.variants.filter((x) => !x.approved)) {
      await campaigns.service.approve(id, v.id, v.version, { actor: approver });
    }
    await campaigns.service.move(id, 'resume', { actor: author });
    return { campaigns, id, refused: false };
  }

  // Deliveries keep the variant chosen at start. Removing (or renaming) that variant while paused left
  // their people with nothing to render, which was recorded as "no email address on file" and bounced.
  it('removing a variant while paused loses nobody', async () => {
    const people = Array.from({ length: 6 }, (_, i) => ({
      email: `removed-${i}@example.com`,
      ssn: nextSsn(),
    }));
    const { campaigns, id, refused } = await editMidway(people, (body) => ({
      ...body,
      variants: body.variants.filter((v) => v.name !== 'identity'),
    }));
    if (refused) return;
    expect(await runToEnd(campaigns.engine(), id)).toBe('finished');
    const rows = await rowsOf(id);
    expect(rows.filter((r) => r.state !== 'sent').map((r) => r.error)).toEqual([]);
    for (const p of people) expect(sink.countFor(p.email), p.email).toBe(1);
  });

  // Deliveries pending on a channel the edit removed are never claimed again (the engine walks the
  // campaign's channels), so the campaign could never finish.
  it('removing a channel while paused still lets the campaign finish', async () => {
    const people = Array.from({ length: 6 }, (_, i) => ({
      email: `dropped-${i}@example.com`,
      phone: `+1202555400${i}`,
    }));
    const { campaigns, id, refused } = await editMidway(people, (body) => ({ ...body, channels: ['sms'] }));
    if (refused) return;
    expect(await runToEnd(campaigns.engine(), id, 10)).toBe('finished');
  });
});
