import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import { createIncidentsModule } from '../../src/server/modules/incidents/index.ts';
import {
  NEEDS_SMTPUTF8,
  outboxSender,
  type RenderedMessage,
  type Senders,
  smtpSender,
} from '../../src/server/modules/outbound/senders.ts';
import {
  createPeopleModule,
  incidentPeopleFacts,
  type Mapping,
} from '../../src/server/modules/people/index.ts';
import { needsSmtpUtf8, normalizeEmail } from '../../src/server/modules/people/normalize/email.ts';
import type { Actor } from '../../src/server/platform/audit/audit-log.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { testActor } from './helpers.ts';

/**
 * Internationalized email addresses (RFC 6531: `josé.dubois6@…`, IDN domains) were marked malformed, so
 * those people were silently unreachable by email. They are valid; only a non-ASCII local part needs a
 * relay with SMTPUTF8, and without one the delivery says so and falls over to the next channel.
 */
describe('normalizing internationalized addresses', () => {
  it('accepts them: trimmed, NFC, lower-cased', () => {
    expect(normalizeEmail(' José.Dubois6@Exemple.fr ')).toBe('josé.dubois6@exemple.fr');
    // The same name typed with a combining accent (NFD) is the same address.
    expect(normalizeEmail('Jose\u0301.Dubois6@exemple.fr')).toBe('josé.dubois6@exemple.fr');
    expect(normalizeEmail('ΔΙΑΣ@παράδειγμα.gr')).toBe('διας@xn--hxajbheg2az3al.gr');
    expect(normalizeEmail('用户@例子.广告')).toBe('用户@xn--fsqu00a.xn--4rr70v');
  });

  it('gives an IDN domain one canonical form, so both spellings are one blind index', () => {
    const unicode = normalizeEmail('anna@Bücher.de');
    expect(unicode).toBe('anna@xn--bcher-kva.de');
    expect(normalizeEmail('ANNA@xn--bcher-kva.de')).toBe(unicode);
  });

  it('normalizes every address accepted before exactly as before (their blind indexes do not move)', () => {
    // Outputs of the normalizer before internationalized addresses were accepted.
    const before: Array<[string, string | null]> = [
      ['Ann.Smith+news@Example.COM', 'ann.smith+news@example.com'],
      [' mailto:Bo@Example.org ', 'bo@example.org'],
      ['ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'john@example.com'],
      ['ﬁnance@example.com', 'finance@example.com'],
      ['x@bücher.de', 'x@xn--bcher-kva.de'],
      ['X@XN--BCHER-KVA.DE', 'x@xn--bcher-kva.de'],
      ['user@例え.jp', 'user@xn--r8jz45g.jp'],
      ['a@b.co.', 'a@b.co'],
      ["o'neil@example.ie", "o'neil@example.ie"],
      ['a..b@example.com', null],
      ['a@b', null],
      ['"q"@example.com', null],
      [`${'x'.repeat(65)}@example.com`, null],
    ];
    expect(before.map(([raw]) => [raw, normalizeEmail(raw)])).toEqual(before);
  });

  it('refuses what only serves to spoof or breaks the limits', () => {
    expect(normalizeEmail('jo\u200Bse@example.com')).toBeNull(); // zero-width space
    expect(normalizeEmail('josé dubois@example.com')).toBeNull();
    expect(normalizeEmail('jos\u202Eé@example.com')).toBeNull(); // right-to-left override
    expect(normalizeEmail(`${'é'.repeat(33)}@example.com`)).toBeNull(); // 66 bytes > 64
    expect(normalizeEmail('josé@exa mple.com')).toBeNull();
  });

  it('needs SMTPUTF8 only for a non-ASCII local part', () => {
    expect(needsSmtpUtf8(normalizeEmail('josé@example.fr')!)).toBe(true);
    expect(needsSmtpUtf8(normalizeEmail('anna@bücher.de')!)).toBe(false);
    expect(needsSmtpUtf8(normalizeEmail('anna@example.com')!)).toBe(false);
  });
});

const PUBLIC_URL = 'https://notice.example.test';
let t: TestApp;
let withUtf8: SmtpSink;
let withoutUtf8: SmtpSink;
let author: Actor;
let approver: Actor;
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  withUtf8 = await startSmtpSink();
  withoutUtf8 = await startSmtpSink({ smtpUtf8: false });
  t = await createTestApp({ CANDOR_PUBLIC_URL: PUBLIC_URL });
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
  for (const close of closers) await close();
  await t.close();
  await withUtf8.close();
  await withoutUtf8.close();
});

const mapping: Mapping = {
  customer_id: 'customer_id',
  email: 'email',
  name: 'full_name',
  address: 'address_line1',
  city: 'city',
  zip: 'postal_code',
  country: 'country',
};
const HEADER = 'customer_id,email,name,address,city,zip,country';

async function newIncident(...lines: string[]) {
  const incident = await createIncidentsModule(t.ctx, incidentPeopleFacts).service.create(
    { title: 'Webshop', awareAt: new Date(Date.now() - 86_400_000).toISOString() },
    { actor: testActor },
  );
  const summary = await importPeople(t, incident.id, csv(HEADER, ...lines), mapping);
  return { incidentId: incident.id, summary };
}
const population = () => createPeopleModule(t.ctx).service;

describe('importing and counting them', () => {
  it('imports them as reachable by email, with a warning per row and a count of people who need SMTPUTF8', async () => {
    const { incidentId, summary } = await newIncident(
      ',josé.dubois6@exemple.fr,José Dubois,,,,FR',
      ',jörg@bücher.de,Jörg Bauer,,,,DE',
      ',anna@bücher.de,Anna Bauer,,,,DE',
      ',ann@example.com,Ann Lee,,,,US',
    );
    expect(summary).toMatchObject({
      accepted: 4,
      rejected: 0,
      warnings: { total: 2, byKind: { email_needs_smtputf8: 2 } },
    });
    const stats = await population().stats(incidentId);
    expect(stats.reachable).toMatchObject({ email: 4, none: 0, emailNeedsSmtpUtf8: 2 });
    // Either spelling of the domain finds the person.
    for (const spelling of ['ANNA@Bücher.de', 'anna@xn--bcher-kva.de']) {
      const found = await population().find(
        incidentId,
        { kind: 'email', value: spelling },
        { actor: testActor },
      );
      expect(found, spelling).toHaveLength(1);
    }
  });

  it('counts a person by the address notices go to: their latest one', async () => {
    const { incidentId } = await newIncident(
      'K1,josé@exemple.fr,José,,,,FR',
      'K1,jose@exemple.fr,José,,,,FR', // a later address, ASCII: notices go there
      'K2,zoé@exemple.fr,Zoé,,,,FR',
      'K3,anne@exemple.fr,Anne,,,,FR',
      'K3,anné@exemple.fr,Anne,,,,FR', // a later address that needs SMTPUTF8
    );
    const stats = await population().stats(incidentId);
    expect(stats).toMatchObject({ people: 3, reachable: { email: 3, emailNeedsSmtpUtf8: 2 } });
  });
});

function message(to: string, n: number): RenderedMessage {
  return {
    incidentId: null,
    campaignId: null,
    pn: null,
    messageId: `<utf8-${n}-${Date.now()}@candor.test>`,
    to,
    from: 'notices@example.test',
    subject: 'Notice',
    text: 'About the incident.',
    verificationCode: '',
  };
}

describe('sending them over SMTP', () => {
  it('sends over SMTPUTF8 when the relay offers it', async () => {
    const sender = smtpSender({ SMTP_URL: withUtf8.url });
    closers.push(() => sender.close());
    expect(await sender.send(message('josé.dubois6@exemple.fr', 1))).toMatchObject({ ok: true });
    expect(await sender.send(message('anna@bücher.de', 2))).toMatchObject({ ok: true });
    // (smtp-server shows domains in Unicode, whatever form they travelled in.)
    expect(withUtf8.messages.map((m) => [m.to, m.isSmtpUtf8])).toEqual([
      [['josé.dubois6@exemple.fr'], true],
      [['anna@bücher.de'], false],
    ]);
  });

  it('fails the delivery as "email needs SMTPUTF8" (permanent, not a retry) when the relay does not offer it', async () => {
    const sender = smtpSender({ SMTP_URL: withoutUtf8.url });
    closers.push(() => sender.close());
    expect(await sender.send(message('josé.dubois6@exemple.fr', 3))).toEqual({
      ok: false,
      permanent: true,
      reason: NEEDS_SMTPUTF8,
    });
    expect(withoutUtf8.countFor('josé.dubois6@exemple.fr')).toBe(0);
    // An IDN domain needs nothing: it travels in its ASCII form.
    expect(await sender.send(message('anna@bücher.de', 4))).toMatchObject({ ok: true });
    expect(withoutUtf8.messages.map((m) => [m.to, m.isSmtpUtf8])).toEqual([[['anna@bücher.de'], false]]);
  });

  it('a campaign records the reason on the email delivery and falls over to the letter', async () => {
    const { incidentId } = await newIncident(
      'F1,josé.dubois6@exemple.fr,José Dubois,4 Rue de la Paix,Paris,75002,FR',
      'U1,ann@example.com,Ann Lee,5 Main St,Springfield,62701,US',
    );
    const email = smtpSender({ SMTP_URL: withoutUtf8.url });
    const senders: Senders = {
      email,
      sms: outboxSender(t.ctx.db, t.ctx.crypto, 'sms'),
      letter: outboxSender(t.ctx.db, t.ctx.crypto, 'letter'),
      close: () => email.close(),
    };
    const campaigns = createCampaignsModule(t.ctx, {
      senders,
      engine: { batchSize: 10, leaseMs: 5_000, concurrency: 2 },
    });
    closers.push(() => campaigns.close());
    let c = await campaigns.service.create(
      incidentId,
      {
        name: 'Notice',
        channels: ['email', 'letter'],
        defaultLocale: 'en',
        companyName: 'Webshop',
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
                email: { subject: 'Notice', html: '<p>Notice</p>', text: 'Notice {{ link }}' },
                sms: { text: 'Notice {{ link }}' },
                letter: { text: 'Dear {{ person.first_name }}, notice.' },
              },
            },
          },
        ],
      },
      { actor: author },
    );
    for (const v of c.variants)
      c = await campaigns.service.approve(c.id, v.id, v.version, { actor: approver });
    await campaigns.service.start(c.id, null, { actor: author });
    const engine = campaigns.engine();
    for (let i = 0; i < 20; i++) {
      await engine.runOnce();
      const status = await t.ctx.db
        .selectFrom('campaigns')
        .select('status')
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      if (status.status !== 'running') break;
    }
    const rows = await t.ctx.db
      .selectFrom('deliveries')
      .select(['pn', 'channel', 'state', 'error'])
      .where('campaign_id', '=', c.id)
      .orderBy('pn')
      .orderBy('step')
      .execute();
    const josé = rows.filter((r) => r.error === NEEDS_SMTPUTF8);
    expect(josé).toEqual([
      { pn: expect.any(Number), channel: 'email', state: 'fell_back', error: NEEDS_SMTPUTF8 },
    ]);
    expect(rows.filter((r) => r.pn === josé[0]!.pn).map((r) => [r.channel, r.state])).toEqual([
      ['email', 'fell_back'],
      ['letter', 'sent'],
    ]);
    expect(rows.filter((r) => r.pn !== josé[0]!.pn).map((r) => [r.channel, r.state])).toEqual([
      ['email', 'sent'],
    ]);
  });
});
