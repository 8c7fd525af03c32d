import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectMapping, parseMappingFile } from '../../src/server/modules/people/mapping.ts';
import { createPeopleHarness, csv, type PeopleHarness, personByEmail, runCli } from './helpers.ts';

describe('detecting fields from headers', () => {
  it.each([
    ['E-mail Address', 'email'],
    ['EMAIL', 'email'],
    ['e_mail', 'email'],
    ['mobile', 'phone'],
    ['Cell Phone', 'phone'],
    ['SSN', 'national_id'],
    ['Social Security Number', 'national_id'],
    ['pwd_hash', 'category:password'],
    ['card_number', 'category:payment_card'],
    ['Customer ID', 'customer_id'],
    ['customer_no', 'customer_id'],
    ['First Name', 'first_name'],
    ['surname', 'last_name'],
    ['Street Address', 'address_line1'],
    ['Zip', 'postal_code'],
    ['State/Province', 'region'],
    ['Date of Birth', 'date_of_birth'],
    ['DOB', 'date_of_birth'],
    ['IBAN', 'category:financial_account'],
    ['Passport Number', 'category:passport'],
    ['Diagnosis', 'category:medical'],
  ])('%j → %s', (header, field) => {
    const detected = detectMapping([header], []);
    expect(detected.mapping[header]).toBe(field);
    expect(detected.reasons[header]).toBe('header');
  });

  it('reports a column it cannot place as unmapped instead of dropping it silently', () => {
    const detected = detectMapping(
      ['Email', 'Notes', 'Loyalty Tier'],
      [{ Email: 'a@example.com', Notes: 'called twice', 'Loyalty Tier': 'gold' }],
    );
    expect(detected.mapping).toEqual({ Email: 'email' });
    expect(detected.unmapped).toEqual(['Notes', 'Loyalty Tier']);
    expect(detected.reasons).toMatchObject({ Notes: 'unmapped', 'Loyalty Tier': 'unmapped' });
  });
});

describe('detecting fields from values where the header says nothing', () => {
  const rows = Array.from({ length: 20 }, (_, i) => ({
    col7: `person.${i}@example.com`,
    col8: `(415) 555-01${String(i).padStart(2, '0')}`,
    col9: `9${String(i).padStart(2, '0')}-12-3456`,
    col10: '4111 1111 1111 1111',
    col11: `$2b$10$${'a'.repeat(50)}${i}`,
    col12: `203.0.113.${i}`,
    col13: `${i % 3 === 0 ? 'yes' : 'no'}`,
  }));
  const detected = detectMapping(Object.keys(rows[0]!), rows);

  it('finds emails, phones, SSNs, card numbers, password hashes and IP addresses', () => {
    expect(detected.mapping).toEqual({
      col7: 'email',
      col8: 'phone',
      col9: 'national_id',
      col10: 'category:payment_card',
      col11: 'category:password',
      col12: 'category:ip_address',
    });
    expect(detected.reasons.col7).toBe('values');
    expect(detected.unmapped).toEqual(['col13']);
  });

  it('takes a column by shape only when most sampled values have it', () => {
    const mixed = rows.map((r, i) => ({ col7: i < 10 ? r.col7 : `note ${i}` }));
    expect(detectMapping(['col7'], mixed).unmapped).toEqual(['col7']);
  });

  it('does not take a column of hex password digests for IP addresses', () => {
    // Unsalted MD5 digests (32 hex digits) are among the commonest leaked credentials; as "IP addresses"
    // they would rate the people low risk instead of high.
    const digests = Array.from({ length: 20 }, (_, i) => ({
      col9: (BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, 'a'),
    }));
    const found = detectMapping(['col9'], digests).mapping.col9;
    expect(found === undefined || found === 'category:password', `detected as ${found}`).toBe(true);
  });

  it('takes a column of digits-only phone numbers for phones, not IP addresses', () => {
    const phones = Array.from({ length: 20 }, (_, i) => ({
      col3: `41555501${String(i).padStart(2, '0')}`,
      col4: `4930555012${String(i).padStart(2, '0')}`,
    }));
    expect(detectMapping(['col3', 'col4'], phones).mapping).toEqual({ col3: 'phone', col4: 'phone' });
  });
});

describe('mapping files', () => {
  it('accepts fields, category ids and ignore', () => {
    expect(
      parseMappingFile({
        columns: { 'E-mail': 'email', Hash: 'category:password', 'Order Id': 'ignore', Cust: 'customer_id' },
      }),
    ).toEqual({ 'E-mail': 'email', Hash: 'category:password', 'Order Id': 'ignore', Cust: 'customer_id' });
  });

  it.each([
    [{ columns: { 'Work Email': 'emial' } }, 'Work Email'],
    [{ columns: { Email: 'email', 'Card No': 'category:credit_card' } }, 'Card No'],
    [{ columns: { Phone: 7 } }, 'Phone'],
  ])('names the bad column in its error (%j)', (json, column) => {
    expect(() => parseMappingFile(json)).toThrow(`"${column}"`);
  });

  it.each([{}, { columns: [] }, { columns: 'email' }, null])('explains the expected shape for %j', (json) => {
    expect(() => parseMappingFile(json)).toThrow('{"columns": {"<header>": "<field>"}}');
  });
});

describe('mapping during an import', () => {
  let h: PeopleHarness;
  beforeAll(async () => {
    h = await createPeopleHarness();
  });
  afterAll(() => h.close());

  it('uses header synonyms and value shapes together, and reports the unmapped columns', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'export.csv',
      csv(
        'Customer ID,col7,mobile,pwd_hash,Notes',
        'K1,ada.lovelace@example.com,(415) 555-0101,x1,first order',
        'K2,alan.turing@example.com,(415) 555-0102,,vip',
      ),
      { defaultCountry: 'US' },
    );
    expect(summary.accepted).toBe(2);
    expect(summary.mapping).toEqual({
      'Customer ID': 'customer_id',
      col7: 'email',
      mobile: 'phone',
      pwd_hash: 'category:password',
    });
    expect(summary.unmapped).toEqual(['Notes']);
    const ada = await personByEmail(h, incident, 'ada.lovelace@example.com');
    expect(ada.categories).toEqual(['email', 'password', 'phone']);
    const alan = await personByEmail(h, incident, 'alan.turing@example.com');
    expect(alan.categories).toEqual(['email', 'phone']);
  });

  it('reports a JSON key that first appears after the sampled rows instead of dropping it', async () => {
    const incident = await h.createIncident();
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify(
        i === 250
          ? { email: `late.${i}@example.com`, ssn: '900-12-3456' }
          : { email: `early.${i}@example.com` },
      ),
    );
    const summary = await h.importText(incident, 'late-keys.jsonl', `${lines.join('\n')}\n`);
    expect(summary.accepted).toBe(300);
    const person = await personByEmail(h, incident, 'late.250@example.com');
    const isReported = summary.unmapped.includes('ssn');
    const isImported = person.categories.includes('national_id');
    expect(isReported || isImported, 'the "ssn" key was neither imported nor reported').toBe(true);
  });

  it('the CLI prints the mapping it used and the unmapped columns', async () => {
    const incident = await h.createIncident();
    const file = h.writeFile(
      'crm.csv',
      csv('E-mail Address,SSN,Notes', 'grace.hopper@example.com,900-11-2222,x'),
    );
    const result = await runCli(['import', incident, file], h.cliEnv);
    expect(result.stderr).not.toContain('candor:');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('E-mail Address → email');
    expect(result.stdout).toContain('SSN → national_id');
    expect(result.stdout).toContain('Unmapped columns (not imported): Notes');
  });

  it('the CLI refuses a mapping file with a bad field, naming the column', async () => {
    const incident = await h.createIncident();
    const file = h.writeFile('crm.csv', csv('Email,Phone', 'grace.hopper@example.com,+1 415 555 0101'));
    const map = h.writeFile('map.json', JSON.stringify({ columns: { Email: 'email', Phone: 'telephone' } }));
    const result = await runCli(['import', incident, file, '--map', map, '--json'], h.cliEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"Phone"');
    expect(result.stderr).toContain('"telephone"');
    expect(result.stdout).toBe('');
    const imports = await h.ctx.db
      .selectFrom('imports')
      .select('id')
      .where('incident_id', '=', incident)
      .execute();
    expect(imports).toEqual([]);
  });
});
