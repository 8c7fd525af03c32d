// The bare baseline of `npm run bench:import` (issue 21): the least any correct import must do per record,
// written plainly in one thread, with no resolution into people:
//   read the CSV line, split it, normalize the email (trim, lower-case) and the phone (digits, country
//   code), compute the three keyed blind indexes (HMAC-SHA-256 under the blind-index key), seal the
//   record's identifiers with one AES-256-GCM call, COPY the rows into PostgreSQL, and build the three
//   lookup indexes.
// Candor's end-to-end import is measured against this in the same run.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Splits one CSV line (RFC 4180 quotes; the fast path when the line has none). Null: a broken quote. */
function splitCsv(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

const normalizeEmail = (value: string) => value.trim().toLowerCase();

/** Digits with the country code (US numbers without one get +1), as E.164 without the plus. */
function normalizePhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length === 10) return `1${digits}`;
  return digits;
}

const hex = (b: Buffer | null) => (b ? `\\\\x${b.toString('hex')}` : '\\N');

export interface BaselineResult {
  rows: number;
  rejected: number;
  seconds: number;
  /** Seconds spent building the three indexes, included in `seconds`. */
  indexSeconds: number;
}

/** Runs the baseline over `file` into a fresh table of the database at `databaseUrl`. */
export async function bareImport(file: string, databaseUrl: string): Promise<BaselineResult> {
  const blindKey = randomBytes(32);
  const sealKey = randomBytes(32);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bare_records (
      rn bigint NOT NULL, email_index bytea, phone_index bytea, customer_index bytea, sealed bytea NOT NULL)`);
    const started = performance.now();
    const copy = client.query(copyFrom('COPY bare_records FROM STDIN'));
    const copied = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    let rn = 0;
    let rejected = 0;
    let header: string[] | null = null;
    let chunk = '';
    const blind = (value: string) => (value ? createHmac('sha256', blindKey).update(value).digest() : null);
    for await (const line of lines) {
      if (!header) {
        header = line.split(',');
        continue;
      }
      const fields = splitCsv(line);
      if (!fields || fields.length !== header.length) {
        rejected++;
        continue;
      }
      rn++;
      const [customerId = '', email = '', phone = ''] = fields;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const sealed = Buffer.concat([
        iv,
        cipher.update(fields.join('\u001f'), 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      chunk += `${rn}\t${hex(blind(normalizeEmail(email)))}\t${hex(blind(normalizePhone(phone)))}\t${hex(blind(customerId.trim().toLowerCase()))}\t${hex(sealed)}\n`;
      if (chunk.length >= 1 << 16) {
        if (!copy.write(chunk)) await once(copy, 'drain');
        chunk = '';
      }
    }
    copy.end(chunk);
    await copied;
    const indexing = performance.now();
    await client.query('CREATE INDEX ON bare_records (email_index)');
    await client.query('CREATE INDEX ON bare_records (phone_index)');
    await client.query('CREATE INDEX ON bare_records (customer_index)');
    const ended = performance.now();
    return {
      rows: rn,
      rejected,
      seconds: (ended - started) / 1000,
      indexSeconds: (ended - indexing) / 1000,
    };
  } finally {
    await client.end();
  }
}
