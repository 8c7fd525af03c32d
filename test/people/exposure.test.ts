import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories } from '../../src/shared/taxonomy.ts';
import {
  createPeopleHarness,
  csv,
  type PeopleHarness,
  peopleOf,
  personByEmail,
  recordCount,
} from './helpers.ts';

let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

describe('exposure and risk', () => {
  // The lists, written out here so a change to the taxonomy module cannot move both sides at once.
  const high = [
    'password',
    'security_qa',
    'national_id',
    'drivers_license',
    'passport',
    'tax_id',
    'financial_account',
    'payment_card',
    'medical',
    'health_insurance',
    'biometric',
    'genetic',
  ];
  const medium = ['date_of_birth', 'postal_address', 'phone', 'username', 'geolocation'];

  it('rates each category as the issue lists it (high, medium, else low)', async () => {
    const incident = await h.createIncident();
    const others = categories.filter((c) => c !== 'email');
    const header = ['email', ...others.map((c) => `c_${c}`)];
    const rows = ['only-email', ...others].map((c) =>
      [`p-${c}@example.com`, ...others.map((o) => (o === c ? 'x' : ''))].join(','),
    );
    const mapping = Object.fromEntries([
      ['email', 'email'],
      ...others.map((c) => [`c_${c}`, `category:${c}`]),
    ]);
    const summary = await h.importText(incident, 'categories.csv', csv(header.join(','), ...rows), {
      mapping,
    });
    expect(summary).toMatchObject({ accepted: others.length + 1, people: others.length + 1 });
    for (const c of ['only-email', ...others]) {
      const person = await personByEmail(h, incident, `p-${c}@example.com`);
      const expected = high.includes(c) ? 'high' : medium.includes(c) ? 'medium' : 'low';
      expect(person.riskTier, c).toBe(expected);
      expect(person.categories, c).toEqual(
        c === 'only-email' ? ['email'] : categories.filter((x) => x === 'email' || x === c),
      );
    }
    const stats = await h.population.stats(incident);
    expect(stats.byRiskTier).toEqual({
      high: high.length,
      medium: medium.length,
      low: others.length + 1 - 17,
    });
  });

  it("is the union of the categories over all of a person's records, from every file", async () => {
    const incident = await h.createIncident();
    await h.importText(incident, 'logins.csv', csv('customer_id,email,username', 'K9,union@example.com,uni'));
    expect((await personByEmail(h, incident, 'union@example.com')).riskTier).toBe('medium');
    await h.importText(incident, 'crm.csv', csv('customer_id,first_name,dob', 'K9,Una,1980-02-03'));
    await h.importText(incident, 'cards.csv', csv('email,card_number', 'UNION@example.com,4111111111111111'));
    const person = await personByEmail(h, incident, 'union@example.com');
    expect(person.records).toBe(3);
    expect(person.categories).toEqual(['email', 'username', 'name', 'date_of_birth', 'payment_card']);
    expect(person.riskTier).toBe('high');
  });
});

describe('jurisdiction', () => {
  it('comes from the most recent record with an address, and records the disagreement', async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'addresses.csv',
      csv(
        'email,street,zip,country,state',
        'moved@example.com,1 Main St,94107,USA,Calif.',
        'moved@example.com,Hauptstr. 1,80331,Deutschland,Bayern',
        'stayed@example.com,2 Baker St,NW1 6XE,United Kingdom,England',
        'stayed@example.com,2 Baker St,NW1 6XE,UK,england',
        'nowhere@example.com,,,,',
        'country-only@example.com,Hauptstr. 9,10115,DEU,',
      ),
    );
    expect(await personByEmail(h, incident, 'moved@example.com')).toMatchObject({
      jurisdiction: 'DE-BY',
      jurisdictionDisputed: true,
    });
    expect(await personByEmail(h, incident, 'stayed@example.com')).toMatchObject({
      jurisdiction: 'GB-ENG',
      jurisdictionDisputed: false,
    });
    expect((await personByEmail(h, incident, 'nowhere@example.com')).jurisdiction).toBe('unknown');
    expect((await personByEmail(h, incident, 'country-only@example.com')).jurisdiction).toBe('DE');
    expect((await h.population.stats(incident)).byJurisdiction).toEqual({
      'DE-BY': 1,
      'GB-ENG': 1,
      unknown: 1,
      DE: 1,
    });

    // A later file is more recent than any line of an earlier one.
    await h.importText(
      incident,
      'later.csv',
      csv('email,street,city,country,region', 'stayed@example.com,5 Park Ave,New York,US,NY'),
    );
    expect(await personByEmail(h, incident, 'stayed@example.com')).toMatchObject({
      jurisdiction: 'US-NY',
      jurisdictionDisputed: true,
    });
  });

  it('is not taken from a later record that has no address (only the import default country)', async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'crm.csv',
      csv('email,street,zip,country,state', 'resident@example.com,1 Main St,94107,US,CA'),
    );
    await h.importText(incident, 'logins.csv', csv('email,pwd_hash', 'resident@example.com,abc'), {
      defaultCountry: 'DE',
    });
    const person = await personByEmail(h, incident, 'resident@example.com');
    expect(person.records).toBe(2);
    expect(person.jurisdiction).toBe('US-CA');
  });
});

describe('several imports into one incident', () => {
  it('merges people across files of different layouts (CSV and JSON lines)', async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'crm.csv',
      csv(
        'Customer ID,E-mail Address,Mobile,Country',
        'K7,mary.shelley@example.com,020 7946 0001,UK',
        'K8,percy@example.com,020 7946 0002,UK',
      ),
    );
    const orders = [
      {
        order_id: 'O-1',
        customer: { email: 'MARY.SHELLEY@example.com', name: 'Mary Shelley', phone: null },
        shipping: {
          line1: '24 Chester Sq',
          city: 'London',
          postal_code: 'SW1W 9HS',
          country: 'United Kingdom',
        },
        payment: { card_number: '4111 1111 1111 1111' },
      },
      {
        order_id: 'O-2',
        customer: { email: 'claire@example.com', name: 'Claire C', phone: '+44 20 7946 0002' },
        shipping: { line1: '1 Pall Mall', city: 'London', postal_code: 'SW1Y 5AU', country: 'GB' },
        payment: { card_number: '' },
      },
    ];
    const summary = await h.importText(
      incident,
      'orders.jsonl',
      `${orders.map((o) => JSON.stringify(o)).join('\n')}\n`,
      {
        mapping: {
          order_id: 'ignore',
          'customer.email': 'email',
          'customer.name': 'full_name',
          'customer.phone': 'phone',
          'shipping.line1': 'address_line1',
          'shipping.city': 'city',
          'shipping.postal_code': 'postal_code',
          'shipping.country': 'country',
          'payment.card_number': 'category:payment_card',
        },
      },
    );
    expect(summary).toMatchObject({ accepted: 2, people: 2, newPeople: 0 });
    const mary = await personByEmail(h, incident, 'mary.shelley@example.com');
    expect(mary).toMatchObject({ records: 2, riskTier: 'high', jurisdiction: 'GB' });
    expect(mary.categories).toEqual(['email', 'name', 'postal_address', 'phone', 'payment_card']);
    const percy = await personByEmail(h, incident, 'percy@example.com');
    expect(percy.records).toBe(2);
    expect(percy.categories).toEqual(['email', 'name', 'postal_address', 'phone']);
  });

  it('adds nothing when the same file is imported again, even under another name', async () => {
    const incident = await h.createIncident();
    const content = csv('customer_id,email', 'K1,again@example.com', 'K2,other@example.com');
    const first = await h.importText(incident, 'crm.csv', content);
    expect(first).toMatchObject({ isDuplicate: false, accepted: 2, people: 2 });
    const statsBefore = await h.population.stats(incident);
    for (const name of ['crm.csv', 'crm-copy.csv']) {
      const again = await h.importText(incident, name, content);
      expect(again).toMatchObject({ isDuplicate: true, importId: first.importId, accepted: 0, newPeople: 0 });
    }
    expect(await h.population.stats(incident)).toEqual(statsBefore);
    expect(await recordCount(h, incident)).toBe(2);
    const imports = await h.ctx.db
      .selectFrom('imports')
      .select('id')
      .where('incident_id', '=', incident)
      .execute();
    expect(imports).toHaveLength(1);
    const skipped = await h.ctx.db
      .selectFrom('audit_log')
      .select('target_id')
      .where('action', '=', 'import.skipped_duplicate')
      .where('target_id', '=', first.importId)
      .execute();
    expect(skipped).toHaveLength(2);
  });

  it('keeps the person numbers and ids of people a later import does not touch', async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'first.csv',
      csv('email', 'pa@example.com', 'pb@example.com', 'pc@example.com', 'pd@example.com'),
    );
    const before = await peopleOf(h, incident);
    expect(before.map((p) => p.pn).sort()).toEqual([1, 2, 3, 4]);
    await h.importText(
      incident,
      'second.csv',
      csv('email,phone', 'pe@example.com,', 'PB@example.com,+1 415 555 0150', 'pf@example.com,'),
    );
    const after = await peopleOf(h, incident);
    expect(after).toHaveLength(6);
    for (const person of before) {
      const same = after.find((p) => p.pn === person.pn);
      expect(same?.id, `person ${person.pn}`).toBe(person.id);
    }
    expect((await personByEmail(h, incident, 'pb@example.com')).records).toBe(2);
    const added = after.filter((p) => !before.some((b) => b.id === p.id)).map((p) => p.pn);
    expect(added.sort()).toEqual([5, 6]);
  });
});
