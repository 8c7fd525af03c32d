import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDto, CampaignInput, PreviewDto } from '../../src/shared/contracts/campaigns.ts';
import { type Client, clientFor, createIncident, ok } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The preview "for a sample person" is what people get with only the person invented: the incident's
 * public title, description and dates, the company's name and the campaign's contact details are the real
 * ones, and the sample has the exposure most common among the variant's people. Before, it showed an
 * invented incident ("January 14, 2025, a stolen employee password") that no notice sent ever said.
 */
let t: TestApp;
let comms: Client;
let incidentId: string;
let campaign: CampaignDto;

const everything =
  'Title {{ incident.title }} | What happened {{ incident.description }} | Since {{ incident.occurred_on }}, known {{ incident.aware_on }} | From {{ company.name }} | Call {{ contact.phone }} | Page {{ link }} | Code {{ activation_code }} | Exposed {% for i in person.exposed %}[{{ i }}]{% endfor %} | Dear {{ person.first_name }}';

const input = (): CampaignInput => ({
  name: 'Preview check',
  channels: ['email'],
  defaultLocale: 'en',
  contact: { phone: '+1 800 555 0100' },
  activationCodesFor: ['national_id'],
  throttle: {},
  errorThreshold: 0.25,
  variants: [
    {
      name: 'cards',
      rule: { categoriesAny: ['payment_card'] },
      content: {
        en: { email: { subject: '{{ incident.title }}', html: `<p>${everything}</p>`, text: everything } },
        es: { email: { subject: '{{ incident.title }}', html: `<p>${everything}</p>`, text: everything } },
      },
    },
    {
      name: 'others',
      default: true,
      content: { en: { email: { subject: 'x', html: '<p>x</p>', text: everything } } },
    },
  ],
});

beforeAll(async () => {
  t = await createTestApp();
  comms = clientFor(t, await createSignedInUser(t, 'comms'));
  const admin = clientFor(t, await createSignedInUser(t, 'admin'));
  ok(await admin.put('/api/settings/branding', { companyName: 'Acme Widgets', primaryColor: '#1f5fbf' }));
  incidentId = (
    await createIncident(admin, {
      title: 'INTERNAL: ops ticket 4711, bucket misconfig',
      publicTitle: { en: 'Security incident at Acme', es: 'Incidente de seguridad en Acme' },
      description: 'A storage bucket was public for three weeks.',
      awareAt: '2026-03-10T12:00:00Z',
      occurredAt: '2026-02-17T08:00:00Z',
    })
  ).id;
  // Three people reached by "cards": two with card + name, one with card + SSN.
  await importPeople(
    t,
    incidentId,
    csv(
      'email,name,card,ssn,country,state',
      'a@example.com,Ann Lee,4111111111111111,,US,CA',
      'b@example.com,Bob Ray,4111111111112222,,US,CA',
      'c@example.com,,4111111111113333,536-22-1001,US,NY',
      'd@example.com,Dee Fox,,,US,TX',
    ),
    {
      email: 'email',
      name: 'full_name',
      card: 'category:payment_card',
      ssn: 'national_id',
      country: 'country',
      state: 'region',
    },
  );
  campaign = ok<CampaignDto>(await comms.post(`/api/incidents/${incidentId}/campaigns`, input()));
});
afterAll(() => t.close());

const previewOf = async (variant: string, locale = 'en') => {
  const id = campaign.variants.find((v) => v.name === variant)!.id;
  return ok<PreviewDto>(
    await comms.get(`/api/campaigns/${campaign.id}/preview?variantId=${id}&channel=email&locale=${locale}`),
  );
};

describe('a preview for a sample person', () => {
  it('tells the real incident, in the public words, with the real company and contact details', async () => {
    const p = await previewOf('cards');
    expect(p.subject).toBe('Security incident at Acme');
    expect(p.text).toContain('What happened A storage bucket was public for three weeks.');
    expect(p.text).toContain('Since February 17, 2026, known March 10, 2026');
    expect(p.text).toContain('From Acme Widgets');
    expect(p.text).toContain('Call +1 800 555 0100');
    const slug = ok<{ slug: string }>(await comms.get(`/api/incidents/${incidentId}/notice-site`)).slug;
    expect(p.text).toContain(`Page http://localhost:3000/n/${slug}/me/SAMPLE`);
    // Nothing invented, and nothing internal.
    expect(p.text).not.toMatch(/January 14, 2025|stolen employee password|Example Company/);
    expect(p.text).not.toContain('INTERNAL');
    expect(slug).not.toContain('internal');
  });

  it('in the locale asked: dates and the public title in Spanish', async () => {
    const p = await previewOf('cards', 'es');
    expect(p.subject).toBe('Incidente de seguridad en Acme');
    expect(p.text).toContain('Since 17 de febrero de 2026, known 10 de marzo de 2026');
  });

  it('the sample person has the exposure most common among the variant’s people, and says so', async () => {
    const p = await previewOf('cards');
    expect(p.sample).toEqual({
      categories: ['email', 'name', 'payment_card'],
      jurisdiction: 'US-CA',
      alike: 2,
    });
    expect(p.text).toContain('Exposed [your email address][your name][your payment card details]');
    // Only people exposed in an activation category get a code: not this sample.
    expect(p.text).toContain('Code  |');
    expect(p.text).toContain('Dear Alex');
  });

  it('each variant’s sample is drawn from its own people', async () => {
    const others = await previewOf('others');
    expect(others.sample).toEqual({ categories: ['email', 'name'], jurisdiction: 'US-TX', alike: 1 });
  });

  it('before anyone is imported, a stand-in exposure from the variant’s rule, and nobody alike', async () => {
    const empty = (await createIncident(clientFor(t, await createSignedInUser(t, 'admin')))).id;
    const c = ok<CampaignDto>(await comms.post(`/api/incidents/${empty}/campaigns`, input()));
    const p = ok<PreviewDto>(
      await comms.get(`/api/campaigns/${c.id}/preview?variantId=${c.variants[0]!.id}&channel=email`),
    );
    expect(p.sample).toEqual({ categories: ['email', 'name', 'payment_card'], jurisdiction: 'US', alike: 0 });
    expect(p.subject).toBe('Data security incident');
  });
});
