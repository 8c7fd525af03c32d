// Longer than ~400 lines on purpose: one state machine whose states share the chunk loop; split, each part
// would need the others' state.
/**
 * A streaming CSV reader (RFC 4180 plus the delimiters exports use: comma, semicolon, tab, pipe) built for
 * breach exports, where bad rows must be rejected with their line number and everything else kept:
 *  - whole lines without quotes take a fast path (String.split); everything else goes through a state
 *    machine that keeps its place between chunks, so no text is ever scanned twice while reading on
 *    (a 2 GB line used to be re-scanned from its start on every 64 KiB chunk, and buffered whole);
 *  - a record longer than `maxRecordChars` is rejected as soon as it passes the limit; the rest of its line
 *    is skipped without being kept, so memory and time per line do not depend on the line's length;
 *  - a record whose quote never closes, or that closes into the wrong number of fields, is rejected by its
 *    first line and parsing resumes at the next line, so one stray quote costs one row, not the file (the
 *    record's text is kept for that, never more than `maxRecordChars`);
 *  - a quote inside an unquoted field (`O"Neil`, `37°36'37.8"N`) is taken literally, as every common
 *    parser does, and reported as a warning on that column;
 *  - quoted fields keep their bytes: a CRLF inside quotes stays CRLF;
 *  - line numbers are physical (1-based, counting every newline inside quoted fields).
 */
export interface CsvWarning {
  kind: 'literal_quote';
  /** Index of the column the warning is about. */
  column: number;
}

export interface CsvRow {
  line: number;
  values?: string[];
  error?: string;
  warnings?: CsvWarning[];
}

export interface CsvOptions {
  maxRecordChars: number;
  delimiter?: string;
}

const DELIMITERS = [',', ';', '\t', '|'];
const NL = 10;
const CR = 13;
const QUOTE = 34;

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

enum State {
  /** At the start of a field (after a delimiter, or at the start of a record). */
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: an escaped quote ("") or the closing one. */
  QuoteInQuoted,
  /** A carriage return right after a closing quote: a CRLF ends the record, anything else is malformed. */
  ClosedCr,
}

/** Why a record in progress failed. */
type Failure = 'too long' | 'text after a closing quote' | 'unbalanced quote';

export class CsvReader {
  /** Physical lines consumed so far (the number of the last line that ended). */
  private line = 0;
  private delimiter: string | undefined;
  private delimiterCode = 0;
  /** Text read before the header line ended, to detect the delimiter from it (bounded). */
  private head = '';
  /** Discarding everything up to the next newline (the rest of a rejected line). */
  private isSkipping = false;
  // The record in progress (the state machine), when `isInRecord`.
  private isInRecord = false;
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private recordChars = 0;
  /** Newlines inside the record so far (quoted fields spanning lines). */
  private recordNewlines = 0;
  /** The record's raw text, to re-read it from its second line when it has to be rejected (bounded). */
  private raw = '';
  private literalQuotes: number[] = [];
  /** Field count the header set; records must match it. */
  expectedFields = 0;
  headers: string[] | undefined;

  constructor(private readonly options: CsvOptions) {
    if (options.delimiter) this.setDelimiter(options.delimiter);
  }

  /** Feeds decoded text; returns the complete rows it finished. */
  push(chunk: string): CsvRow[] {
    const rows: CsvRow[] = [];
    if (this.delimiter === undefined) {
      this.head += chunk;
      const nl = this.head.indexOf('\n');
      if (nl === -1 && this.head.length <= this.options.maxRecordChars) return rows;
      this.setDelimiter(detectDelimiter(this.head.slice(0, nl === -1 ? this.options.maxRecordChars : nl)));
      chunk = this.head;
      this.head = '';
    }
    this.scan(chunk, rows);
    return rows;
  }

  /** Flushes the last record at end of input. */
  end(): CsvRow[] {
    const rows: CsvRow[] = [];
    if (this.delimiter === undefined) {
      if (this.head === '') return rows;
      this.setDelimiter(detectDelimiter(this.head));
      const text = this.head;
      this.head = '';
      this.scan(text, rows);
    }
    // A record cut off by the end of input: complete it, or (an open quote) reject its first line and
    // read what followed it again, which may end in another open quote.
    while (this.isInRecord) {
      if (this.state === State.Quoted) {
        const rest = this.fail(rows, 'unbalanced quote');
        if (rest !== '') this.scan(rest, rows);
      } else if (!this.endRecord(rows)) {
        const rest = this.fail(rows, 'unbalanced quote');
        if (rest !== '') this.scan(rest, rows);
      }
    }
    this.isSkipping = false;
    return rows;
  }

  private setDelimiter(delimiter: string): void {
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  private scan(input: string, rows: CsvRow[]): void {
    const max = this.options.maxRecordChars;
    let text = input;
    let pos = 0;
    // The next quote at or after `pos` (cached: looking it up per line would re-scan a quote-free chunk).
    let quoteAt = -1;
    while (pos < text.length) {
      if (this.isSkipping) {
        const nl = text.indexOf('\n', pos);
        if (nl === -1) return;
        this.line++;
        this.isSkipping = false;
        pos = nl + 1;
        continue;
      }
      if (!this.isInRecord) {
        const nl = text.indexOf('\n', pos);
        if (nl !== -1) {
          if (quoteAt < pos) {
            const q = text.indexOf('"', pos);
            quoteAt = q === -1 ? Number.POSITIVE_INFINITY : q;
          }
          if (quoteAt > nl) {
            const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
            const lineNo = ++this.line;
            if (end - pos > max) rows.push({ line: lineNo, error: `line longer than ${kib(max)} KiB` });
            else if (end > pos) this.emit(rows, lineNo, text.slice(pos, end).split(this.delimiter!), []);
            pos = nl + 1;
            continue;
          }
        }
        this.beginRecord();
      }
      const result = this.step(text, pos, rows);
      if (typeof result === 'number') {
        pos = result;
      } else {
        // The record failed after its first line: read its text from the second line on again.
        text = result.rest + text.slice(result.at);
        pos = 0;
        quoteAt = -1;
      }
    }
  }

  private beginRecord(): void {
    this.isInRecord = true;
    this.state = State.FieldStart;
    this.fields = [];
    this.field = '';
    this.recordChars = 0;
    this.recordNewlines = 0;
    this.raw = '';
    this.literalQuotes = [];
  }

  /**
   * Runs the state machine from `pos` until the record ends or the text does. Returns where to go on, or
   * the text to read again when the record failed after its first line.
   */
  private step(text: string, start: number, rows: CsvRow[]): number | { rest: string; at: number } {
    const max = this.options.maxRecordChars;
    const delimiter = this.delimiterCode;
    const n = text.length;
    let pos = start;
    // Work on at most what the record may still take (plus one character to see the limit passed).
    const limit = Math.min(n, pos + (max - this.recordChars) + 1);
    let failure: Failure | undefined;
    let failedAt = pos;
    while (pos < limit) {
      const c = text.charCodeAt(pos);
      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            pos++;
            continue;
          }
          this.state = State.Unquoted;
          continue;
        case State.Unquoted: {
          let i = pos;
          while (i < limit) {
            const d = text.charCodeAt(i);
            if (d === delimiter || d === NL || d === QUOTE) break;
            i++;
          }
          this.field += text.slice(pos, i);
          if (i === limit) {
            pos = i;
            continue;
          }
          const d = text.charCodeAt(i);
          pos = i + 1;
          if (d === QUOTE) {
            if (!this.literalQuotes.includes(this.fields.length)) this.literalQuotes.push(this.fields.length);
            this.field += '"';
          } else if (d === delimiter) {
            this.endField();
          } else {
            if (this.field.charCodeAt(this.field.length - 1) === CR) this.field = this.field.slice(0, -1);
            this.consume(text, start, pos);
            return this.endRecordAt(pos, rows);
          }
          continue;
        }
        case State.Quoted: {
          let q = text.indexOf('"', pos);
          if (q === -1 || q >= limit) q = limit;
          const piece = text.slice(pos, q);
          for (let i = piece.indexOf('\n'); i !== -1; i = piece.indexOf('\n', i + 1)) this.recordNewlines++;
          this.field += piece;
          pos = q;
          if (q < limit) {
            this.state = State.QuoteInQuoted;
            pos++;
          }
          continue;
        }
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            pos++;
          } else if (c === delimiter) {
            this.endField();
            pos++;
          } else if (c === NL) {
            pos++;
            this.consume(text, start, pos);
            return this.endRecordAt(pos, rows);
          } else if (c === CR) {
            this.state = State.ClosedCr;
            pos++;
          } else {
            failure = 'text after a closing quote';
            failedAt = pos;
            pos = limit;
          }
          continue;
        case State.ClosedCr:
          if (c === NL) {
            pos++;
            this.consume(text, start, pos);
            return this.endRecordAt(pos, rows);
          }
          failure = 'text after a closing quote';
          failedAt = pos;
          pos = limit;
          continue;
      }
    }
    if (failure === undefined) {
      this.consume(text, start, pos);
      if (this.recordChars <= max) return pos;
      failure = 'too long';
      failedAt = pos;
    } else {
      this.consume(text, start, failedAt);
    }
    const rest = this.fail(rows, failure);
    return rest === '' ? failedAt : { rest, at: failedAt };
  }

  /** Counts text the record took (and keeps it, for a possible re-read). */
  private consume(text: string, from: number, to: number): void {
    this.recordChars += to - from;
    if (this.raw.length <= this.options.maxRecordChars) this.raw += text.slice(from, to);
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  /**
   * Ends the record in progress. False when it must be rejected instead: quotes that balance only across
   * lines into the wrong number of fields are a stray quote, most likely.
   */
  private endRecord(rows: CsvRow[]): boolean {
    const isBlank =
      this.fields.length === 0 &&
      this.field === '' &&
      (this.state === State.Unquoted || this.state === State.FieldStart);
    if (!isBlank) {
      this.fields.push(this.field);
      const isMisshapen = this.headers !== undefined && this.fields.length !== this.expectedFields;
      if (isMisshapen && this.recordNewlines > 0) return false;
    }
    const lineNo = this.line + 1;
    this.line += this.recordNewlines + 1;
    this.isInRecord = false;
    this.raw = '';
    if (!isBlank) this.emit(rows, lineNo, this.fields, this.literalQuotes);
    return true;
  }

  /** Ends the record at `pos`, or rejects it (see endRecord) and gives back what to read again. */
  private endRecordAt(pos: number, rows: CsvRow[]): number | { rest: string; at: number } {
    if (this.endRecord(rows)) return pos;
    return { rest: this.fail(rows, 'unbalanced quote'), at: pos };
  }

  /**
   * Rejects the record in progress by its first line. A record still on its first line skips to the next
   * newline; a longer one gives back its text after the first line, to be read again.
   */
  private fail(rows: CsvRow[], failure: Failure): string {
    const max = this.options.maxRecordChars;
    const lineNo = this.line + 1;
    this.isInRecord = false;
    const isMultiLine = this.recordNewlines > 0;
    const reason =
      failure === 'too long'
        ? isMultiLine
          ? `record longer than ${kib(max)} KiB (a quoted field spanning lines, or an unbalanced quote)`
          : `line longer than ${kib(max)} KiB`
        : failure === 'unbalanced quote'
          ? 'unbalanced quote'
          : `malformed quoting (${failure})`;
    rows.push({ line: lineNo, error: reason });
    if (!isMultiLine) {
      // The rest of the line is discarded as it arrives, never kept.
      this.isSkipping = failure !== 'unbalanced quote';
      if (!this.isSkipping) this.line++;
      this.raw = '';
      return '';
    }
    this.line++;
    const rest = this.raw.slice(this.raw.indexOf('\n') + 1);
    this.raw = '';
    return rest;
  }

  private emit(rows: CsvRow[], line: number, fields: string[], literalQuotes: number[]): void {
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
    const row: CsvRow = { line, values: fields };
    if (literalQuotes.length > 0)
      row.warnings = literalQuotes.map((column) => ({ kind: 'literal_quote', column }));
    rows.push(row);
  }
}

const kib = (chars: number) => Math.round(chars / 1024);
