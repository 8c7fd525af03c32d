/**
 * A streaming CSV reader (RFC 4180 plus the delimiters exports use: comma, semicolon, tab, pipe) built for
 * breach exports, where bad rows must be rejected with their line number and everything else kept:
 *  - lines without quotes take a fast path (String.split); quoted fields may span lines;
 *  - a record whose quote never closes, or that closes into the wrong number of fields, is rejected by its
 *    first line and parsing resumes at the next line, so one stray quote costs one row, not the file;
 *  - a record longer than `maxRecordBytes` is rejected and skipped;
 *  - line numbers are physical (1-based, counting every newline inside quoted fields).
 */
export interface CsvRow {
  line: number;
  values?: string[];
  error?: string;
}

export interface CsvOptions {
  maxRecordChars: number;
  delimiter?: string;
}

const DELIMITERS = [',', ';', '\t', '|'];

export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let inQuotes = false;
    for (const ch of headerLine) {
      if (ch === '"') inQuotes = !inQuotes;
      else if (ch === d && !inQuotes) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count;
}

type QuotedParse = { fields: string[] } | { open: true } | { malformed: string };

/** Parses one record that contains quotes; `text` may span several physical lines (joined with \n). */
function parseQuoted(text: string, delimiter: string): QuotedParse {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return { open: true };
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < n && text[i] !== delimiter) return { malformed: 'text after a closing quote' };
      fields.push(value);
    } else {
      const next = text.indexOf(delimiter, i);
      const end = next === -1 ? n : next;
      const value = text.slice(i, end);
      if (value.includes('"')) return { malformed: 'a quote inside an unquoted field' };
      fields.push(value);
      i = end;
    }
    if (i >= n) return { fields };
    i++; // delimiter
    if (i === n) {
      fields.push('');
      return { fields };
    }
  }
}

export class CsvReader {
  private pending = '';
  private line = 0;
  private delimiter: string | undefined;
  /** Field count the header set; records must match it. */
  expectedFields = 0;
  headers: string[] | undefined;

  constructor(private readonly options: CsvOptions) {
    this.delimiter = options.delimiter;
  }

  /** Feeds decoded text; returns the complete rows it finished. */
  push(chunk: string): CsvRow[] {
    this.pending += chunk;
    return this.drain(false);
  }

  /** Flushes the last line at end of input. */
  end(): CsvRow[] {
    return this.drain(true);
  }

  private drain(isEnd: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    let pos = 0;
    const text = this.pending;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1 && !isEnd) break;
      if (nl === -1 && pos >= text.length) break;
      const lineEnd = nl === -1 ? text.length : nl;
      let first = text.slice(pos, lineEnd);
      if (first.endsWith('\r')) first = first.slice(0, -1);
      const lineNo = ++this.line;
      if (first.length > this.options.maxRecordChars) {
        rows.push({
          line: lineNo,
          error: `line longer than ${Math.round(this.options.maxRecordChars / 1024)} KiB`,
        });
        pos = lineEnd + 1;
        continue;
      }
      if (!first.includes('"')) {
        pos = lineEnd + 1;
        this.emit(rows, lineNo, first === '' ? null : this.splitPlain(first));
        continue;
      }
      // Quoted: extend across lines until the quotes balance (or give up on this first line).
      let record = first;
      let scan = lineEnd + 1;
      let extraLines = 0;
      // Quotes balance only when their count is even: count per added line instead of re-parsing.
      let quotes = countQuotes(record);
      let outcome: QuotedParse =
        quotes % 2 === 0 ? parseQuoted(record, this.delimiterFor(record)) : { open: true };
      while ('open' in outcome) {
        const nextNl = text.indexOf('\n', scan);
        if (nextNl === -1 && !isEnd) {
          // Need more input before deciding; rewind this record's line number.
          this.line--;
          this.pending = text.slice(pos);
          return rows;
        }
        if (nextNl === -1 && scan >= text.length) break;
        const nextEnd = nextNl === -1 ? text.length : nextNl;
        let piece = text.slice(scan, nextEnd);
        if (piece.endsWith('\r')) piece = piece.slice(0, -1);
        record += `\n${piece}`;
        scan = nextEnd + 1;
        extraLines++;
        if (record.length > this.options.maxRecordChars) break;
        quotes += countQuotes(piece);
        if (quotes % 2 === 0) outcome = parseQuoted(record, this.delimiterFor(record));
      }
      if (
        'fields' in outcome &&
        (this.headers === undefined || outcome.fields.length === this.expectedFields || extraLines === 0)
      ) {
        this.line += extraLines;
        pos = scan;
        this.emit(rows, lineNo, outcome.fields);
        continue;
      }
      // Reject the first line alone and resume right after it: a stray quote costs one row.
      const reason =
        'malformed' in outcome
          ? `malformed quoting (${outcome.malformed})`
          : record.length > this.options.maxRecordChars
            ? `quoted field longer than ${Math.round(this.options.maxRecordChars / 1024)} KiB or unbalanced quote`
            : 'unbalanced quote';
      rows.push({ line: lineNo, error: reason });
      pos = lineEnd + 1;
    }
    this.pending = text.slice(pos);
    return rows;
  }

  private delimiterFor(line: string): string {
    this.delimiter ??= detectDelimiter(line);
    return this.delimiter;
  }

  private splitPlain(line: string): string[] {
    return line.split(this.delimiterFor(line));
  }

  private emit(rows: CsvRow[], line: number, fields: string[] | null): void {
    if (fields === null) return; // blank line
    if (this.headers === undefined) {
      const seen = new Map<string, number>();
      this.headers = fields.map((raw, i) => {
        const name = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).trim() || `column ${i + 1}`;
        const count = (seen.get(name) ?? 0) + 1;
        seen.set(name, count);
        return count > 1 ? `${name} (${count})` : name;
      });
      this.expectedFields = fields.length;
      return;
    }
    if (fields.length !== this.expectedFields) {
      rows.push({
        line,
        error: `${fields.length > this.expectedFields ? 'too many' : 'too few'} fields (${fields.length}, expected ${this.expectedFields})`,
      });
      return;
    }
    rows.push({ line, values: fields });
  }
}
