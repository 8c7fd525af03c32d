import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mapping } from '../../src/server/modules/people/index.ts';
import type { ConsistencyWarningDto, NoticeExposure } from '../../src/shared/contracts/consistency.ts';
import { auditRows, type Client, clientFor, createIncident, ok } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';
import { exampleNotice } from './helpers.ts';

/**
 * The notice site's consistency check through the API: "What information was involved" written from the
 * measured exposure, and the warnings legal sees before approving (with the version, in the approval's
 * answer, recorded in the audit log) when the text denies what the data shows exposed or leaves out a
 * category most people had exposed; the company's own phrases and threshold.
 */
let t: TestApp;
let comms: Client;
let legal: Client;
let admin: Client;
let incidentId: string;

const mapping: Mapping = {
  email: 'email',
  name: 'full_name',
  card: 'category:payment_card',
  ssn: 'national_id',
};
// Ten people: all with email and name, eight with a payment card, one with an SSN.
const people = csv(
  'email,name,card,ssn',
  ...Array.from(
    { length: 10 },
    (_, i) =>
      `p${i}@example.com,Person ${i},${i < 8 ? `4111 1111 1111 ${1000 + i}` : ''},${i === 0 ? '536-22-1001' : ''}`,
  ),
);

type Version = { id: string; consistency: ConsistencyWarningDto[] };

beforeAll(async () => {
  t = await createTestApp();
  comms = clientFor(t, await createSignedInUser(t, 'comms'));
  legal = clientFor(t, await createSignedInUser(t, 'legal'));
  admin = clientFor(t, await createSignedInUser(t, 'admin'));
  incidentId = (await createIncident(admin, { title: 'Card breach (internal)' })).id;
  expect(await importPeople(t, incidentId, people, mapping)).toMatchObject({ accepted: 10 });
});
afterAll(() => t.close());

const path = () => `/api/incidents/${incidentId}/notice-site`;
/** A notice whose other sections name no data, so the section under test decides alone. */
const withInformation = (en: string) => ({
  defaultLocale: 'en',
  contact: { phone: null, email: null, postalAddress: null, webForm: true },
  locales: {
    en: {
      title: 'Notice of a data security incident',
      summary: 'We are writing to tell you about an incident.',
      whatHappened: 'A backup was reachable from the internet.',
      whatInformation: en,
      whatWeAreDoing: 'We closed access.',
      whatYouCanDo: 'Check this page for updates.',
      moreInformation: 'Contact us with questions.',
      phoneHours: '',
      faq: [],
    },
  },
});

describe('the exposure behind the notice', () => {
  it('gives the counts per category and the section written from them, in both languages', async () => {
    const exposure = ok<NoticeExposure>(await comms.get(`${path()}/exposure`));
    expect(exposure).toMatchObject({ source: 'people', people: 10, settings: { threshold: 0.05 } });
    expect(exposure.categories).toEqual([
      { category: 'email', people: 10 },
      { category: 'name', people: 10 },
      { category: 'national_id', people: 1 },
      { category: 'payment_card', people: 8 },
    ]);
    expect(exposure.whatInformation.en).toContain('- payment card details (8 people, 80%)');
    expect(exposure.whatInformation.es).toContain('- datos de tarjetas de pago (8 personas, 80 %)');
  });

  it('before any import, the categories entered on the incident', async () => {
    const other = (await createIncident(admin, { categoriesEntered: ['medical'] })).id;
    const exposure = ok<NoticeExposure>(await comms.get(`/api/incidents/${other}/notice-site/exposure`));
    expect(exposure).toMatchObject({
      source: 'entered',
      people: 0,
      categories: [{ category: 'medical', people: null }],
    });
    expect(exposure.whatInformation.en).toContain('- medical information');
  });

  it('a notice started from it has nothing to warn about', async () => {
    const exposure = ok<NoticeExposure>(await comms.get(`${path()}/exposure`));
    const draft = ok<Version>(
      await comms.put(`${path()}/draft`, { content: withInformation(exposure.whatInformation.en!) }),
    );
    expect(draft.consistency).toEqual([]);
  });
});

describe('warnings before approval', () => {
  it('a denial of what the data shows exposed is named with its sentence, and so is what is left out', async () => {
    const draft = ok<Version>(
      await comms.put(`${path()}/draft`, {
        content: withInformation(
          'Your name and email address were involved.\n\nIt did not hold full payment card numbers.',
        ),
      }),
    );
    expect(draft.consistency.map((w) => [w.kind, w.category, w.where, w.sentence])).toEqual([
      [
        'denies_exposed',
        'payment_card',
        'What information was involved',
        'It did not hold full payment card numbers.',
      ],
      ['not_mentioned', 'national_id', null, null],
    ]);
    expect(draft.consistency[0]!.message).toContain('8 of 10 people (80%)');
    // The version as read later, and the overview's pending version, say the same.
    const read = ok<Version>(await comms.get(`${path()}/versions/${draft.id}`));
    expect(read.consistency).toEqual(draft.consistency);
    const overview = ok<{ pending: Version }>(await comms.get(path()));
    expect(overview.pending.consistency).toEqual(draft.consistency);
  });

  it('legal approves with the warnings in the answer, and the audit log keeps which were shown', async () => {
    const pending = ok<{ pending: Version }>(await comms.get(path())).pending;
    const approved = ok<Version & { status: string }>(
      await legal.post(`${path()}/versions/${pending.id}/approve`),
    );
    expect(approved.status).toBe('approved');
    expect(approved.consistency.map((w) => w.category)).toEqual(['payment_card', 'national_id']);
    const [audit] = await auditRows(t, 'notice.version_approved', incidentId);
    expect(audit!.details).toEqual({
      versionId: pending.id,
      consistencyWarnings: ['en:denies_exposed:payment_card', 'en:not_mentioned:national_id'],
    });
  });

  it('checks every language, and an FAQ answer “No.” to a question about exposure', async () => {
    const content = exampleNotice();
    content.locales.es = {
      ...content.locales.es!,
      whatInformation: 'Tu nombre, tu correo electrónico y los datos de tu tarjeta de pago.',
      faq: [{ question: '¿Se expuso mi número de Seguro Social?', answer: 'No.' }],
    };
    const draft = ok<Version>(await comms.put(`${path()}/draft`, { content }));
    expect(
      draft.consistency.filter((w) => w.locale === 'es').map((w) => [w.kind, w.category, w.where]),
    ).toEqual([['denies_exposed', 'national_id', 'FAQ 1']]);
  });
});

describe('the company’s wording settings', () => {
  it('its threshold and phrases change what is expected, for everyone reading the notice', async () => {
    const text = withInformation('Your name, email address and Acme Pay details were exposed.');
    const before = ok<Version>(await comms.put(`${path()}/draft`, { content: text })).consistency;
    expect(before.map((w) => w.category)).toEqual(['payment_card', 'national_id']);
    const saved = ok<{ threshold: number }>(
      await admin.put('/api/settings/consistency', {
        threshold: 0.2,
        phrases: { payment_card: { en: ['Acme Pay details'] } },
        negations: {},
      }),
    );
    expect(saved.threshold).toBe(0.2);
    // Acme Pay names the card now; the SSN concerns 10% of people, under the new 20%.
    expect(ok<Version>(await comms.put(`${path()}/draft`, { content: text })).consistency).toEqual([]);
    const [audit] = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'settings.consistency_changed')
      .execute();
    expect(audit!.details).toEqual({ threshold: 0.2, categoriesWithPhrases: 1 });
  });

  it('only an admin changes them; the notice editor gets them with the exposure', async () => {
    expect((await comms.put('/api/settings/consistency', { threshold: 0.5 })).statusCode).toBe(403);
    expect((await admin.put('/api/settings/consistency', { threshold: 2 })).statusCode).toBe(400);
    const exposure = ok<NoticeExposure>(await comms.get(`${path()}/exposure`));
    expect(exposure.settings).toMatchObject({
      threshold: 0.2,
      phrases: { payment_card: { en: ['Acme Pay details'] } },
    });
  });
});
