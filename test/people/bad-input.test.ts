import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPeopleHarness,
  csv,
  issuesOf,
  type PeopleHarness,
  personByEmail,
  recordCount,
  runCli,
  testActor,
} from './helpers.ts';

let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

const findByEmail = (incident: string, email: string) =>
  h.population.find(incident, { kind: 'email', value: email }, { actor: testActor });

describe('malformed CSV rows are quarantined with their line, and the rest imports', () => {
  it('rejects only the row with an unbalanced quote (two of them), keeping quoted fields that span lines', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'quotes.csv',
      csv(
        'email,name',
        'q1@example.com,Ann',
        '"zq.open1@example.com,Quinta Zarkova',
        'q3@example.com,"Dee, Jr."',
        'q4@example.com,"An address',
        'on two lines"',
        '"zq.open2@example.com,Quirin Zarkov',
        'q7@example.com,Eve',
      ),
    );
    expect(summary).toMatchObject({ rows: 6, accepted: 4, rejected: 2 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 3, severity: 'rejected', reason: expect.stringMatching(/quot/), field: null },
      { line: 7, severity: 'rejected', reason: expect.stringMatching(/quot/), field: null },
    ]);
    for (const email of ['q1@example.com', 'q3@example.com', 'q4@example.com', 'q7@example.com'])
      expect(await findByEmail(incident, email), email).toHaveLength(1);
    const q7 = await personByEmail(h, incident, 'q7@example.com');
    const view = await h.population.view(incident, q7.id, { actor: testActor });
    expect(view.sources.map((s) => s.line)).toEqual([8]);
    expect(await findByEmail(incident, 'zq.open1@example.com')).toHaveLength(0);
  });

  it('rejects rows with too many or too few fields', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'fields.csv',
      csv(
        'email,name',
        'f1@example.com,Ann',
        'zq.toomany@example.com,Quentin Zarkov,zq-extra-value',
        'zq.toofew@example.com',
        'f4@example.com,Dee',
      ),
    );
    expect(summary).toMatchObject({ accepted: 2, rejected: 2 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 3, severity: 'rejected', reason: expect.stringContaining('too many fields'), field: null },
      { line: 4, severity: 'rejected', reason: expect.stringContaining('too few fields'), field: null },
    ]);
  });

  it('rejects a line over 1 MiB and imports the lines after it', async () => {
    const incident = await h.createIncident();
    const huge = `zq.huge@example.com,${'Z'.repeat((1 << 20) + 10)}`;
    const summary = await h.importText(
      incident,
      'huge.csv',
      csv('email,name', 'l1@example.com,Ann', huge, 'l3@example.com,Cy', 'l4@example.com,Dee'),
    );
    expect(summary).toMatchObject({ accepted: 3, rejected: 1 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 3, severity: 'rejected', reason: expect.stringMatching(/longer than/), field: null },
    ]);
    expect(await findByEmail(incident, 'l4@example.com')).toHaveLength(1);
  });
});

describe('encodings', () => {
  const latin1File = Buffer.concat([
    Buffer.from('email,name\nu1@example.com,Ann\nzq.mueller@example.com,Zo'),
    Buffer.from([0xeb]), // "ë" in Latin-1, an invalid byte in UTF-8
    Buffer.from(' M'),
    Buffer.from([0xfc]), // "ü"
    Buffer.from('ller\nu3@example.com,Cy\n'),
  ]);

  it('rejects a row with invalid UTF-8, pointing at --encoding latin1', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(incident, 'latin1.csv', latin1File);
    expect(summary).toMatchObject({ accepted: 2, rejected: 1 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 3, severity: 'rejected', reason: expect.stringContaining('latin1'), field: null },
    ]);
  });

  it('imports the same file read as Latin-1', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(incident, 'latin1.csv', latin1File, { encoding: 'latin1' });
    expect(summary).toMatchObject({ accepted: 3, rejected: 0 });
    const person = await personByEmail(h, incident, 'zq.mueller@example.com');
    const view = await h.population.view(incident, person.id, { actor: testActor });
    expect(view.identifiers.full_name).toEqual(['Zoë Müller']);
  });

  it('lets the rows rejected as invalid UTF-8 in with --encoding latin1 into the same incident', async () => {
    const incident = await h.createIncident();
    await h.importText(incident, 'latin1.csv', latin1File);
    expect(await findByEmail(incident, 'zq.mueller@example.com')).toHaveLength(0);
    // What the rejection reason tells the user to do.
    const again = await h.importText(incident, 'latin1.csv', latin1File, { encoding: 'latin1' });
    expect(again.isDuplicate, 'the re-import with --encoding latin1 was skipped as a duplicate').toBe(false);
    expect(await findByEmail(incident, 'zq.mueller@example.com')).toHaveLength(1);
    expect((await h.population.stats(incident)).people).toBe(3);
  });
});

describe('rows without a usable identifier, and bad values in good rows', () => {
  it('rejects a row with no usable identifier, naming the field of a bad value but never the value', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'ids.csv',
      csv(
        'email,phone,name,country',
        'n1@example.com,,Ann,US',
        ',,Quentin Nobody,US',
        'zq.broken@@example..com,,Quincy Broken,US',
        'n4@example.com,,Dee,US',
      ),
    );
    expect(summary).toMatchObject({ accepted: 2, rejected: 2 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 3, severity: 'rejected', reason: expect.stringContaining('no usable identifier'), field: null },
      { line: 4, severity: 'rejected', reason: expect.stringContaining('malformed email'), field: 'email' },
    ]);
  });

  it('keeps a row whose email is malformed when its phone works, with a warning on the email field', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'warn.csv',
      csv(
        'email,phone,country',
        `${'zq.not-an-email@'},(415) 555-0199,US`,
        `w2@example.com,${'555-zq-12'},US`,
      ),
    );
    expect(summary).toMatchObject({ accepted: 2, rejected: 0, people: 2 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 2, severity: 'warning', reason: 'malformed email', field: 'email' },
      { line: 3, severity: 'warning', reason: 'malformed phone', field: 'phone' },
    ]);
    const byPhone = await h.population.find(
      incident,
      { kind: 'phone', value: '+1 415 555 0199' },
      { actor: testActor },
    );
    expect(byPhone).toHaveLength(1);
    expect(byPhone[0]!.reachable).toEqual({ email: false, phone: true, postal: false });
  });
});

describe('files that are not breach exports', () => {
  const refused = async (name: string, content: string | Buffer, message: RegExp) => {
    const incident = await h.createIncident();
    await expect(h.importText(incident, name, content)).rejects.toMatchObject({
      message: expect.stringMatching(message),
    });
    const imports = await h.ctx.db
      .selectFrom('imports')
      .select('id')
      .where('incident_id', '=', incident)
      .execute();
    expect(imports).toEqual([]);
  };

  it('refuses an empty file with a clear error', async () => {
    await refused('empty.csv', '', /file is empty/);
    await refused('blank.csv', '\n\n  \n', /file is empty/);
  });

  // pins: a header with hundreds of thousands of columns (one 1 MiB line) blowing up memory and mapping
  it('refuses a CSV with more columns than any export has', async () => {
    const header = Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',');
    await refused(
      'wide.csv',
      `${header}\n${'x,'.repeat(1000)}x\n`,
      /1001 columns; Candor reads at most 1000/,
    );
  });

  it('refuses a binary file with a clear error', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.from('IHDR'),
      Buffer.alloc(64, 7),
    ]);
    await refused('photo.csv', png, /not CSV or JSON lines/);
  });

  it('the CLI prints the reason and exits non-zero for a binary file', async () => {
    const incident = await h.createIncident();
    const file = h.writeFile('export.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0]));
    const result = await runCli(['import', incident, file, '--json'], h.cliEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/candor: This file is not CSV or JSON lines/);
    expect(result.stdout).toBe('');
  });

  it('accepts a gzip file transparently, with the same result as the plain file', async () => {
    const content = csv(
      'customer_id,email,phone,country,state',
      'G1,g1@example.com,(415) 555-0111,US,CA',
      'G1,G1@EXAMPLE.COM,,US,CA',
      'G2,g2@example.com,030 1234567,DE,Bayern',
      ',,,US,CA',
    );
    const plain = await h.createIncident();
    const plainSummary = await h.importText(plain, 'export.csv', content);
    for (const name of ['export.csv.gz', 'export-without-suffix.csv']) {
      const zipped = await h.createIncident();
      const summary = await h.importText(zipped, name, gzipSync(content));
      expect({ ...summary, importId: '' }).toEqual({ ...plainSummary, importId: '' });
      expect(await h.population.stats(zipped)).toEqual(await h.population.stats(plain));
    }
    expect(plainSummary).toMatchObject({ accepted: 3, rejected: 1, people: 2 });
  });
});

describe('JSON lines', () => {
  it('rejects unreadable lines, including the first one, and imports the rest', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'events.jsonl',
      [
        '{"email": "zq.cut@example.com", "name": "Quill',
        '{"email": "j2@example.com"}',
        'zq not json at all',
        '["zq.array@example.com"]',
        '{"email": "j5@example.com", "phone": null}',
        '',
      ].join('\n'),
    );
    expect(summary).toMatchObject({ accepted: 2, rejected: 3 });
    expect((await issuesOf(h, summary.importId)).map((i) => [i.line, i.severity])).toEqual([
      [1, 'rejected'],
      [3, 'rejected'],
      [4, 'rejected'],
    ]);
  });

  // pins: JSON lines with ever-new keys growing the column list (and the mapping work) without end
  it('rejects rows that would take the file past 1000 distinct keys, and keeps the rest', async () => {
    const incident = await h.createIncident();
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v']));
    const summary = await h.importText(
      incident,
      'wide.jsonl',
      [
        JSON.stringify({ email: 'w1@example.com' }),
        JSON.stringify({ email: 'w2@example.com', ...many }),
        JSON.stringify({ email: 'w3@example.com' }),
        '',
      ].join('\n'),
    );
    expect(summary).toMatchObject({ accepted: 2, rejected: 1 });
    const issues = await issuesOf(h, summary.importId);
    expect(issues.filter((i) => i.severity === 'rejected').map((i) => i.line)).toEqual([2]);
  });

  it('rejects unreadable lines after the first', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'events.jsonl',
      ['{"email": "k1@example.com"}', 'zq not json', '[1, 2]', '{"email": "k4@example.com"}'].join('\n'),
    );
    expect(summary).toMatchObject({ accepted: 2, rejected: 2 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 2, severity: 'rejected', reason: 'not valid JSON', field: null },
      { line: 3, severity: 'rejected', reason: 'not a JSON object', field: null },
    ]);
    expect(await recordCount(h, incident)).toBe(2);
  });
});

// pins invariant 1: import_issues is plaintext shown to staff and downloadable, so it must never hold a row's values
it('records the field and the reason of every bad value, never the value', async () => {
  const incident = await h.createIncident();
  const values = {
    quote: 'zqquote@zqhost.com',
    extra: 'zqsurplus',
    short: 'zqshort@zqhost.com',
    email: 'zqpost@@zqhost',
    phone: '555-zq-77',
    nationalId: 'ZQ#77#12',
    country: 'Zqlandia',
    region: 'Zqprovince',
    name: 'Quirinus Zqaruk',
  };
  const summary = await h.importText(
    incident,
    'everything-wrong.csv',
    csv(
      'email,phone,ssn,country,state,name',
      `"${values.quote},,,US,CA,x`,
      `ok1@example.com,,,US,CA,x,${values.extra}`,
      values.short,
      `${values.email},,,US,CA,${values.name}`,
      `ok2@example.com,${values.phone},${values.nationalId},US,CA,x`,
      `ok3@example.com,,,${values.country},${values.region},x`,
      `ok4@example.com,,,US,${values.region},x`,
    ),
  );
  expect(summary).toMatchObject({ accepted: 3, rejected: 4 });
  const issues = await issuesOf(h, summary.importId);
  expect(issues.map((i) => [i.line, i.severity, i.field])).toEqual([
    [2, 'rejected', null],
    [3, 'rejected', null],
    [4, 'rejected', null],
    [5, 'rejected', 'email'],
    [6, 'warning', 'national_id'],
    [6, 'warning', 'phone'],
    [7, 'warning', 'country'],
    [7, 'warning', 'region'],
    [8, 'warning', 'region'],
  ]);
  const text = issues
    .map((i) => `${i.reason}\t${i.field ?? ''}`)
    .join('\n')
    .toLowerCase();
  const leaked = Object.entries(values).filter(([, v]) =>
    [v, ...v.split(/[@.#\s-]+/)].some((part) => part.length >= 4 && text.includes(part.toLowerCase())),
  );
  expect(leaked.map(([k]) => k)).toEqual([]);
});
