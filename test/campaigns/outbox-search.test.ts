import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import type { CampaignDto, CampaignInput } from '../../src/shared/contracts/campaigns.ts';
import { type Client, clientFor, createIncident, ok, problem } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The campaign outbox searched by recipient (blind index of the normalized address or number, exact, in a
 * POST body), filtered by channel and delivery state, and opened at one message by its id.
 */
const mapping = {
  customer: 'customer_id',
  email: 'email',
  phone: 'phone',
  first: 'first_name',
  street: 'address_line1',
  city: 'city',
  zip: 'postal_code',
  country: 'country',
} as const;
const people = csv(
  'customer,email,phone,first,street,city,zip,country',
  'C1,ann.lee@example.com,,Ann,,,,US',
  'C2,bob.ray@example.com,,Bob,,,,US',
  'C3,,+12025550103,Cy,,,,US',
  'C4,,,Dee,1 Main Street,Springfield,62701,US',
);
const campaignInput: CampaignInput = {
  name: 'Notice',
  channels: ['email', 'sms', 'letter'],
  defaultLocale: 'en',
  companyName: 'Example Shop',
  contact: { postal: 'Example Shop, 1 Main Street, Springfield, IL 62701, USA' },
  activationCodesFor: [],
  throttle: {},
  errorThreshold: 0.25,
  variants: [
    {
      name: 'general',
      default: true,
      content: {
        en: {
          email: { subject: 'Notice', html: '<p>Notice {{ link }}</p>', text: 'Notice {{ link }}' },
          sms: { text: 'Notice {{ link }}' },
          letter: { text: 'Dear {{ person.first_name }}, notice. Code {{ verification_code }}.' },
        },
      },
    },
  ],
};

type Page = {
  messages: Array<{ id: number; channel: string; to: string; state: string | null }>;
  total: number;
  nextBefore: number | null;
};

let t: TestApp;
let admin: Client;
let comms: Client;
let agent: Client;
let campaign: CampaignDto;
let campaigns: ReturnType<typeof createCampaignsModule>;

beforeAll(async () => {
  t = await createTestApp();
  admin = clientFor(t, await createSignedInUser(t, 'admin'));
  comms = clientFor(t, await createSignedInUser(t, 'comms'));
  agent = clientFor(t, await createSignedInUser(t, 'agent'));
  const legal = clientFor(t, await createSignedInUser(t, 'legal'));
  campaigns = createCampaignsModule(t.ctx);
  const incident = await createIncident(admin, { title: 'Shop breach' });
  await importPeople(t, incident.id, people, mapping);
  campaign = ok<CampaignDto>(await comms.post(`/api/incidents/${incident.id}/campaigns`, campaignInput));
  for (const v of campaign.variants) {
    ok(await legal.post(`/api/campaigns/${campaign.id}/variants/${v.id}/approve`, { version: v.version }));
  }
  ok(await comms.post(`/api/campaigns/${campaign.id}/start`, {}));
  for (let pass = 0; pass < 10; pass++) {
    await campaigns.engine().runOnce();
    campaign = ok<CampaignDto>(await comms.get(`/api/campaigns/${campaign.id}`));
    if (campaign.status === 'finished') break;
  }
});
afterAll(async () => {
  await campaigns?.close();
  await t?.close();
});

const search = (body: Record<string, unknown>, client = admin) =>
  client.post(`/api/campaigns/${campaign.id}/outbox/search`, body);

describe('the campaign outbox', () => {
  it('lists every message with its delivery state', async () => {
    const page = ok<Page>(await admin.get(`/api/campaigns/${campaign.id}/outbox`));
    expect(page.total).toBe(4);
    expect(page.messages.map((m) => m.channel).sort()).toEqual(['email', 'email', 'letter', 'sms']);
    expect(page.messages.every((m) => m.state === 'sent')).toBe(true);
  });

  it('finds a message by its recipient, exactly, however the address or number is written', async () => {
    const byEmail = ok<Page>(await search({ to: '  ANN.Lee@Example.COM ' }));
    expect(byEmail.messages.map((m) => m.to)).toEqual(['ann.lee@example.com']);
    expect(byEmail.total).toBe(1);
    const byPhone = ok<Page>(await search({ to: '(202) 555-0103', defaultCountry: 'us' }));
    expect(byPhone.messages.map((m) => [m.channel, m.to])).toEqual([['sms', '+12025550103']]);
    expect(ok<Page>(await search({ to: 'ann.lee@example.org' })).messages).toEqual([]);
    // Part of an address finds nothing: the index matches whole normalized values only.
    expect(ok<Page>(await search({ to: 'lee@example.com' })).messages).toEqual([]);
    problem(await search({ to: 'not an address' }), 400, 'validation_failed');
  });

  it('filters by channel and by delivery state', async () => {
    const letters = ok<Page>(await admin.get(`/api/campaigns/${campaign.id}/outbox?channel=letter`));
    expect(letters.messages.map((m) => m.channel)).toEqual(['letter']);
    await t.ctx.db
      .updateTable('deliveries')
      .set({ state: 'bounced' })
      .where('campaign_id', '=', campaign.id)
      .where('channel', '=', 'letter')
      .execute();
    const bounced = ok<Page>(await admin.get(`/api/campaigns/${campaign.id}/outbox?state=bounced`));
    expect(bounced.messages.map((m) => [m.channel, m.state])).toEqual([['letter', 'bounced']]);
    const both = ok<Page>(await search({ to: 'bob.ray@example.com', channel: 'email', state: 'sent' }));
    expect(both.messages).toHaveLength(1);
    expect(ok<Page>(await search({ to: 'bob.ray@example.com', state: 'bounced' })).messages).toEqual([]);
  });

  it('opens one message by its id (a link carries the id, never the address)', async () => {
    const all = ok<Page>(await admin.get(`/api/campaigns/${campaign.id}/outbox`));
    const target = all.messages.find((m) => m.channel === 'sms')!;
    const one = ok<Page>(await admin.get(`/api/campaigns/${campaign.id}/outbox?message=${target.id}`));
    expect(one.messages.map((m) => m.id)).toEqual([target.id]);
    expect(one.nextBefore).toBeNull();
  });

  it('audits each read in its transaction, saying whether it searched by recipient but never whom', async () => {
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'campaign.outbox_viewed')
      .orderBy('seq')
      .execute();
    expect(rows.some((r) => (r.details as { byRecipient?: boolean }).byRecipient === true)).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/ann\.lee|bob\.ray|5550103/);
  });

  // Pins: reading who was written to (and the personal links inside) without the right to read personal data.
  it('is refused to roles without people:read_pii', async () => {
    for (const client of [comms, agent]) {
      problem(await search({ to: 'ann.lee@example.com' }, client), 403, 'forbidden');
    }
  });
});
