import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo, type DemoResult } from '../../src/server/demo.ts';
import { getCampaign } from '../../src/server/modules/campaigns/campaign-read.service.ts';
import { previewSample } from '../../src/server/modules/campaigns/preview.ts';
import { createPeopleModule } from '../../src/server/modules/people/index.ts';
import { checkNoticeText } from '../../src/shared/consistency/notice-parts.ts';
import { defaultConsistencySettings } from '../../src/shared/contracts/consistency.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/**
 * The demo: what it tells people agrees with its data (the import finds payment cards for two thirds of
 * the people, so the notice, its FAQ and every message say card numbers were involved), it names the
 * company only where nobody has, loading it twice creates nothing twice, and its inbox has saved answers.
 */
const actor = { type: 'system' as const, id: null, label: 'demo-test' };
let t: TestApp;
let first: DemoResult;

beforeAll(async () => {
  t = await createTestApp();
  first = await createDemo(t.ctx, actor);
}, 120_000);
afterAll(() => t.close());

const publishedContent = async (incidentId: string) => {
  const row = await t.ctx.db
    .selectFrom('notice_versions')
    .select('content')
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return row.content as { locales: Record<'en' | 'es', Record<string, unknown> & { faq: unknown[] }> };
};

describe('what the demo tells people', () => {
  it('its data has payment cards exposed for most people, and every text it publishes says so', async () => {
    const stats = await createPeopleModule(t.ctx).service.stats(first.incidentId);
    expect(stats.people).toBe(666);
    expect(stats.byCategory.payment_card! / stats.people).toBeGreaterThan(0.5);
    const content = await publishedContent(first.incidentId);
    const exposure = { people: stats.people, counts: stats.byCategory };
    // The check legal sees finds nothing: no denial, no exposed category left out, in either language.
    expect(checkNoticeText(content.locales as never, exposure, defaultConsistencySettings)).toEqual([]);
    expect(content.locales.en.whatInformation).toContain('payment card number and its expiry date');
    expect(content.locales.es.whatInformation).toContain('número de tu tarjeta de pago');
    const page = await t.app.inject({ method: 'GET', url: `/n/${first.noticeSlug}` });
    expect(page.body).not.toContain('did not hold full payment card numbers');
    expect(page.body).not.toContain('Our company');
  });

  it('its campaign’s variants pass the same check against the people each reaches', async () => {
    const campaign = await getCampaign(t.ctx.db, first.campaignId);
    expect(campaign.variants.map((v) => [v.name, v.consistency])).toEqual([
      ['identity', []],
      ['credentials', []],
      ['general', []],
    ]);
    expect(campaign).toMatchObject({ printedCompanyName: 'Example Shop', warnings: [] });
  });

  it('every message, in English and Spanish, names the company, the public title and no invented facts', async () => {
    const campaign = await getCampaign(t.ctx.db, first.campaignId);
    for (const v of campaign.variants) {
      for (const locale of ['en', 'es']) {
        for (const channel of ['email', 'sms', 'letter'] as const) {
          const p = await previewSample(t.ctx, first.campaignId, { variantId: v.id, locale, channel });
          const all = `${p.subject ?? ''}\n${p.text}`;
          expect(all).toContain('Example Shop');
          expect(all).not.toMatch(/Our company|synthetic|Demo:|January 14, 2025|\{\{|\}\}/);
          // One register per language: the Spanish texts say "tú", like the built-in guidance.
          if (locale === 'es') expect(all).not.toMatch(/Estimado|usted|Le escribimos/);
        }
      }
    }
  });
});

describe('loading the demo twice', () => {
  let second: DemoResult;
  const counts = async () => ({
    incidents: (await t.ctx.db.selectFrom('incidents').select('id').execute()).length,
    campaigns: (await t.ctx.db.selectFrom('campaigns').select('id').execute()).length,
    versions: (await t.ctx.db.selectFrom('notice_versions').select('id').execute()).length,
    threads: await t.ctx.db.selectFrom('inbox_threads').select(['id', 'incident_id']).orderBy('id').execute(),
    messages: (await t.ctx.db.selectFrom('inbox_messages').select('id').execute()).length,
    macros: (await t.ctx.db.selectFrom('inbox_macros').select('id').execute()).length,
  });

  it('returns the same incident and creates nothing twice; its inbox stays with it', async () => {
    const before = await counts();
    second = await createDemo(t.ctx, actor);
    expect(second).toMatchObject({
      incidentId: first.incidentId,
      isNew: false,
      imports: [],
      campaignId: first.campaignId,
      noticeSlug: first.noticeSlug,
      people: 666,
    });
    expect(await counts()).toEqual(before);
    expect(before.threads.every((th) => th.incident_id === first.incidentId || th.incident_id === null)).toBe(
      true,
    );
  }, 120_000);

  it('two loads at once make one demo', async () => {
    const [a, b] = await Promise.all([createDemo(t.ctx, actor), createDemo(t.ctx, actor)]);
    expect(a.incidentId).toBe(first.incidentId);
    expect(b.incidentId).toBe(first.incidentId);
  }, 120_000);
});

describe('the demo’s inbox', () => {
  it('has questions and saved answers for them in English and Spanish', async () => {
    const macros = await t.ctx.db.selectFrom('inbox_macros').select(['name', 'locale']).execute();
    const names = [...new Set(macros.map((m) => m.name))];
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) {
      expect(
        macros
          .filter((m) => m.name === name)
          .map((m) => m.locale)
          .sort(),
      ).toEqual(['en', 'es']);
    }
    const threads = await t.ctx.db
      .selectFrom('inbox_threads')
      .select('id')
      .where('incident_id', '=', first.incidentId)
      .execute();
    expect(threads.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the company name', () => {
  it('the demo names the company where nobody has', async () => {
    const row = await t.ctx.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'notice_branding')
      .executeTakeFirstOrThrow();
    expect(row.value).toMatchObject({ companyName: 'Example Shop' });
  });

  it('never renames a company already named, and its texts then say that name', async () => {
    const s = await createTestApp();
    try {
      await s.ctx.db
        .insertInto('settings')
        .values({
          key: 'notice_branding',
          value: JSON.stringify({ companyName: 'Acme Widgets', primaryColor: '#123456', logo: null }),
          updated_by: 'test',
        })
        .execute();
      const demo = await createDemo(s.ctx, actor);
      const row = await s.ctx.db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'notice_branding')
        .executeTakeFirstOrThrow();
      expect(row.value).toMatchObject({ companyName: 'Acme Widgets' });
      const page = await s.app.inject({ method: 'GET', url: `/n/${demo.noticeSlug}` });
      expect(page.body).toContain('Acme Widgets');
      expect(page.body).not.toContain('Example Shop');
      const campaign = await getCampaign(s.ctx.db, demo.campaignId);
      expect(campaign.printedCompanyName).toBe('Acme Widgets');
    } finally {
      await s.close();
    }
  }, 120_000);
});
