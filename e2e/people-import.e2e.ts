import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { artifactsDir } from './support/paths.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

const admin = {
  email: 'lead@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Iris Incident',
};
const incidentTitle = 'Test: CRM export exposed';
const fileName = 'crm-export.csv';

/**
 * A small breach export, 20 data rows under a header (line 1). 15 people: Alice, Bob and Chen appear twice
 * with differently cased emails. Line 8 opens a quote it never closes; line 15 has no identifier at all.
 * "Kundennr" (customer number, in German) matches no header synonym and no value shape: it must be mapped by
 * hand. "last_seen_from" has no known header but its values are IP addresses.
 */
const rows = [
  'Kundennr,E-mail Address,mobile,First Name,Last Name,City,State,Country,pwd_hash,last_seen_from',
  'K-1001,alice@example.com,+1 415 555 0101,Alice,Archer,San Francisco,CA,US,$2b$10$aaaaaaaaaaaaaaaaaaaaaa,203.0.113.1',
  'K-1002,bob@example.com,+1 415 555 0102,Bob,Baker,Oakland,CA,US,$2b$10$bbbbbbbbbbbbbbbbbbbbbb,203.0.113.2',
  'K-1003,chen@example.com,+1 212 555 0103,Chen,Cho,New York,NY,US,$2b$10$cccccccccccccccccccccc,203.0.113.3',
  'K-1004,dana@example.com,+1 512 555 0104,Dana,Diaz,Austin,TX,US,,203.0.113.4',
  'K-1005,emil@example.de,+49 30 901820,Emil,Engel,Berlin,,DE,,203.0.113.5',
  'K-1006,fay@example.com,+1 206 555 0106,Fay,Fox,Seattle,WA,US,,203.0.113.6',
  'K-1007,"gus@example.com,+1 303 555 0107,Gus,Grey,Denver,CO,US,,203.0.113.7',
  'K-1008,hana@example.com,+1 617 555 0108,Hana,Hill,Boston,MA,US,$2b$10$hhhhhhhhhhhhhhhhhhhhhh,203.0.113.8',
  'K-1009,ivan@example.com,+1 305 555 0109,Ivan,Ito,Miami,FL,US,,203.0.113.9',
  'K-1010,jo@example.co.uk,+44 20 7946 0018,Jo,Jones,London,,GB,,203.0.113.10',
  'K-1011,kim@example.com,+1 312 555 0111,Kim,Kahn,Chicago,IL,US,,203.0.113.11',
  'K-1002,BOB@Example.com,+1 415 555 0102,Bob,Baker,Oakland,CA,US,,203.0.113.12',
  'K-1012,lee@example.com,+1 503 555 0112,Lee,Lin,Portland,OR,US,,203.0.113.13',
  ',,,Nobody,Known,Austin,TX,US,,203.0.113.14',
  'K-1013,mia@example.com,+1 702 555 0113,Mia,Moss,Las Vegas,NV,US,,203.0.113.15',
  'K-1001,Alice@EXAMPLE.com,+1 415 555 0101,Alice,Archer,San Francisco,CA,US,,203.0.113.16',
  'K-1014,ned@example.com,+1 404 555 0114,Ned,Nash,Atlanta,GA,US,,203.0.113.17',
  'K-1015,olga@example.com,+1 612 555 0115,Olga,Orr,Minneapolis,MN,US,,203.0.113.18',
  'K-1016,pat@example.com,+1 801 555 0116,Pat,Park,Salt Lake City,UT,US,,203.0.113.19',
  'K-1003,CHEN@example.COM,+1 212 555 0103,Chen,Cho,New York,NY,US,,203.0.113.20',
];
const BAD_LINES = [8, 15];
const PEOPLE = 15;

const suite = setUpConsoleSuite();
let csvPath = '';

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-e2e-csv-'));
  csvPath = path.join(dir, fileName);
  fs.writeFileSync(csvPath, `${rows.join('\n')}\n`);
});

afterAll(() => {
  if (csvPath) fs.rmSync(path.dirname(csvPath), { recursive: true, force: true });
});

/**
 * Holds an import in its "reading rows" phase so the live progress can be seen: a 20-row file is otherwise
 * done before the first poll. The import writes each batch's rejected rows to `import_issues`; an EXCLUSIVE
 * lock on that table (reads still pass) makes the first batch wait until the lock is released.
 */
async function holdImportsAtFirstBatch(databaseUrl: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE import_issues IN EXCLUSIVE MODE');
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

describe('importing affected people', () => {
  it('uploads a CSV, corrects the mapping, imports it and finds a person', async () => {
    fs.mkdirSync(artifactsDir, { recursive: true });
    const setupUrl = await bootstrapLink(suite.server);
    const context = await suite.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    await setUpFirstAdmin(page, setupUrl, admin);

    // A new incident, from the empty install.
    await heading(page, 'Incidents').waitFor();
    await page.getByRole('button', { name: 'Load the demo breach' }).waitFor();
    await page.getByRole('button', { name: 'New incident' }).click();
    const newIncident = dialog(page, 'New incident');
    await newIncident.getByRole('textbox', { name: 'Title', exact: true }).fill(incidentTitle);
    await newIncident.getByRole('button', { name: 'Create incident' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\/people$/);
    await heading(page, incidentTitle).waitFor();
    expect(await consoleNav(page).getByRole('link', { name: 'People' }).getAttribute('aria-current')).toBe(
      'page',
    );

    // Upload: the file is chosen the way a person would, through the file chooser.
    await page.getByRole('button', { name: 'Import a file', exact: true }).first().click();
    const chooseFile = dialog(page, 'Import a file');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      chooseFile.getByRole('button', { name: /File to import/ }).click(),
    ]);
    await chooser.setFiles(csvPath);
    await chooseFile.getByRole('button', { name: 'Upload and preview' }).click();

    // Preview: the first rows and the detected mapping, with how each column was detected.
    const preview = dialog(page, `Check the columns of ${fileName}`);
    const mapping = preview.getByRole('table', { name: 'Column mapping' });
    await mapping.waitFor();
    expect(await preview.getByRole('table', { name: 'First rows' }).locator('tbody tr').count()).toBe(5);
    const fieldOf = (column: string) => preview.getByRole('combobox', { name: `Field for column ${column}` });
    const rowOf = (column: string) => mapping.getByRole('row', { name: new RegExp(`^${column}\\b`) });
    expect(await fieldOf('E-mail Address').inputValue()).toBe('Email');
    expect(await fieldOf('mobile').inputValue()).toBe('Phone');
    expect(await fieldOf('pwd_hash').inputValue()).toBe('Exposed: Password or credential');
    expect(await rowOf('E-mail Address').textContent()).toContain('From the header');
    expect(await fieldOf('last_seen_from').inputValue()).toBe('Exposed: IP address');
    expect(await rowOf('last_seen_from').textContent()).toContain('From the values');
    expect(await fieldOf('Kundennr').inputValue()).toBe('');
    expect(await rowOf('Kundennr').textContent()).toContain('Not imported unless you map it');
    expect(await preview.getByText('1 column is not imported unless you map it: Kundennr.').isVisible()).toBe(
      true,
    );
    // The broken quote is among the rows read for the preview.
    expect(await preview.getByText('Line 8: unbalanced quote').isVisible()).toBe(true);
    // Tall enough for the whole dialog: mapping, first rows and the start button.
    await page.setViewportSize({ width: 1440, height: 2000 });
    await page.screenshot({ path: path.join(artifactsDir, 'import-preview.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });

    // Map the unusual column by hand.
    await fieldOf('Kundennr').click();
    await fieldOf('Kundennr').fill('Customer');
    await page.getByRole('option', { name: 'Customer ID', exact: true }).click();
    expect(await fieldOf('Kundennr').inputValue()).toBe('Customer ID');
    expect(await rowOf('Kundennr').textContent()).toContain('Set by you');
    expect(await preview.getByText(/not imported unless you map/i).count()).toBe(0);

    // Start, with the import held at its first batch so its live progress shows.
    const release = await holdImportsAtFirstBatch(suite.database.url);
    try {
      await preview.getByRole('button', { name: 'Start import' }).click();
      await preview.waitFor({ state: 'hidden' });
      // Nothing read yet: the bar is at 0% (zero width, so not "visible" to Playwright) under its caption.
      const running = page.getByRole('region', { name: `Importing ${fileName}` });
      await running.waitFor();
      const progress = running.getByRole('progressbar', { name: `Progress of ${fileName}` });
      expect(await progress.getAttribute('aria-valuenow')).toBe('0');
      const runningText = (await running.textContent()) ?? '';
      for (const part of ['Reading rows', 'rows/s', 'Accepted:', 'Rejected:'])
        expect(runningText).toContain(part);
    } finally {
      await release();
    }
    await page.getByRole('progressbar', { name: `Progress of ${fileName}` }).waitFor({ state: 'detached' });

    // The result: counts, charts and the import's row.
    const peopleCard = page.getByRole('group', { name: 'People', exact: true });
    await peopleCard.waitFor();
    expect(await peopleCard.textContent()).toContain(String(PEOPLE));
    expect(await page.getByRole('group', { name: 'Rejected rows' }).textContent()).toContain(
      String(BAD_LINES.length),
    );
    await page.getByRole('figure', { name: 'Data exposed' }).waitFor();
    await page.getByRole('figure', { name: 'Risk tier' }).waitFor();
    const importRow = page
      .getByRole('table', { name: 'Imports' })
      .getByRole('row', { name: new RegExp(fileName) });
    expect(await importRow.textContent()).toContain('Done');
    await page.getByText(`Aware since`).first().waitFor();
    expect(await page.getByText(`${PEOPLE} people affected`).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(artifactsDir, 'people.png'), fullPage: true });

    // Rejected rows: line number and reason, never the values.
    await importRow.getByRole('button', { name: `Rejected rows of ${fileName}` }).click();
    const rejected = dialog(page, `Rejected rows of ${fileName}`);
    const rejectedTable = rejected.getByRole('table', { name: 'Rejected rows' });
    await rejectedTable.locator('tbody tr').first().waitFor();
    const lines = await rejectedTable.locator('tbody tr td:first-child').allInnerTexts();
    expect(lines.map(Number)).toEqual(BAD_LINES);
    const rejectedText = (await rejectedTable.textContent()) ?? '';
    expect(rejectedText).toContain('unbalanced quote');
    expect(rejectedText).toContain('no usable identifier');
    expect(rejectedText).not.toContain('gus@example.com');
    await rejected.getByRole('button', { name: 'Close' }).click();

    // Find a person by email, in another casing than either of their records.
    const find = page.getByRole('form', { name: 'Find a person' });
    await find.getByLabel('Email address').fill('ALICE@example.com');
    await find.getByRole('button', { name: 'Find' }).click();
    const matches = page.getByRole('table', { name: 'Matching people' });
    await matches.waitFor();
    expect(await matches.locator('tbody tr').count()).toBe(1);
    expect(page.url()).not.toContain('alice');
    await matches.getByRole('button', { name: /^Open #/ }).click();

    const person = dialog(page, 'Affected person');
    const identifiers = person.getByRole('table', { name: 'Identifiers' });
    await identifiers.waitFor();
    const identifierText = (await identifiers.textContent()) ?? '';
    expect(identifierText).toContain('alice@example.com');
    expect(identifierText).toContain('K-1001');
    expect(identifierText).toContain('+14155550101');
    expect(await person.getByText('recorded in the audit log').isVisible()).toBe(true);
    const sources = await person.getByRole('table', { name: 'Source records' }).locator('tbody tr').count();
    expect(sources).toBe(2);
    await person.getByRole('button', { name: 'Close' }).click();

    // The same file again adds nothing, and says so.
    await page.getByRole('button', { name: 'Import a file', exact: true }).click();
    const [again] = await Promise.all([
      page.waitForEvent('filechooser'),
      chooseFile.getByRole('button', { name: /File to import/ }).click(),
    ]);
    await again.setFiles(csvPath);
    await chooseFile.getByRole('button', { name: 'Upload and preview' }).click();
    await fieldOf('Kundennr').click();
    await fieldOf('Kundennr').fill('Customer');
    await page.getByRole('option', { name: 'Customer ID', exact: true }).click();
    await preview.getByRole('button', { name: 'Start import' }).click();
    await page.getByText('This file was already imported into this incident: nothing added.').waitFor();
    expect(await page.getByRole('table', { name: 'Imports' }).locator('tbody tr').count()).toBe(1);
    expect(await peopleCard.textContent()).toContain(String(PEOPLE));

    // The view is in the audit log.
    await consoleNav(page).getByRole('link', { name: 'Audit log' }).click();
    await heading(page, 'Audit log').waitFor();
    await page.getByRole('table', { name: 'Audit log entries' }).getByText('people.viewed').first().waitFor();

    expect(pageErrors).toEqual([]);
  });
});
