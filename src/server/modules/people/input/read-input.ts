import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { RowIssue } from '../record-builder.ts';
import { CsvReader, type CsvRow } from './csv-parser.ts';
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
  /** Things read in a way worth saying (a quote taken literally), kept with the row's line. */
  warnings?: RowIssue[];
}

export class InputError extends Error {}

export const MAX_RECORD_CHARS = 1 << 20;
/** More columns than any real export has: a file beyond it is refused (CSV) or its extra keys (JSON lines). */
export const MAX_COLUMNS = 1000;
/** JSON nested deeper than any export needs; deeper objects are rejected (they overflowed the stack). */
export const MAX_JSON_DEPTH = 32;
const INVALID_UTF8 = '\uFFFD';

/**
 * Bounds on decompression. Real exports compress 5–50 times; a gzip bomb (2 MB expanding to a 2.35 GB line
 * was reported) compresses ~1000 times. Past the first `ratioFromBytes` of output, output may not exceed
 * `maxRatio` times the compressed bytes read so far; and no .gz file expands past `maxExpandedBytes`.
 */
export interface GzipLimits {
  maxRatio: number;
  ratioFromBytes: number;
  maxExpandedBytes: number;
}
export const GZIP_LIMITS: GzipLimits = {
  maxRatio: 250,
  ratioFromBytes: 32 * 2 ** 20,
  maxExpandedBytes: 64 * 2 ** 30,
};

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

export interface OpenOptions {
  format?: InputFormat | undefined;
  encoding?: InputEncoding | undefined;
  gzipLimits?: GzipLimits | undefined;
  /**
   * Read no more than about this many characters (a preview): the rows end there, without the record the
   * limit cut through.
   */
  maxChars?: number | undefined;
}

export async function openInput(source: InputSource, options: OpenOptions): Promise<OpenedInput> {
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
  const gunzip = isGzip ? createGunzip() : undefined;
  const stream: Readable = gunzip ? counted.pipe(gunzip) : counted;
  counted.on('error', (error) => stream.destroy(error));
  const decoder = new TextDecoder(options.encoding === 'latin1' ? 'latin1' : 'utf-8', { fatal: false });
  const limits = options.gzipLimits ?? GZIP_LIMITS;
  let expanded = 0;
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const stop = () => {
    raw.destroy();
    counted.destroy();
    stream.destroy();
  };
  // A decompression bomb is refused as soon as it shows, before its output is read any further.
  const iterator: AsyncIterator<Buffer> = {
    async next() {
      const next = await chunks.next();
      if (!gunzip || next.done) return next;
      expanded += next.value.length;
      // Compressed bytes the decompressor has consumed (not those read ahead of it, up to 1 MiB at once).
      const consumed = gunzip.bytesWritten;
      const isBomb =
        expanded > limits.maxExpandedBytes ||
        (expanded > limits.ratioFromBytes && expanded > limits.maxRatio * consumed);
      if (isBomb) {
        stop();
        throw new InputError(
          expanded > limits.maxExpandedBytes
            ? `The file expands past ${mb(limits.maxExpandedBytes)} MB when decompressed, more than Candor reads from a .gz file. Split the export into smaller files.`
            : `The file expands more than ${limits.maxRatio} times when decompressed (${mb(expanded)} MB from ${mb(consumed)} MB so far), as a decompression bomb does; Candor refused it. If the export is genuine, decompress it yourself and import the plain file.`,
        );
      }
      return next;
    },
  };

  // Look at the first decoded text to decide the format and refuse what is not text at all.
  let firstText = '';
  const buffered: string[] = [];
  while (firstText.trim() === '' || firstText.length < 2048) {
    const next = await iterator.next().catch((error: Error) => {
      if (error instanceof InputError) throw error;
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

  const maxChars = options.maxChars ?? Number.POSITIVE_INFINITY;
  const reading = { chars: 0, isCut: false };
  async function* texts(): AsyncGenerator<string> {
    for (const t of buffered) {
      reading.chars += t.length;
      yield t;
    }
    for (;;) {
      if (reading.chars >= maxChars) {
        reading.isCut = true;
        stop();
        return;
      }
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(`The file is damaged after ${bytes} bytes (${(error as Error).message}).`);
      }
      if (next.done) break;
      const text = decoder.decode(next.value, { stream: true });
      reading.chars += text.length;
      yield text;
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
  opened.rows = format === 'csv' ? csvRows(texts(), opened, reading) : jsonlRows(texts(), opened, reading);
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

async function* csvRows(
  texts: AsyncGenerator<string>,
  opened: OpenedInput,
  reading: { isCut: boolean },
): AsyncGenerator<InputRow> {
  const reader = new CsvReader({ maxRecordChars: MAX_RECORD_CHARS });
  const check = (rows: CsvRow[]) => {
    if (reader.headers && opened.headers.length === 0) opened.headers.push(...reader.headers);
    return rows.map((row) => rejectInvalidText(withWarnings(row, opened.headers)));
  };
  for await (const text of texts) yield* check(reader.push(text));
  if (!reading.isCut) yield* check(reader.end());
}

function withWarnings(row: CsvRow, headers: string[]): InputRow {
  if (!row.warnings) return { line: row.line, values: row.values, error: row.error };
  return {
    line: row.line,
    values: row.values,
    warnings: row.warnings.map((w) => ({
      severity: 'warning',
      kind: w.kind,
      reason: 'a quote inside an unquoted field, taken literally',
      field: (headers[w.column] ?? `column ${w.column + 1}`).slice(0, 100),
    })),
  };
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

async function* jsonlRows(
  texts: AsyncGenerator<string>,
  opened: OpenedInput,
  reading: { isCut: boolean },
): AsyncGenerator<InputRow> {
  const index = new Map<string, number>();
  let line = 0;
  const parse = (text: string): InputRow | undefined => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    if (trimmed.length > MAX_RECORD_CHARS) return { line, error: tooLong };
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
    // Flattening is recursive, so depth is checked first (thousands of levels overflowed the stack).
    if (isDeeperThan(value, MAX_JSON_DEPTH)) {
      return { line, error: `JSON nested more than ${MAX_JSON_DEPTH} levels deep` };
    }
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
  // The line being read, in pieces; each chunk is searched for a newline once, never again.
  let pending: string[] = [];
  let pendingChars = 0;
  let isSkipping = false;
  for await (const text of texts) {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (isSkipping) isSkipping = false;
      else {
        pending.push(text.slice(start, nl));
        const row = parse(pending.join(''));
        if (row) yield row;
      }
      pending = [];
      pendingChars = 0;
      start = nl + 1;
    }
    if (isSkipping || start === text.length) continue;
    pending.push(text.slice(start));
    pendingChars += text.length - start;
    if (pendingChars > MAX_RECORD_CHARS + 1024) {
      // One enormous line: reject it now and let the rest of it go by unread (leading and trailing
      // blanks are allowed for, since the limit counts the trimmed line).
      yield { line: ++line, error: tooLong };
      pending = [];
      pendingChars = 0;
      isSkipping = true;
    }
  }
  if (!isSkipping && !reading.isCut && pendingChars > 0) {
    const row = parse(pending.join(''));
    if (row) yield row;
  }
}

const tooLong = `line longer than ${Math.round(MAX_RECORD_CHARS / 1024)} KiB`;
const mb = (bytes: number) => (bytes / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 });

/** Whether a parsed JSON value nests deeper than `limit`, walked without recursion. */
function isDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of Object.values(current as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
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
