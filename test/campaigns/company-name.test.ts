import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBootstrapLinkIfEmpty } from '../../src/server/modules/auth/index.ts';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import { OUTBOX_CONTEXT } from '../../src/server/modules/outbound/index.ts';
import { companyNameUnsetWarning } from '../../src/server/platform/settings/branding.ts';
import type { CampaignDto, CampaignInput, PreviewDto } from '../../src/shared/contracts/campaigns.ts';
import { linkToken } from '../auth/helpers.ts';
import { type Client, clientFor, createIncident, ok } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The company's name is one setting (Settings → Branding) that every message people get uses: campaign
 * notices print it unless the campaign names the company on purpose (an override the API and console show);
 * while it is unset, the campaign and notice views say so; first-run setup asks for it.
 */
let t: TestApp;
let comms: Client;
let legal: Client;
let admin: Client;
let incidentId: string;

const example = (): CampaignInput => JSON.parse(fs.readFileSync('examples/campaign.json', 'utf8'));
const people = csv('email,name', 'ann@example.com,Ann Lee', 'bob@example.com,Bob Ray');

beforeAll(async () => {
  t = await createTestApp();
  comms = clientFor(t, await createSignedInUser(t, 'comms'));
  legal = clientFor(t, await createSignedInUser(t, 'legal'));
  admin = clientFor(t, await createSignedInUser(t, 'admin'));
  incidentId = (await createIncident(admin)).id;
  await importPeople(t, incidentId, people, { email: 'email', name: 'full_name' });
});
afterAll(() => t.close());

const create = async (body: CampaignInput) =>
  ok<CampaignDto>(await comms.post(`/api/incidents/${incidentId}/campaigns`, body));
const preview = async (c: CampaignDto) =>
  ok<PreviewDto>(
    await comms.get(`/api/campaigns/${c.id}/preview?variantId=${c.variants[2]!.id}&channel=email`),
  );
const setName = async (companyName: string) =>
  ok(await admin.put('/api/settings/branding', { companyName, primaryColor: '#1f5fbf' }));

describe('while nobody has named the company', () => {
  it('the campaign and the notice site views say so, and the name printed is the placeholder', async () => {
    const c = await create(example());
    expect(c).toMatchObject({
      companyName: null,
      printedCompanyName: 'Our company',
      isCompanyNameOverride: false,
      warnings: [companyNameUnsetWarning],
    });
    const notice = ok<{ warnings: string[] }>(await comms.get(`/api/incidents/${incidentId}/notice-site`));
    expect(notice.warnings).toEqual([companyNameUnsetWarning]);
    const branding = ok<{ companyName: string | null }>(await admin.get('/api/settings/branding'));
    expect(branding.companyName).toBeNull();
  });
});

describe('once the company is named', () => {
  it('every campaign that does not name it prints the setting, with no warning', async () => {
    await setName('Acme Widgets');
    const c = await create(example());
    expect(c).toMatchObject({ companyName: null, printedCompanyName: 'Acme Widgets', warnings: [] });
    expect((await preview(c)).subject).toBe('Notice of a security incident at Acme Widgets');
    const notice = ok<{ warnings: string[] }>(await comms.get(`/api/incidents/${incidentId}/notice-site`));
    expect(notice.warnings).toEqual([]);
  });

  it('a campaign naming the company differently is an override, said in its warnings', async () => {
    const c = await create({ ...example(), companyName: 'Acme Outlet' });
    expect(c).toMatchObject({ companyName: 'Acme Outlet', isCompanyNameOverride: true });
    expect(c.warnings).toEqual([
      'This campaign names the company “Acme Outlet”, not “Acme Widgets” as in Settings → Branding: its notices say “Acme Outlet”, while the notice site and replies say “Acme Widgets”.',
    ]);
    expect((await preview(c)).subject).toBe('Notice of a security incident at Acme Outlet');
    // The same name as the setting is no override.
    const same = await create({ ...example(), companyName: 'Acme Widgets' });
    expect(same).toMatchObject({ isCompanyNameOverride: false, warnings: [] });
  });

  it('the notices sent carry the name set when they are sent', async () => {
    const c = await create({ ...example(), channels: ['email'] });
    let current = c;
    for (const v of c.variants) {
      current = ok<CampaignDto>(
        await legal.post(`/api/campaigns/${c.id}/variants/${v.id}/approve`, { version: v.version }),
      );
    }
    expect(current.readyToStart).toBe(true);
    await setName('Acme Widgets Ltd');
    ok(await comms.post(`/api/campaigns/${c.id}/start`, {}));
    const campaigns = createCampaignsModule(t.ctx);
    try {
      for (let i = 0; i < 5; i++) if ((await campaigns.engine().runOnce()) === 0) break;
    } finally {
      await campaigns.close();
    }
    const rows = await t.ctx.db
      .selectFrom('outbox_messages')
      .select('sealed')
      .where('campaign_id', '=', c.id)
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const message = JSON.parse(await t.ctx.crypto.decrypt(row.sealed, OUTBOX_CONTEXT));
      expect(message.subject).toBe('Notice of a security incident at Acme Widgets Ltd');
      expect(message.text).not.toContain('Our company');
    }
  });
});

describe('first-run setup', () => {
  const STRONG = 'violet staple orbit canyon';
  const setup = (s: TestApp, payload: Record<string, string>) =>
    s.app.inject({ method: 'POST', url: '/api/auth/setup', payload, remoteAddress: '198.51.100.9' });

  it('names the company with the first admin', async () => {
    const s = await createTestApp();
    try {
      const link = await issueBootstrapLinkIfEmpty(s.ctx);
      const response = await setup(s, {
        token: linkToken(link!.setupUrl),
        email: 'first@example.test',
        password: STRONG,
        companyName: 'Northwind Traders',
      });
      expect(response.statusCode, response.body).toBe(200);
      const row = await s.ctx.db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'notice_branding')
        .executeTakeFirstOrThrow();
      expect(row.value).toMatchObject({ companyName: 'Northwind Traders' });
      const [audit] = await s.ctx.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'auth.setup_link_used')
        .execute();
      expect(audit!.details).toEqual({ purpose: 'bootstrap', companyNamed: true });
    } finally {
      await s.close();
    }
  });
});
