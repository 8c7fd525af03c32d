import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GZIP_LIMITS,
  type InputRow,
  MAX_RECORD_CHARS,
  openInput,
} from '../../src/server/modules/people/input/read-input.ts';
import type { InputSource } from '../../src/server/modules/people/input/sources.ts';
import { createPeopleHarness, csv, issuesOf, type PeopleHarness } from './helpers.ts';

/**
 * Security regression tests. They pin the attack a security tester ran: a CSV with one enormous line (a
 * 2 MB gzip expanding to a 2.35 GB line) stalled the server for minutes at up to 1.9 GB of memory, and a
 * 50 MB line cost 1.3 GB before it was refused, because the reader buffered until a newline and re-scanned
 * the line from its start on every chunk. The lines here are generated lazily, never written to disk.
 */
let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

const MiB = 2 ** 20;

/** A file made on the fly: `before`, then `lineBytes` of filler with no newline, then `after`. */
function generatedSource(name: string, before: string, lineBytes: number, after: string, filler = 0x5a) {
  const block = Buffer.alloc(MiB, filler);
  const produced = { bytes: 0, peakHeapGrowth: 0 };
  const baseline = process.memoryUsage().heapUsed;
  const sample = (bytes: number) => {
    produced.bytes += bytes;
    produced.peakHeapGrowth = Math.max(produced.peakHeapGrowth, process.memoryUsage().heapUsed - baseline);
  };
  const source: InputSource = {
    name,
    size: before.length + lineBytes + after.length,
    open: () =>
      Readable.from(
        (function* () {
          sample(before.length);
          yield Buffer.from(before);
          for (let left = lineBytes; left > 0; left -= MiB) {
            const piece = left >= MiB ? block : block.subarray(0, left);
            sample(piece.length);
            yield piece;
          }
          sample(after.length);
          yield Buffer.from(after);
        })(),
      ),
  };
  return { source, produced };
}

/** Reads every row, noting how far the generator had got when the long line's rejection came out. */
async function readAll(source: InputSource, produced: { bytes: number }) {
  const input = await openInput(source, {});
  const rows: InputRow[] = [];
  let producedAtRejection = 0;
  for await (const row of input.rows) {
    if (row.error && producedAtRejection === 0) producedAtRejection = produced.bytes;
    rows.push(row);
  }
  return { headers: input.headers, rows, producedAtRejection };
}

const LINE = 200 * MiB;
// The reader may hold one record up to the limit, plus the chunks in flight: far below the line's size.
const HEAP_BUDGET = 96 * MiB;

describe('one enormous line', () => {
  it('CSV: a 200 MB line is rejected at the limit with its line number, in bounded memory, and the rows after it are read', async () => {
    const { source, produced } = generatedSource(
      'huge.csv',
      'email,note\nl1@example.com,first\nzq.huge@example.com,',
      LINE,
      '\nl3@example.com,after\nl4@example.com,"quoted, after"\n',
    );
    const { headers, rows, producedAtRejection } = await readAll(source, produced);
    expect(headers).toEqual(['email', 'note']);
    expect(rows).toEqual([
      { line: 2, values: ['l1@example.com', 'first'] },
      { line: 3, error: 'line longer than 1024 KiB' },
      { line: 4, values: ['l3@example.com', 'after'] },
      { line: 5, values: ['l4@example.com', 'quoted, after'] },
    ]);
    // Rejected as soon as it passed the limit, not once the whole line had been read.
    expect(producedAtRejection).toBeLessThan(MAX_RECORD_CHARS + 8 * MiB);
    expect(produced.peakHeapGrowth).toBeLessThan(HEAP_BUDGET);
  }, 60_000);

  it('CSV: a 64 MB quoted field spanning lines is rejected by its first line, and reading resumes after it', async () => {
    const { source, produced } = generatedSource(
      'huge-quoted.csv',
      'email,note\nzq.quoted@example.com,"starts here\n',
      64 * MiB,
      '"\nl4@example.com,after\n',
      0x0a, // newlines: a quoted field of 64 MB of line breaks
    );
    const { rows } = await readAll(source, produced);
    expect(rows[0]).toEqual({
      line: 2,
      error: expect.stringMatching(/^record longer than 1024 KiB/),
    });
    expect(rows.at(-1)).toEqual({ line: 64 * MiB + 4, values: ['l4@example.com', 'after'] });
    expect(produced.peakHeapGrowth).toBeLessThan(HEAP_BUDGET);
  }, 60_000);

  it('JSON lines: a 200 MB line is rejected at the limit, and the lines after it are read', async () => {
    const { source, produced } = generatedSource(
      'huge.jsonl',
      '{"email":"l1@example.com"}\n{"email":"zq.huge@example.com","note":"',
      LINE,
      '"}\n{"email":"l3@example.com"}\n{"email":"l4@example.com"}\n',
    );
    const { rows, producedAtRejection } = await readAll(source, produced);
    expect(rows).toEqual([
      { line: 1, values: ['l1@example.com'] },
      { line: 2, error: 'line longer than 1024 KiB' },
      { line: 3, values: ['l3@example.com'] },
      { line: 4, values: ['l4@example.com'] },
    ]);
    expect(producedAtRejection).toBeLessThan(MAX_RECORD_CHARS + 8 * MiB);
    expect(produced.peakHeapGrowth).toBeLessThan(HEAP_BUDGET);
  }, 60_000);

  it('imports the rows after a 20 MB line and records the rejection with its line', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(
      incident,
      'long-line.csv',
      csv(
        'email,name',
        'm1@example.com,Ann',
        `zq.long@example.com,${'Z'.repeat(20 * MiB)}`,
        'm3@example.com,Cy',
      ),
    );
    expect(summary).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(await issuesOf(h, summary.importId)).toEqual([
      { line: 3, severity: 'rejected', reason: 'line longer than 1024 KiB', field: null },
    ]);
  });
});

/** The tester's file: a few rows, then one line of `lineMiB` MiB of "Z" in gzip members of 1 KB each. */
function gzipBomb(lineMiB: number): Buffer {
  const member = gzipSync(Buffer.alloc(MiB, 0x5a), { level: 9 });
  return Buffer.concat([
    gzipSync('email,name\nb1@example.com,Ann\nzq.bomb@example.com,'),
    ...Array.from({ length: lineMiB }, () => member),
    gzipSync('\nb3@example.com,Cy\n'),
  ]);
}

describe('decompression is bounded', () => {
  it('refuses the 2 MB gzip that expands to a 2.35 GB line, with a clear message, and creates no import', async () => {
    const bomb = gzipBomb(2240);
    expect(bomb.length).toBeLessThan(2.5e6);
    const incident = await h.createIncident();
    await expect(h.importText(incident, 'export.csv.gz', bomb)).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/expands more than 250 times .*decompression bomb/),
    });
    const imports = await h.ctx.db
      .selectFrom('imports')
      .select('id')
      .where('incident_id', '=', incident)
      .execute();
    expect(imports).toEqual([]);
  });

  it('refuses a .gz file that expands past the total limit, whatever its ratio', async () => {
    const text = csv('email,n', ...Array.from({ length: 20_000 }, (_, i) => `t${i}@example.com,${i}`));
    const source: InputSource = {
      name: 'rows.csv.gz',
      size: 1,
      open: () => Readable.from([gzipSync(text)]),
    };
    const limits = { ...GZIP_LIMITS, maxExpandedBytes: 100_000 };
    const input = await openInput(source, { gzipLimits: limits });
    await expect(
      (async () => {
        for await (const _ of input.rows);
      })(),
    ).rejects.toThrow(/expands past 0.1 MB when decompressed/);
  });

  it('reads an ordinary export past the ratio check’s first 32 MiB', async () => {
    const rows = Array.from(
      { length: 700_000 },
      (_, i) => `C${i},user${i}@example.com,${(i * 7919) % 100_000} Main Street,Springfield`,
    );
    const text = `customer_id,email,address,city\n${rows.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(GZIP_LIMITS.ratioFromBytes);
    const source: InputSource = {
      name: 'crm.csv.gz',
      size: 1,
      open: () => Readable.from([gzipSync(text, { level: 1 })]),
    };
    const input = await openInput(source, {});
    let read = 0;
    for await (const row of input.rows) if (row.values) read++;
    expect(read).toBe(rows.length);
  }, 60_000);
});
