import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InputRow, openInput } from '../../src/server/modules/people/input/read-input.ts';
import type { InputSource } from '../../src/server/modules/people/input/sources.ts';
import { csvSpectrum } from './fixtures/csv-spectrum.ts';
import {
  createPeopleHarness,
  csv,
  issuesOf,
  type PeopleHarness,
  personByEmail,
  testActor,
} from './helpers.ts';

let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

/** The bytes as a source read in pieces of `size` bytes (0: at once), so state crosses every boundary. */
function sourceOf(name: string, text: string, size: number): InputSource {
  const bytes = Buffer.from(text);
  const pieces: Buffer[] = [];
  if (size === 0) pieces.push(bytes);
  else for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return { name, size: bytes.length, open: () => Readable.from(pieces) };
}

async function read(name: string, text: string, size: number) {
  const input = await openInput(sourceOf(`${name}.csv`, text, size), {});
  const rows: InputRow[] = [];
  for await (const row of input.rows) rows.push(row);
  return { headers: input.headers, rows };
}

describe('csv-spectrum', () => {
  for (const spectrum of csvSpectrum) {
    it(`${spectrum.name}: reads the suite's records, whatever the chunk boundaries`, async () => {
      for (const size of [0, 1, 2, 7]) {
        const { headers, rows } = await read(spectrum.name, spectrum.csv, size);
        expect(rows.filter((r) => r.error)).toEqual([]);
        const records = rows.map((r) => Object.fromEntries(headers.map((key, i) => [key, r.values![i]])));
        expect(records, `read in pieces of ${size} bytes`).toEqual(spectrum.json);
      }
    });
  }

  it('location_coordinates: the quote inside an unquoted field is a warning on its column and line, not a rejection', async () => {
    const spectrum = csvSpectrum.find((c) => c.name === 'location_coordinates')!;
    const { rows } = await read(spectrum.name, spectrum.csv, 0);
    expect(rows.map((r) => ({ line: r.line, warnings: r.warnings }))).toEqual([
      {
        line: 2,
        warnings: [
          {
            severity: 'warning',
            kind: 'literal_quote',
            reason: 'a quote inside an unquoted field, taken literally',
            field: 'Location Coordinates',
          },
        ],
      },
    ]);
  });
});

describe('quotes in an import', () => {
  it('keeps a row with a quote inside an unquoted field (O"Neil), with a warning on that line', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'names.csv',
      csv(
        'email,last_name,city',
        'o1@example.com,Smith,Cork',
        'o2@example.com,O"Neil,Cork',
        'o3@example.com,Byrne,Cork',
      ),
    );
    expect(summary).toMatchObject({
      accepted: 3,
      rejected: 0,
      warnings: { total: 1, byKind: { literal_quote: 1 } },
    });
    expect(await issuesOf(h, summary.importId)).toEqual([
      {
        line: 3,
        severity: 'warning',
        reason: 'a quote inside an unquoted field, taken literally',
        field: 'last_name',
      },
    ]);
    const person = await personByEmail(h, incident, 'o2@example.com');
    const view = await h.population.view(incident, person.id, { actor: testActor });
    expect(view.identifiers.last_name).toEqual(['O"Neil']);
  });

  it('stores a CRLF inside a quoted field as the CRLF that leaked', async () => {
    const incident = await h.createIncident();
    await h.importText(
      incident,
      'addresses.csv',
      'email,address,city\r\nc1@example.com,"12 Quay Street\r\nFlat 3",Galway\r\n',
    );
    const person = await personByEmail(h, incident, 'c1@example.com');
    const view = await h.population.view(incident, person.id, { actor: testActor });
    expect(view.identifiers.address_line1).toEqual(['12 Quay Street\r\nFlat 3']);
    expect(view.identifiers.city).toEqual(['Galway']);
  });
});
