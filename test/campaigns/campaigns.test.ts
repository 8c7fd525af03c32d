import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/server/demo.ts';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import type { Mapping } from '../../src/server/modules/people/index.ts';
import type {
  CampaignDto,
  CampaignInput,
  CampaignStatusDto,
  PreviewDto,
  VariantDto,
} from '../../src/shared/contracts/campaigns.ts';
import {
  auditRows,
  type Client,
  clientFor,
  createIncident,
  ok,
  problem,
  timelineOf,
} from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';

/**
 * Campaigns through the API: definition checks (templates that do not compile, sandbox escapes), the
 * approval rules of DESIGN invariant 8 (legal, not the author, at the version read; an edit voids it),
 * reach and audiences before start, the lifecycle guards, scheduling, and previews.
 */
const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/campaign.json');
const example = (): CampaignInput => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as CampaignInput;

const mapping: Mapping = {
  customer_id: 'customer_id',
  email: 'email',
  phone: 'phone',
  first_name: 'first_name',
  address: 'address_line1',
  city: 'city',
  zip: 'postal_code',
  country: 'country',
  state: 'region',
  ssn: 'national_id',
  diagnosis: 'category:medical',
  locale: 'locale',
};
/**
 * Three reachable by email (two with an SSN, one Spanish; one with a diagnosis), two by phone only (one
 * Spanish), one by post only, one by nothing (a customer id alone).
 */
const people = csv(
  'customer_id,email,phone,first_name,address,city,zip,country,state,ssn,diagnosis,locale',
  'C1,ann@example.com,,Ann,,,,US,CA,536-22-1001,,en',
  'C2,bob@example.com,,Bob,,,,US,CA,536-22-1002,,es',
  'C3,cy@example.com,,Cy,,,,US,TX,,flu,en',
  'C4,,+12025550101,Dee,,,,US,NY,,,es',
  'C5,,+12025550102,Eve,,,,US,NY,,,',
  'C6,,,Fay,1 Main Street,Springfield,62701,US,IL,,,',
  'C7,,,Gus,,,,US,,,,',
);

let t: TestApp;
let commsUser: SignedInUser;
let legalUser: SignedInUser;
let adminUser: SignedInUser;
let comms: Client;
let legal: Client;
let legal2: Client;
let admin: Client;
let incidentId: string;

beforeAll(async () => {
  t = await createTestApp();
  commsUser = await createSignedInUser(t, 'comms');
  legalUser = await createSignedInUser(t, 'legal');
  adminUser = await createSignedInUser(t, 'admin');
  comms = clientFor(t, commsUser);
  legal = clientFor(t, legalUser);
  legal2 = clientFor(t, await createSignedInUser(t, 'legal'));
  admin = clientFor(t, adminUser);
  incidentId = (await createIncident(admin, { title: 'Customer database' })).id;
  // The company's name, as an admin sets it in Settings → Branding: notices print it.
  ok(await admin.put('/api/settings/branding', { companyName: 'Example Shop', primaryColor: '#1f5fbf' }));
  expect(await importPeople(t, incidentId, people, mapping)).toMatchObject({ accepted: 7, people: 7 });
});
afterAll(() => t.close());

const create = async (body: unknown, client = comms, incident = incidentId) =>
  ok<CampaignDto>(await client.post(`/api/incidents/${incident}/campaigns`, body));
const get = async (id: string) => ok<CampaignDto>(await comms.get(`/api/campaigns/${id}`));
const variant = (c: CampaignDto, name: string): VariantDto => {
  const found = c.variants.find((v) => v.name === name);
  if (!found) throw new Error(`no variant ${name} among ${c.variants.map((v) => v.name).join(', ')}`);
  return found;
};
const approve = (c: CampaignDto, name: string, client = legal, version = variant(c, name).version) =>
  client.post(`/api/campaigns/${c.id}/variants/${variant(c, name).id}/approve`, { version });
async function approveAll(c: CampaignDto, client = legal): Promise<CampaignDto> {
  let current = c;
  for (const v of c.variants) current = ok<CampaignDto>(await approve(current, v.name, client));
  return current;
}
const move = (c: { id: string }, action: 'pause' | 'resume' | 'cancel', client = comms) =>
  client.post(`/api/campaigns/${c.id}/${action}`);
const start = (c: { id: string }, body: { at?: string } = {}) =>
  comms.post(`/api/campaigns/${c.id}/start`, body);

/** A one-variant campaign with plain templates in English (and Spanish when asked). */
function simple(overrides: Partial<CampaignInput> = {}, variants?: CampaignInput['variants']): CampaignInput {
  const content = (marker: string) => ({
    email: {
      subject: `${marker} notice from {{ company.name }}`,
      html: `<p>${marker} {{ person.first_name | default: "customer" }}: {{ link }}</p>`,
      text: `${marker} {{ person.first_name | default: "customer" }}: {{ link }}`,
    },
    sms: { text: `${marker} {{ company.name }}: {{ link }}` },
    letter: { text: `${marker} Dear {{ person.first_name | default: "customer" }}, {{ link }}` },
  });
  return {
    name: 'Simple notice',
    channels: ['email', 'sms', 'letter'],
    defaultLocale: 'en',
    companyName: 'Example Shop',
    contact: { phone: '+1 800 555 0100' },
    activationCodesFor: [],
    throttle: {},
    errorThreshold: 0.25,
    variants: variants ?? [
      { name: 'general', default: true, content: { en: content('EN'), es: content('ES') } },
    ],
    ...overrides,
  };
}

describe('creating a campaign from the example file', () => {
  let created: CampaignDto;

  it('is a draft whose variants all wait for legal approval, with the people each will reach', async () => {
    created = await create(example());
    expect(created).toMatchObject({
      incidentId,
      status: 'draft',
      channels: ['email', 'sms', 'letter'],
      // The example names no company: its notices print the company name setting.
      companyName: null,
      printedCompanyName: 'Example Shop',
      isCompanyNameOverride: false,
      warnings: [],
      readyToStart: false,
      activationCodesFor: ['national_id', 'drivers_license', 'passport', 'tax_id'],
      // Ann and Bob had an SSN exposed: they each need a credit-monitoring code.
      activationCodes: { total: 0, assigned: 0, needed: 2 },
    });
    expect(created.variants.map((v) => [v.name, v.approved, v.version, v.author])).toEqual([
      ['identity', false, 1, commsUser.email],
      ['credentials', false, 1, commsUser.email],
      ['general', false, 1, commsUser.email],
    ]);
    expect(created.blockers).toEqual([
      'Waiting for approval by legal: "identity", "credentials", "general" (the author cannot approve their own).',
    ]);
    expect(await auditRows(t, 'campaign.created', created.id)).toHaveLength(1);
  });

  it('counts reach by the first channel that reaches each person, and those none reaches, before start', () => {
    expect(created.reach).toEqual({ byChannel: { email: 3, sms: 2, letter: 1 }, unreachable: 1, total: 7 });
    // First match wins: Ann and Bob (SSN) get "identity"; nobody had a password exposed; the rest "general".
    expect(created.variants.map((v) => [v.name, v.audience])).toEqual([
      ['identity', 2],
      ['credentials', 0],
      ['general', 5],
    ]);
  });

  it('counts reach over the campaign’s own channels only', async () => {
    const emailOnly = await create(simple({ channels: ['email'] }));
    expect(emailOnly.reach).toEqual({ byChannel: { email: 3 }, unreachable: 4, total: 7 });
    const smsThenLetter = await create(simple({ channels: ['sms', 'letter'] }));
    expect(smsThenLetter.reach).toEqual({ byChannel: { sms: 2, letter: 1 }, unreachable: 4, total: 7 });
  });

  it('is listed for its incident', async () => {
    const list = ok<{ campaigns: Array<{ id: string }> }>(
      await comms.get(`/api/incidents/${incidentId}/campaigns`),
    );
    expect(list.campaigns.map((c) => c.id)).toContain(created.id);
  });

  it('is refused for an unknown incident, and by a role that cannot write campaigns', async () => {
    problem(
      await comms.post('/api/incidents/00000000-0000-4000-8000-000000000000/campaigns', example()),
      404,
      'not_found',
    );
    problem(await legal.post(`/api/incidents/${incidentId}/campaigns`, example()), 403, 'forbidden');
  });
});

describe('variant audiences', () => {
  it('first match wins, in the order given, and the default catches the rest wherever it is listed', async () => {
    const base = simple();
    const content = base.variants[0]!.content;
    const c = await create(
      simple({}, [
        { name: 'everyone else', default: true, content },
        { name: 'ssn', rule: { categoriesAny: ['national_id'] }, content },
        { name: 'ssn or medical', rule: { categoriesAny: ['national_id', 'medical'] }, content },
        { name: 'spanish', rule: { locales: ['es'] }, content },
        { name: 'texas', rule: { jurisdictions: ['US-TX'] }, content },
      ]),
    );
    expect(Object.fromEntries(c.variants.map((v) => [v.name, v.audience]))).toEqual({
      ssn: 2, // Ann, Bob
      'ssn or medical': 1, // Cy (Ann and Bob went to "ssn")
      spanish: 1, // Dee (Bob went to "ssn")
      texas: 0, // Cy went to "ssn or medical"
      'everyone else': 3, // Eve, Fay, Gus
    });
  });

  it('without a default, people matching no variant block the start', async () => {
    const content = simple().variants[0]!.content;
    let c = await create(
      simple({}, [{ name: 'ssn only', rule: { categoriesAny: ['national_id'] }, content }]),
    );
    expect(c.blockers).toContain('5 people match no variant: add a default variant.');
    c = await approveAll(c);
    expect(c.blockers).toEqual(['5 people match no variant: add a default variant.']);
    expect(c.readyToStart).toBe(false);
    const refused = problem(await start(c), 409, 'conflict');
    expect(refused.detail).toContain('5 people match no variant');
    expect((await get(c.id)).status).toBe('draft');
  });

  it('an incident without people cannot start', async () => {
    const empty = (await createIncident(admin, { title: 'Nobody yet' })).id;
    const c = await approveAll(await create(simple(), comms, empty));
    expect(c.blockers).toEqual(['The incident has no affected people yet: import them first.']);
    problem(await start(c), 409, 'conflict');
  });
});

describe('templates are checked when saved', () => {
  const withEmailText = (text: string, locale: 'en' | 'es' = 'es') => {
    const input = simple();
    input.variants[0]!.content[locale]!.email!.text = text;
    return input;
  };

  it('a template that does not parse is refused, naming the variant, locale, channel, part and line', async () => {
    const body = problem(
      await comms.post(
        `/api/incidents/${incidentId}/campaigns`,
        withEmailText('Hola\n{% if person.first_name %}'),
      ),
      400,
      'validation_failed',
    );
    expect(body.detail).toContain('Variant "general" (es) email text, line 2');
    expect(body.detail).toContain('not closed');
    expect(body.fields?.[0]?.path).toBe('variants.general.content.es.email.text');
  });

  it('an unknown variable is refused with its name and line', async () => {
    const body = problem(
      await comms.post(
        `/api/incidents/${incidentId}/campaigns`,
        withEmailText('Hello\n\nYour number {{ person.ssn }} leaked.', 'en'),
      ),
      400,
      'validation_failed',
    );
    expect(body.detail).toContain('Variant "general" (en) email text, line 3');
    expect(body.detail).toContain('"person.ssn"');
  });

  it('a channel the campaign sends by but the variant lacks is refused', async () => {
    const input = simple();
    delete input.variants[0]!.content.es!.sms;
    const body = problem(
      await comms.post(`/api/incidents/${incidentId}/campaigns`, input),
      400,
      'validation_failed',
    );
    expect(body.detail).toBe('Variant "general" (es) has no sms message, but the campaign sends by sms.');
  });

  // Invariant 7 (templates are data, not code): the attack on status-page software read server files
  // through template includes and reached Object's prototype through property chains. Each is refused at
  // save time, before anything is stored.
  it.each([
    ["{% include 'x' %}", 'The {% include %} tag is not allowed'],
    ["{% render '/etc/passwd' %}", 'The {% render %} tag is not allowed'],
    ["{% layout 'base' %}", 'The {% layout %} tag is not allowed'],
    ['{{ person.constructor.name }}', '"constructor" cannot be used in a template'],
  ])('a sandbox escape (%s) is refused', async (source, message) => {
    const before = await t.ctx.db
      .selectFrom('campaigns')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const body = problem(
      await comms.post(`/api/incidents/${incidentId}/campaigns`, withEmailText(source, 'en')),
      400,
      'validation_failed',
    );
    expect(body.detail).toContain(message);
    const after = await t.ctx.db
      .selectFrom('campaigns')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('an SMS over three segments is saved with a warning the approver sees', async () => {
    const input = simple();
    input.variants[0]!.content.en!.sms = {
      text: `${'Your data was involved in an incident. '.repeat(12)}{{ link }}`,
    };
    input.variants[0]!.content.es!.sms = { text: 'Corto: {{ link }}' };
    const c = await create(input);
    const [warning, ...more] = variant(c, 'general').warnings;
    expect(more).toEqual([]);
    expect(warning).toMatch(/^The en SMS text is 4 segments \(GSM-7, \d+ characters\)/);
    expect(warning).toContain('over the limit of 3');
    // An emoji makes it UCS-2, where a segment holds far fewer characters.
    input.variants[0]!.content.en!.sms = { text: `${'Datos 🙂 '.repeat(40)}{{ link }}` };
    const ucs = ok<CampaignDto>(await comms.put(`/api/campaigns/${c.id}`, input));
    expect(variant(ucs, 'general').warnings[0]).toMatch(/^The en SMS text is \d+ segments \(UCS-2,/);
    const short = ok<CampaignDto>(await comms.put(`/api/campaigns/${c.id}`, simple()));
    expect(variant(short, 'general').warnings).toEqual([]);
  });
});

/** A campaign's variants as the database holds them (same key order), for edits that leave them alone. */
async function storedVariants(campaignId: string): Promise<CampaignInput['variants']> {
  const rows = await t.ctx.db
    .selectFrom('campaign_variants')
    .select(['name', 'is_default', 'rule', 'content'])
    .where('campaign_id', '=', campaignId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    ...(r.is_default && { default: true }),
    rule: r.rule as CampaignInput['variants'][number]['rule'],
    content: r.content as CampaignInput['variants'][number]['content'],
  }));
}

describe('approval (invariant 8)', () => {
  let c: CampaignDto;

  beforeAll(async () => {
    c = await create(example());
  });

  it('a comms user (the author) cannot approve: the role lacks campaigns:approve', async () => {
    problem(await approve(c, 'general', comms), 403, 'forbidden');
    expect(variant(await get(c.id), 'general').approved).toBe(false);
  });

  it('a legal user who did not write it approves it at the version they read', async () => {
    const after = ok<CampaignDto>(await approve(c, 'general', legal));
    expect(variant(after, 'general')).toMatchObject({
      approved: true,
      approvedBy: legalUser.email,
      version: 1,
    });
    expect(variant(after, 'identity').approved).toBe(false);
    const audit = await auditRows(t, 'campaign.variant_approved', c.id);
    expect(audit.at(-1)).toMatchObject({
      actor_id: legalUser.id,
      details: { variantId: variant(c, 'general').id, version: 1 },
    });
    problem(await approve(c, 'general', legal2), 409, 'conflict');
  });

  it('approving a version that is not the current one is a conflict', async () => {
    const stale = problem(await approve(c, 'identity', legal, 7), 409, 'conflict');
    expect(stale.detail).toContain('changed since you read it (now version 1)');
    expect(variant(await get(c.id), 'identity').approved).toBe(false);
  });

  it('start is refused while any variant is unapproved, with the blocker', async () => {
    const refused = problem(await start(c), 409, 'conflict');
    expect(refused.detail).toContain('Waiting for approval by legal: "identity", "credentials"');
    expect(
      await t.ctx.db.selectFrom('deliveries').select('pn').where('campaign_id', '=', c.id).execute(),
    ).toEqual([]);
  });

  it('an edit voids the approval of the changed variants only and makes the editor their author', async () => {
    c = ok<CampaignDto>(await approve(c, 'identity'));
    c = ok<CampaignDto>(await approve(c, 'credentials'));
    expect(c.readyToStart).toBe(true);
    const edited = example();
    edited.variants[2]!.content.en!.sms!.text = '{{ company.name }}: read this now: {{ link }}';
    const after = ok<CampaignDto>(await admin.put(`/api/campaigns/${c.id}`, edited));
    expect(after.variants.map((v) => [v.name, v.version, v.approved, v.author])).toEqual([
      ['identity', 1, true, commsUser.email],
      ['credentials', 1, true, commsUser.email],
      ['general', 2, false, adminUser.email],
    ]);
    const authors = await t.ctx.db
      .selectFrom('campaign_variants')
      .select(['name', 'author_id'])
      .where('campaign_id', '=', c.id)
      .execute();
    expect(Object.fromEntries(authors.map((a) => [a.name, a.author_id]))).toEqual({
      identity: commsUser.id,
      credentials: commsUser.id,
      general: adminUser.id,
    });
    expect((await auditRows(t, 'campaign.updated', c.id)).at(-1)?.details).toEqual({
      approvalsVoided: ['general'],
    });
    expect(after.readyToStart).toBe(false);
    problem(await start(after), 409, 'conflict');
    c = after;
  });

  it('the editor (an admin, who may approve others’ work) cannot approve what they wrote', async () => {
    const refused = problem(await approve(c, 'general', admin), 403, 'forbidden');
    expect(refused.detail).toContain('You wrote this variant');
    problem(await approve(c, 'general', legal, 1), 409, 'conflict');
    c = ok<CampaignDto>(await approve(c, 'general', legal, 2));
    expect(variant(c, 'general')).toMatchObject({ approved: true, approvedBy: legalUser.email });
    for (const v of c.variants.filter((x) => !x.approved)) c = ok<CampaignDto>(await approve(c, v.name));
    expect(c.readyToStart).toBe(true);
    expect(c.blockers).toEqual([]);
  });

  it('saving the same content again voids nothing', async () => {
    const edited = example();
    edited.variants[2]!.content.en!.sms!.text = '{{ company.name }}: read this now: {{ link }}';
    const again = ok<CampaignDto>(await comms.put(`/api/campaigns/${c.id}`, edited));
    expect(again.variants.map((v) => [v.version, v.approved])).toEqual([
      [1, true],
      [1, true],
      [2, true],
    ]);
  });

  // Invariant 8 says any later edit voids the approval. The company name and contact details are printed in
  // every notice ("Call {{ contact.phone }}"): changing them after approval changes what people read, so a
  // comms user could swap the hotline or the verification URL for one nobody in legal has seen.
  it('an edit of what the notices print (contact details, company name) voids the approvals', async () => {
    const c = await approveAll(await create(example()));
    // Through the service with the variants exactly as stored (same key order), so that only the
    // campaign's own fields differ: the API cannot send variants unchanged yet (see the test above).
    const service = createCampaignsModule(t.ctx).service;
    const meta = { actor: { type: 'user' as const, id: commsUser.id, label: 'comms' } };
    const edited = { ...example(), variants: await storedVariants(c.id) };
    expect((await service.update(c.id, edited, meta)).readyToStart).toBe(true);
    edited.contact.phone = '+1 900 555 0199';
    edited.contact.url = 'https://example-shop-refunds.example.net/verify';
    edited.companyName = 'Example Shop Refunds';
    const after = await service.update(c.id, edited, meta);
    expect(after.contact.phone).toBe('+1 900 555 0199');
    expect(after.readyToStart).toBe(false);
    expect(after.variants.filter((v) => v.approved).map((v) => v.name)).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('starting creates a delivery per person: pending on their first channel, suppressed when none reaches them', async () => {
    const c = await approveAll(await create(simple()));
    const started = ok<CampaignDto>(await start(c));
    expect(started.status).toBe('running');
    expect(started.startedAt).not.toBeNull();
    const status = ok<CampaignStatusDto>(await comms.get(`/api/campaigns/${c.id}/status`));
    expect(status).toMatchObject({
      state: 'running',
      total: 7,
      byState: { pending: 6, suppressed: 1, sent: 0, claimed: 0 },
      byChannel: {
        email: { pending: 3, suppressed: 1 },
        sms: { pending: 2 },
        letter: { pending: 1 },
      },
    });
    const suppressed = await t.ctx.db
      .selectFrom('deliveries')
      .select(['error', 'message_id', 'verification_code'])
      .where('campaign_id', '=', c.id)
      .where('state', '=', 'suppressed')
      .executeTakeFirstOrThrow();
    expect(suppressed.error).toBe('no channel of this campaign can reach this person');
    const rows = await t.ctx.db
      .selectFrom('deliveries')
      .select(['message_id', 'verification_code'])
      .where('campaign_id', '=', c.id)
      .execute();
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(7);
    expect(new Set(rows.map((r) => r.verification_code)).size).toBe(7);
    const events = await timelineOf(admin, incidentId);
    expect(events.some((e) => e.kind === 'campaign' && e.summary.includes('started: 7 people'))).toBe(true);
    expect(await auditRows(t, 'campaign.started', c.id)).toHaveLength(1);
    ok(await move(c, 'cancel'));
  });

  it('pause, resume and cancel are refused from the wrong states', async () => {
    const c = await approveAll(await create(simple()));
    problem(await move(c, 'pause'), 409, 'conflict');
    problem(await move(c, 'resume'), 409, 'conflict');
    ok(await start(c));
    problem(await start(c), 409, 'conflict');
    problem(await move(c, 'resume'), 409, 'conflict');
    // A running campaign must be paused before it is edited.
    problem(await comms.put(`/api/campaigns/${c.id}`, simple()), 409, 'conflict');
    const paused = ok<CampaignDto>(await move(c, 'pause'));
    // Staff are named, not labelled by role (no display name: the email).
    expect(paused).toMatchObject({ status: 'paused', pausedReason: `Paused by ${commsUser.email}` });
    problem(await move(c, 'pause'), 409, 'conflict');
    problem(await start(c), 409, 'conflict');
    expect(ok<CampaignDto>(await move(c, 'resume'))).toMatchObject({ status: 'running', pausedReason: null });
    expect(ok<CampaignDto>(await move(c, 'cancel')).status).toBe('cancelled');
    for (const action of ['pause', 'resume', 'cancel'] as const)
      problem(await move(c, action), 409, 'conflict');
    problem(await start(c), 409, 'conflict');
    problem(await comms.put(`/api/campaigns/${c.id}`, simple()), 409, 'conflict');
  });

  it('an edit while paused voids the approval, and resume waits for a new one', async () => {
    const c = await approveAll(await create(simple()));
    ok(await start(c));
    ok(await move(c, 'pause'));
    const edited = simple();
    edited.variants[0]!.content.en!.sms = { text: 'Updated: {{ link }}' };
    const after = ok<CampaignDto>(await comms.put(`/api/campaigns/${c.id}`, edited));
    expect(after.status).toBe('paused');
    const refused = problem(await move(c, 'resume'), 409, 'conflict');
    expect(refused.detail).toContain('Edited variants need approval again before resuming: "general"');
    await approveAll(after);
    expect(ok<CampaignDto>(await move(c, 'resume')).status).toBe('running');
    ok(await move(c, 'cancel'));
  });

  it('a campaign paused before its scheduled start resumes as a draft', async () => {
    const c = await approveAll(await create(simple()));
    const at = new Date(Date.now() + 3_600_000).toISOString();
    expect(ok<CampaignDto>(await start(c, { at })).status).toBe('scheduled');
    expect(ok<CampaignDto>(await move(c, 'pause')).status).toBe('paused');
    expect(ok<CampaignDto>(await move(c, 'resume'))).toMatchObject({ status: 'draft', startedAt: null });
    ok(await move(c, 'cancel'));
  });
});

describe('scheduling', () => {
  let c: CampaignDto;
  let engine: ReturnType<ReturnType<typeof createCampaignsModule>['engine']>;
  let campaigns: ReturnType<typeof createCampaignsModule>;
  const deliveries = async () =>
    t.ctx.db.selectFrom('deliveries').select(['pn', 'state']).where('campaign_id', '=', c.id).execute();

  beforeAll(async () => {
    // No SMTP server or SMS provider configured: every channel goes to the embedded outbox.
    campaigns = createCampaignsModule(t.ctx, { engine: { batchSize: 50, leaseMs: 10_000 } });
    engine = campaigns.engine();
    c = await approveAll(await create(simple()));
  });
  afterAll(() => campaigns.close());

  it('a start time in the future schedules the campaign and creates no delivery yet', async () => {
    const at = new Date(Date.now() + 3_600_000);
    at.setMilliseconds(0);
    const scheduled = ok<CampaignDto>(await start(c, { at: at.toISOString() }));
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledAt: at.toISOString(), startedAt: null });
    await engine.runOnce();
    expect((await get(c.id)).status).toBe('scheduled');
    expect(await deliveries()).toEqual([]);
    const events = await timelineOf(admin, incidentId);
    expect(
      events.some((e) => e.summary === `Campaign "Simple notice" scheduled for ${at.toISOString()}.`),
    ).toBe(true);
  });

  it('an edit of a scheduled campaign takes it back to draft, waiting for approval again', async () => {
    const edited = simple();
    edited.variants[0]!.content.en!.letter = { text: 'Dear {{ person.first_name }}, see {{ link }}' };
    const after = ok<CampaignDto>(await comms.put(`/api/campaigns/${c.id}`, edited));
    expect(after).toMatchObject({ status: 'draft', scheduledAt: null, readyToStart: false });
    c = await approveAll(after);
    ok(await start(c, { at: new Date(Date.now() + 3_600_000).toISOString() }));
  });

  it('the engine promotes it once its time has come, and sends it', async () => {
    await t.ctx.db
      .updateTable('campaigns')
      .set({ scheduled_at: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', c.id)
      .execute();
    await engine.runOnce();
    const running = await get(c.id);
    expect(['running', 'finished']).toContain(running.status);
    expect(running.startedAt).not.toBeNull();
    expect(running.scheduledAt).toBeNull();
    expect(await deliveries()).toHaveLength(7);
    for (let i = 0; i < 5 && (await get(c.id)).status !== 'finished'; i++) await engine.runOnce();
    expect((await get(c.id)).status).toBe('finished');
    const states = (await deliveries()).map((d) => d.state).sort();
    expect(states).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'suppressed']);
  });

  it('a finished campaign cannot be paused, resumed, cancelled, edited or started', async () => {
    for (const action of ['pause', 'resume', 'cancel'] as const)
      problem(await move(c, action), 409, 'conflict');
    problem(await start(c), 409, 'conflict');
    problem(await comms.put(`/api/campaigns/${c.id}`, simple()), 409, 'conflict');
  });

  it('a start time in the past starts now', async () => {
    const now = await approveAll(await create(simple()));
    const started = ok<CampaignDto>(await start(now, { at: new Date(Date.now() - 60_000).toISOString() }));
    expect(started.status).toBe('running');
    ok(await move(now, 'cancel'));
  });
});

describe('previews', () => {
  let c: CampaignDto;

  beforeAll(async () => {
    c = await create(example());
  });

  it('renders each variant for a sample person in the locale asked, else the default locale', async () => {
    const identity = variant(c, 'identity').id;
    const es = ok<PreviewDto>(
      await comms.get(`/api/campaigns/${c.id}/preview?variantId=${identity}&channel=email&locale=es`),
    );
    expect(es.locale).toBe('es');
    expect(es.subject).toBe(
      'Importante: un incidente de seguridad en Example Shop afectó a información delicada sobre ti',
    );
    expect(es.text).toContain('Hola, Alex:');
    expect(es.html).toContain('<h2>Qué ocurrió</h2>');
    const fr = ok<PreviewDto>(
      await comms.get(`/api/campaigns/${c.id}/preview?variantId=${identity}&channel=email&locale=fr`),
    );
    expect(fr.locale).toBe('en');
    expect(fr.subject).toContain('Important: sensitive information about you');
    const sms = ok<PreviewDto>(
      await comms.get(`/api/campaigns/${c.id}/preview?variantId=${identity}&channel=sms`),
    );
    expect(sms).toMatchObject({ channel: 'sms', subject: null, html: null });
    expect(sms.smsSegments).toMatchObject({ encoding: 'GSM-7' });
    expect(sms.smsSegments!.segments).toBeGreaterThanOrEqual(1);
  });

  it('renders for a real person found by email, in their locale, and audits the read', async () => {
    const general = variant(c, 'general').id;
    const before = (await auditRows(t, 'campaign.previewed_for_person', c.id)).length;
    const preview = ok<PreviewDto>(
      await legal.post(`/api/campaigns/${c.id}/preview-person`, {
        variantId: general,
        channel: 'email',
        email: 'BOB@example.com',
      }),
    );
    expect(preview.locale).toBe('es');
    expect(preview.text).toContain('Hola, Bob:');
    const audit = await auditRows(t, 'campaign.previewed_for_person', c.id);
    expect(audit).toHaveLength(before + 1);
    expect(audit.at(-1)).toMatchObject({ actor_id: legalUser.id, details: { found: true, by: 'email' } });
    // The audit row names how the person was found, never who.
    expect(JSON.stringify(audit.at(-1))).not.toContain('bob');
  });

  it('an unknown person is not found, and the search is audited too', async () => {
    const general = variant(c, 'general').id;
    problem(
      await legal.post(`/api/campaigns/${c.id}/preview-person`, {
        variantId: general,
        channel: 'email',
        email: 'nobody@example.com',
      }),
      404,
      'not_found',
    );
    expect((await auditRows(t, 'campaign.previewed_for_person', c.id)).at(-1)?.details).toEqual({
      found: false,
      by: 'email',
    });
  });

  it('a role that may not read personal data cannot preview for a person', async () => {
    problem(
      await comms.post(`/api/campaigns/${c.id}/preview-person`, {
        variantId: variant(c, 'general').id,
        channel: 'email',
        email: 'bob@example.com',
      }),
      403,
      'forbidden',
    );
  });

  it('a test send goes to a staff address only', async () => {
    const general = variant(c, 'general').id;
    const sent = ok<{ ok: true; transport: string }>(
      await comms.post(`/api/campaigns/${c.id}/test-send`, {
        variantId: general,
        locale: 'es',
        to: legalUser.email.toUpperCase(),
      }),
    );
    expect(sent).toEqual({ ok: true, transport: 'outbox' });
    const mail = await t.ctx.db
      .selectFrom('staff_outbox')
      .select(['to_address', 'subject', 'purpose'])
      .where('purpose', '=', 'campaign_test_send')
      .execute();
    expect(mail).toEqual([
      {
        to_address: legalUser.email.toUpperCase(),
        subject: '[TEST] Aviso de un incidente de seguridad en Example Shop',
        purpose: 'campaign_test_send',
      },
    ]);
    expect(await auditRows(t, 'campaign.test_sent', c.id)).toHaveLength(1);
    const refused = problem(
      await comms.post(`/api/campaigns/${c.id}/test-send`, { variantId: general, to: 'ann@example.com' }),
      400,
      'validation_failed',
    );
    expect(refused.detail).toContain('staff addresses only');
    expect(
      await t.ctx.db
        .selectFrom('staff_outbox')
        .select('id')
        .where('purpose', '=', 'campaign_test_send')
        .execute(),
    ).toHaveLength(1);
  });
});

describe('activation codes', () => {
  it('imports a pool, refuses duplicates, and refuses a file with a bad code whole', async () => {
    const c = await create(example());
    const first = ok(
      await comms.post(`/api/campaigns/${c.id}/activation-codes`, {
        csv: 'code\nCM-0001\nCM-0002\nCM-0001\n',
      }),
    );
    expect(first).toEqual({ added: 2, duplicates: 1, total: 2 });
    const second = ok(
      await comms.post(`/api/campaigns/${c.id}/activation-codes`, { csv: 'CM-0002\nCM-0003\n' }),
    );
    expect(second).toEqual({ added: 1, duplicates: 1, total: 3 });
    const bad = problem(
      await comms.post(`/api/campaigns/${c.id}/activation-codes`, { csv: 'CM-0004\nnot a code\n' }),
      400,
      'validation_failed',
    );
    expect(bad.detail).toContain('Code 2 is not a valid code');
    expect((await get(c.id)).activationCodes).toEqual({ total: 3, assigned: 0, needed: 2 });
    const sealed = await t.ctx.db
      .selectFrom('activation_codes')
      .select('code_sealed')
      .where('campaign_id', '=', c.id)
      .execute();
    for (const row of sealed) expect(Buffer.from(row.code_sealed).toString('latin1')).not.toContain('CM-000');
  });
});

describe('the demo', () => {
  it('creates an incident of 666 people with an approved campaign, ready to start', async () => {
    const demo = await createDemo(t.ctx, { type: 'system', id: null, label: 'demo-test' });
    expect(demo.people).toBe(666);
    const c = await get(demo.campaignId);
    expect(c).toMatchObject({ status: 'draft', readyToStart: true, blockers: [] });
    expect(c.variants.every((v) => v.approved)).toBe(true);
    expect(c.activationCodes.total).toBeGreaterThanOrEqual(c.activationCodes.needed);
    expect(c.activationCodes.needed).toBeGreaterThan(0);
    expect(c.reach.total).toBe(666);
  }, 60_000);
});
