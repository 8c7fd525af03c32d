import { AppError } from '../../platform/errors.ts';
import type { Letter } from './letters-pdf.ts';

/** The CSV files of letters: the manifest that goes with a print batch, and the returned-mail list. */

export const MANIFEST_COLUMNS = [
  'sequence',
  'message_id',
  'verification_code',
  'pages',
  'name',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
] as const;

export function manifestCsv(letters: Letter[], pages: number[]): string {
  const lines = [MANIFEST_COLUMNS.join(',')];
  letters.forEach((l, i) => {
    const printedLines = l.address[0] === l.to ? l.address.slice(1) : l.address;
    const p = l.postal;
    const cells = [
      i + 1,
      l.messageId,
      l.verificationCode,
      pages[i]!,
      l.name,
      p ? p.line1 : (printedLines[0] ?? ''),
      p ? p.line2 : printedLines.slice(1).join(', '),
      p?.city,
      p?.region,
      p?.postalCode,
      p?.country,
    ];
    lines.push(cells.map(csvCell).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One CSV cell (RFC 4180). A text cell starting with = + - @ (or a tab or carriage return) gets a leading
 * apostrophe, so a spreadsheet at the print shop shows it instead of running it as a formula.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^\s*[=+\-@]|^[\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export interface ReturnedEntry {
  line: number;
  messageId: string | null;
  code: string | null;
}

/** CSV records with the physical line each starts on; quoted fields may hold delimiters and newlines. */
function csvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    firstLine.split(d).length > firstLine.split(best).length ? d : best,
  );
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      records.push({ line: start, fields: [...fields, field] });
      fields = [];
      field = '';
      start = ++line;
    } else field += c;
  }
  if (quoted) {
    throw new AppError(
      'validation_failed',
      `Line ${start} opens a quote that never closes, so the lines after it cannot be read. Fix the file and import it again; nothing was imported.`,
    );
  }
  records.push({ line: start, fields: [...fields, field] });
  return records.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

/**
 * The vendor's returned-mail list: a CSV with a `message_id` and/or `verification_code` column, or one
 * value per line (a value with "@" is a message id, anything else a verification code). Codes are
 * compared without dashes or spaces and in upper case; message ids with or without their angle brackets.
 */
export function parseReturnedMail(csv: string): ReturnedEntry[] {
  const records = csvRecords(csv);
  if (records.length === 0) return [];
  const header = records[0]!.fields.map((f) => f.toLowerCase().replace(/[^a-z]/g, ''));
  const idColumn = header.indexOf('messageid');
  const codeColumn = header.indexOf('verificationcode');
  const hasHeader = idColumn >= 0 || codeColumn >= 0;
  return (hasHeader ? records.slice(1) : records).map(({ line, fields }) => {
    let id = hasHeader ? (fields[idColumn]?.trim() ?? '') : '';
    let code = hasHeader ? (fields[codeColumn]?.trim() ?? '') : '';
    if (!hasHeader) {
      const value = fields[0]?.trim() ?? '';
      if (value.includes('@')) id = value;
      else code = value;
    }
    if (id && !id.startsWith('<')) id = `<${id}>`;
    code = code.replace(/[\s-]/g, '').toUpperCase();
    return { line, messageId: id || null, code: code || null };
  });
}
