import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/server/modules/people/index.ts';
import { dumpDatabase, plaintextForms, usableDumpMethods, withClient } from '../platform/helpers.ts';
import { createPeopleHarness, csv, type PeopleHarness, personByEmail, runCli, testActor } from './helpers.ts';

/**
 * One small breach with a known outcome: what is stored, what is counted, what finding and viewing a person
 * return and audit.
 */
const A = {
  customerId: 'QX-CUST-7781',
  email: 'Thaddeus.Quackenbush@Example.ORG',
  phone: '(415) 555-0187',
  first: 'Thaddeus',
  last: 'Quackenbush',
  street: '1428 Zyxwvut Lane',
  ssn: '900-71-4482',
  dob: '1961-07-23',
};
const B = {
  customerId: 'QX-CUST-7782',
  email: 'wilhelmina.fairweather@example.net',
  phone: '+49 30 5550 1234',
  first: 'Wilhelmina',
  last: 'Fairweather',
};
const C = { email: 'ophelia.zimmerwald@example.com', first: 'Ophelia', last: 'Zimmerwald' };
const D = { customerId: 'QX-CUST-7784', street: '77 Quillfeather Road' };
const E = { customerId: 'QX-CUST-7785' };

const file = csv(
  'customer_id,email,phone,first_name,last_name,street,zip,city,state,country,ssn,dob',
  `${A.customerId},${A.email},${A.phone},${A.first},${A.last},${A.street},94107,San Francisco,Calif.,USA,${A.ssn},${A.dob}`,
  `${A.customerId},,,,,,,,,,,`,
  `${B.customerId},${B.email},${B.phone},${B.first},${B.last},,,,Bayern,Deutschland,,`,
  `,${C.email},,${C.first},${C.last},,,,,,,`,
  `${D.customerId},,,,,${D.street},10001,New York,NY,US,,`,
  `${E.customerId},,,,,,,,,,,`,
  ',,,Nobody,,,,,,,,',
);

let h: PeopleHarness;
let incident: string;
let imported: ImportSummary;
beforeAll(async () => {
  h = await createPeopleHarness();
  incident = await h.createIncident();
  imported = await h.importText(incident, 'crm-export.csv', file);
});
afterAll(() => h.close());

const auditOf = (action: string) =>
  h.ctx.db
    .selectFrom('audit_log')
    .select(['actor_type', 'target_type', 'target_id', 'details'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();

describe('stats', () => {
  const expected = {
    people: 5,
    records: 6,
    rejected: 1,
    conflicts: 0,
    byCategory: { email: 3, name: 3, postal_address: 2, phone: 2, date_of_birth: 1, national_id: 1 },
    byJurisdiction: { 'US-CA': 1, 'DE-BY': 1, 'US-NY': 1, unknown: 2 },
    byRiskTier: { high: 1, medium: 2, low: 2 },
    reachable: { email: 3, phone: 2, postal: 2, none: 1, emailNeedsSmtpUtf8: 0 },
  };

  it('have exactly the shape and the counts the issue gives', async () => {
    expect(imported).toMatchObject({
      rows: 7,
      accepted: 6,
      rejected: 1,
      people: 5,
      newPeople: 5,
      conflicts: 0,
    });
    const stats = await h.population.stats(incident);
    expect(stats).toStrictEqual(expected);
  });

  it('`candor people stats --json` prints the same object', async () => {
    const result = await runCli(['people', 'stats', incident, '--json'], h.cliEnv);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toStrictEqual(expected);
  });

  it('`candor import --json` prints one object with exactly the summary fields', async () => {
    const other = await h.createIncident();
    const path = h.writeFile('crm-export.csv', file);
    const result = await runCli(['import', other, path, '--json'], h.cliEnv);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(Object.keys(printed).sort()).toEqual(
      ['accepted', 'conflicts', 'importId', 'newPeople', 'people', 'rejected', 'rows', 'warnings'].sort(),
    );
    expect(printed).toMatchObject({
      rows: 7,
      accepted: 6,
      rejected: 1,
      people: 5,
      newPeople: 5,
      conflicts: 0,
    });
  });
});

describe('finding a person', () => {
  // pins invariant 2 and 1: every lookup is audited, and the audit log never holds the value searched for
  it.each([
    ['email', '  THADDEUS.quackenbush@example.org '],
    ['phone', '+1 415-555-0187'],
    ['customer_id', A.customerId],
  ] as const)(
    'by %s returns the right person and audits the search without the value',
    async (kind, value) => {
      const before = (await auditOf('people.searched')).length;
      const found = await h.population.find(incident, { kind, value }, { actor: testActor });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ jurisdiction: 'US-CA', riskTier: 'high', records: 2 });
      const audits = await auditOf('people.searched');
      expect(audits).toHaveLength(before + 1);
      const entry = audits.at(-1)!;
      expect(entry).toMatchObject({ target_type: 'incident', target_id: incident });
      expect(entry.details).toEqual({ by: kind, matches: 1 });
      const text = JSON.stringify(entry).toLowerCase();
      for (const part of [value.trim().toLowerCase(), 'quackenbush', '5550187', '555-0187'])
        expect(text).not.toContain(part);
    },
  );

  it('finds nobody for an unknown value, and still audits the search', async () => {
    const before = (await auditOf('people.searched')).length;
    const found = await h.population.find(
      incident,
      { kind: 'email', value: 'not.in.the.breach@example.com' },
      { actor: testActor },
    );
    expect(found).toEqual([]);
    const audits = await auditOf('people.searched');
    expect(audits).toHaveLength(before + 1);
    expect(audits.at(-1)!.details).toEqual({ by: 'email', matches: 0 });
  });

  it('refuses an invalid value with an error that does not repeat it', async () => {
    const value = 'zq-not-an-email';
    const attempt = h.population.find(incident, { kind: 'email', value }, { actor: testActor });
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining(value) });
  });

  it('`candor people find --email` prints the matching people as JSON', async () => {
    const person = await personByEmail(h, incident, A.email);
    const result = await runCli(['people', 'find', incident, '--email', A.email, '--json'], h.cliEnv);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([person]);
    const entry = (await auditOf('people.searched')).at(-1)!;
    expect(entry.actor_type).toBe('cli');
  });
});

describe('viewing a person', () => {
  // pins invariant 2: every read of personal data is audited, and the entry names fields, never values
  it('decrypts their identifiers, lists the source of each record, and audits the view', async () => {
    const person = await personByEmail(h, incident, A.email);
    const view = await h.population.view(incident, person.id, { actor: testActor });
    expect(view.identifiers).toMatchObject({
      customer_id: [A.customerId],
      email: [A.email.toLowerCase()],
      phone: ['+14155550187'],
      first_name: [A.first],
      last_name: [A.last],
      address_line1: [A.street],
      national_id: ['900714482'],
      date_of_birth: [A.dob],
    });
    expect(view.sources).toEqual([
      {
        importId: imported.importId,
        fileName: 'crm-export.csv',
        line: 2,
        categories: ['email', 'name', 'postal_address', 'phone', 'date_of_birth', 'national_id'],
      },
      { importId: imported.importId, fileName: 'crm-export.csv', line: 3, categories: [] },
    ]);
    const audits = await auditOf('people.viewed');
    const entry = audits.find((a) => a.target_id === person.id);
    expect(entry).toMatchObject({ target_type: 'person' });
    const text = JSON.stringify(entry).toLowerCase();
    for (const value of [A.email, A.first, A.last, A.street, A.ssn, '900714482', A.customerId, A.dob])
      expect(text).not.toContain(value.toLowerCase());
  });

  // pins: an id from one incident must not open a person in another (a record the caller may not see is "not found")
  it('does not find a person through another incident', async () => {
    const person = await personByEmail(h, incident, A.email);
    const other = await h.createIncident();
    await expect(h.population.view(other, person.id, { actor: testActor })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

// pins invariant 1: a stolen backup or database dump must not expose the people of the breach
it('a dump of the whole database holds none of the imported personal data, while plaintext controls are found', async () => {
  await h.population.find(incident, { kind: 'email', value: A.email }, { actor: testActor });
  const person = await personByEmail(h, incident, B.email);
  await h.population.view(incident, person.id, { actor: testActor });
  const controls = { text: 'zq.control.text@example.test', bytes: 'zq.control.bytes@example.test' };
  await withClient(h.database.url, async (c) => {
    await c.query('CREATE TABLE plaintext_control (note text, raw bytea)');
    await c.query('INSERT INTO plaintext_control VALUES ($1, $2)', [
      controls.text,
      Buffer.from(controls.bytes),
    ]);
  });
  const needles: Record<string, string> = {
    emailA: A.email,
    emailB: B.email,
    emailC: C.email,
    phoneA: A.phone,
    phoneAE164: '+14155550187',
    phoneADigits: '4155550187',
    phoneB: B.phone,
    phoneBE164: '+493055501234',
    firstA: A.first,
    lastA: A.last,
    firstB: B.first,
    lastB: B.last,
    firstC: C.first,
    lastC: C.last,
    streetA: A.street,
    streetD: D.street,
    ssn: A.ssn,
    ssnNormalized: '900714482',
    dob: A.dob,
    customerA: A.customerId,
    customerD: D.customerId,
    customerE: E.customerId,
  };
  const leaksIn = (dump: string, values: Record<string, string>) => {
    const lower = dump.toLowerCase();
    return Object.entries(values)
      .filter(([, v]) => plaintextForms(v).some((form) => lower.includes(form.toLowerCase())))
      .map(([label]) => label);
  };
  const methods = await usableDumpMethods(h.database.url);
  expect(methods).toContain('sql');
  for (const method of methods) {
    const dump = await dumpDatabase(h.database.url, method);
    expect(dump, method).toContain('source_records');
    expect(leaksIn(dump, controls), method).toEqual(['text', 'bytes']);
    expect(leaksIn(dump, needles), method).toEqual([]);
  }
});
