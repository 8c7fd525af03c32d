import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvReader } from './csv-parser.ts';
import type { InputSource } from './sources.ts';

/**
 * Reads a breach export as rows of strings, whatever its form: CSV (any common delimiter) or JSON lines,
 * optionally gzip-compressed (detected from the content, not the name), UTF-8 or Latin-1. Rows that cannot
 * be read come back with a line number and a reason; the rest keep flowing. Byte progress is reported on
 * the compressed file, so a progress bar is honest for .gz too.
 */
export type InputFormat = 'csv' | 'jsonl';
export type InputEncoding = 'utf8' | 'latin1';

export interface InputRow {
  line: number;
  values?: Array<string | undefined>;
  error?: string;
}

export class InputError extends Error {}

export const MAX_RECORD_CHARS = 1 << 20;
/** More columns than any real export has: a file beyond it is refused (CSV) or its extra keys (JSON lines). */
export const MAX_COLUMNS = 1000;
const INVALID_UTF8 = '\uFFFD';

export interface OpenedInput {
  format: InputFormat;
  isGzip: boolean;
  /** Column names (CSV header, or the JSON keys seen so far: it grows as new keys appear). */
  headers: string[];
  rows: AsyncGenerator<InputRow>;
  bytesRead(): number;
}

export function formatFromName(name: string): InputFormat | undefined {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (/\.(jsonl|ndjson|json)$/.test(base)) return 'jsonl';
  if (/\.(csv|tsv|txt)$/.test(base)) return 'csv';
  return undefined;
}

export async function openInput(
  source: InputSource,
  options: { format?: InputFormat | undefined; encoding?: InputEncoding },
): Promise<OpenedInput> {
  if (source.size === 0) throw new InputError('The file is empty: there is nothing to import.');
  const raw = source.open();
  const rawChunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await rawChunks.next();
  if (head.done) throw new InputError('The file is empty: there is nothing to import.');
  const isGzip = head.value.length >= 2 && head.value[0] === 0x1f && head.value[1] === 0x8b;
  let bytes = 0;
  const counted = Readable.from(
    (async function* () {
      bytes += head.value.length;
      yield head.value;
      for (;;) {
        const next = await rawChunks.next();
        if (next.done) return;
        bytes += next.value.length;
        yield next.value;
      }
    })(),
  );
  const stream: Readable = isGzip ? counted.pipe(createGunzip()) : counted;
  counted.on('error', (error) => stream.destroy(error));
  const decoder = new TextDecoder(options.encoding === 'latin1' ? 'latin1' : 'utf-8', { fatal: false });

  // Look at the first decoded text to decide the format and refuse what is not text at all.
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let firstText = '';
  const buffered: string[] = [];
  while (firstText.trim() === '' || firstText.length < 2048) {
    const next = await iterator.next().catch((error: Error) => {
      throw new InputError(
        `The file could not be decompressed (${error.message}). Is it a complete .gz file?`,
      );
    });
    if (next.done) break;
    if (next.value.includes(0)) {
      raw.destroy();
      counted.destroy();
      throw new InputError(
        'This file is not CSV or JSON lines (it contains binary data). Export the records as CSV or JSON lines.',
      );
    }
    const text = decoder.decode(next.value, { stream: true });
    buffered.push(text);
    firstText += text;
  }
  if (firstText.trim() === '') throw new InputError('The file is empty: there is nothing to import.');
  const format =
    options.format ??
    formatFromName(source.name) ??
    (firstText.trimStart().startsWith('{') ? 'jsonl' : 'csv');

  async function* texts(): AsyncGenerator<string> {
    for (const t of buffered) yield t;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new InputError(`The file is damaged after ${bytes} bytes (${(error as Error).message}).`);
      }
      if (next.done) break;
      yield decoder.decode(next.value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  const opened: OpenedInput = {
    format,
    isGzip,
    headers: [],
    rows: undefined as unknown as AsyncGenerator<InputRow>,
    bytesRead: () => bytes,
  };
  opened.rows = format === 'csv' ? csvRows(texts(), opened) : jsonlRows(texts(), opened);
  // Prime the header so callers see it before the first row.
  const first = await opened.rows.next();
  const primed = first;
  const inner = opened.rows;
  opened.rows = (async function* () {
    if (!primed.done) yield primed.value;
    yield* inner;
  })();
  if (opened.headers.length > MAX_COLUMNS) {
    throw new InputError(
      `The header has ${opened.headers.length} columns; Candor reads at most ${MAX_COLUMNS}. Is it a CSV export?`,
    );
  }
  // A CSV needs its header line; JSON lines name their keys on every line, so a bad first line is just a
  // rejected row (only a file with no row at all is refused).
  if (opened.headers.length === 0 && (format === 'csv' || first.done)) {
    throw new InputError('The file has no header line or no records.');
  }
  return opened;
}

async function* csvRows(texts: AsyncGenerator<string>, opened: OpenedInput): AsyncGenerator<InputRow> {
  const reader = new CsvReader({ maxRecordChars: MAX_RECORD_CHARS });
  const check = (rows: InputRow[]) => {
    if (reader.headers && opened.headers.length === 0) opened.headers.push(...reader.headers);
    return rows.map(rejectInvalidText);
  };
  for await (const text of texts) yield* check(reader.push(text));
  yield* check(reader.end());
}

function rejectInvalidText(row: InputRow): InputRow {
  if (row.values?.some((v) => v?.includes(INVALID_UTF8))) {
    return {
      line: row.line,
      error: 'invalid UTF-8 (if the file is Latin-1, import it with --encoding latin1)',
    };
  }
  return row;
}

async function* jsonlRows(texts: AsyncGenerator<string>, opened: OpenedInput): AsyncGenerator<InputRow> {
  const index = new Map<string, number>();
  let pending = '';
  let line = 0;
  const parse = (text: string): InputRow | undefined => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    if (trimmed.length > MAX_RECORD_CHARS) return { line, error: 'line longer than 1024 KiB' };
    if (trimmed.includes(INVALID_UTF8)) {
      return { line, error: 'invalid UTF-8 (if the file is Latin-1, import it with --encoding latin1)' };
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return { line, error: 'not valid JSON' };
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { line, error: 'not a JSON object' };
    const values: Array<string | undefined> = [];
    const entries = flatten(value as Record<string, unknown>);
    const newKeys = entries.filter(([key]) => !index.has(key)).length;
    if (index.size + newKeys > MAX_COLUMNS) {
      // A hostile or broken file with ever-new keys would grow the column list without end.
      return {
        line,
        error: `more than ${MAX_COLUMNS} distinct keys in the file; this row adds ${newKeys} more`,
      };
    }
    for (const [key, v] of entries) {
      let i = index.get(key);
      if (i === undefined) {
        i = opened.headers.length;
        index.set(key, i);
        opened.headers.push(key);
      }
      values[i] = v;
    }
    return { line, values };
  };
  for await (const text of texts) {
    pending += text;
    let nl = pending.indexOf('\n');
    let start = 0;
    while (nl !== -1) {
      const row = parse(pending.slice(start, nl));
      if (row) yield row;
      start = nl + 1;
      nl = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    if (pending.length > MAX_RECORD_CHARS * 2) {
      // One enormous line: reject it and skip to its end.
      const row: InputRow = { line: ++line, error: 'line longer than 1024 KiB' };
      yield row;
      let skipping = true;
      pending = '';
      for await (const more of texts) {
        const end = more.indexOf('\n');
        if (end !== -1) {
          pending = more.slice(end + 1);
          skipping = false;
          break;
        }
      }
      if (skipping) return;
    }
  }
  if (pending.trim()) {
    const row = parse(pending);
    if (row) yield row;
  }
}

function flatten(object: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === null || value === undefined) out.push([name, '']);
    else if (Array.isArray(value))
      out.push([name, value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')]);
    else if (typeof value === 'object') out.push(...flatten(value as Record<string, unknown>, name));
    else out.push([name, String(value)]);
  }
  return out;
}
