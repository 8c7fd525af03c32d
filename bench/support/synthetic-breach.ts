import { once } from 'node:events';
import fs from 'node:fs';

/**
 * Synthetic breach exports from a fixed seed: fake people only (names from short lists, example.com-style
 * domains, 555-01xx phone numbers, SSNs in the never-issued 9xx range). Each row picks a person from a pool
 * of about N/5 and renders them with the variation real exports have: case and whitespace in emails,
 * differently formatted phones, missing columns, a shared family email carrying another customer id
 * (an identity conflict), and a sprinkling of bad rows.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Femi',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kavya',
  'Liam',
  'Mei',
  'Noah',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoë',
];
const LAST = [
  'Abara',
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hughes',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quispe',
  'Rossi',
  'Smith',
  'Tanaka',
  'Urban',
  'Varga',
  'Wong',
  'Xu',
  'Yilmaz',
  'Zhang',
];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'];
const STREETS = ['Main St', 'Oak Ave', 'Elm Rd', 'Maple Dr', 'Cedar Ln', 'Pine Ct', 'Lake View', 'Hill St'];
/** [country as written, region as written, city, phone country] — a spread of jurisdictions and spellings. */
const PLACES: Array<[string, string, string, string]> = [
  ['USA', 'California', 'San Francisco', 'US'],
  ['US', 'CA', 'Los Angeles', 'US'],
  ['United States', 'Calif.', 'San Diego', 'US'],
  ['US', 'NY', 'New York', 'US'],
  ['USA', 'Texas', 'Austin', 'US'],
  ['US', 'Fla.', 'Miami', 'US'],
  ['US', 'Massachusetts', 'Boston', 'US'],
  ['US', 'WA', 'Seattle', 'US'],
  ['US', 'Illinois', 'Chicago', 'US'],
  ['Germany', 'Bayern', 'München', 'DE'],
  ['DE', 'Berlin', 'Berlin', 'DE'],
  ['France', 'Île-de-France', 'Paris', 'FR'],
  ['UK', 'England', 'London', 'GB'],
  ['Canada', 'Ontario', 'Toronto', 'CA'],
  ['España', 'Madrid', 'Madrid', 'ES'],
];

export interface SyntheticPerson {
  index: number;
  customerId: string;
  first: string;
  last: string;
  email: string;
  place: (typeof PLACES)[number];
  street: string;
  zip: string;
  ssn: string | null;
  dob: string;
}

export function personAt(index: number, seed: number): SyntheticPerson {
  const r = rng(seed * 1_000_003 + index);
  const first = FIRST[Math.floor(r() * FIRST.length)]!;
  const last = LAST[Math.floor(r() * LAST.length)]!;
  const place = PLACES[Math.floor(r() * PLACES.length)]!;
  const local = `${first}.${last}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return {
    index,
    customerId: `C${String(100000 + index)}`,
    first,
    last,
    email: `${local}.${index}@${DOMAINS[index % DOMAINS.length]}`,
    place,
    street: `${1 + Math.floor(r() * 9999)} ${STREETS[Math.floor(r() * STREETS.length)]}`,
    zip: String(10000 + Math.floor(r() * 89999)),
    ssn:
      r() < 0.3
        ? `9${String(Math.floor(r() * 100)).padStart(2, '0')}-${String(10 + Math.floor(r() * 89))}-${String(1000 + (index % 9000))}`
        : null,
    dob: `19${50 + Math.floor(r() * 50)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
  };
}

/** A phone as people write it, in the person's country; unique per person (index < 7,000,000). */
export function formatPhone(p: SyntheticPerson, r: () => number): string {
  const style = Math.floor(r() * 4);
  const country = p.place[3];
  if (country === 'US' || country === 'CA') {
    const area = ['415', '212', '512', '617', '206', '312', '305', '404', '503', '702'][p.index % 10]!;
    const exchange = String(200 + (Math.floor(p.index / 10) % 700));
    const line = String(Math.floor(p.index / 7000) % 10000).padStart(4, '0');
    return [
      `(${area}) ${exchange}-${line}`,
      `${area}.${exchange}.${line}`,
      `+1 ${area} ${exchange} ${line}`,
      `${area}${exchange}${line}`,
    ][style]!;
  }
  const [trunk, cc, lead] = (
    { DE: ['30', '49', '3'], FR: ['1', '33', '4'], GB: ['20', '44', '7'], ES: ['91', '34', ''] } as const
  )[country as 'DE'] ?? ['30', '49', '3'];
  const subscriber = `${lead}${String(p.index).padStart(7, '0')}`;
  const national = country === 'ES' ? trunk : `0${trunk}`; // Spain dials without a trunk 0
  return [
    `${national} ${subscriber}`,
    `+${cc} ${trunk} ${subscriber}`,
    `00${cc}${trunk}${subscriber}`,
    `+${cc}-${trunk}-${subscriber}`,
  ][style]!;
}

export function messEmail(email: string, r: () => number): string {
  const x = r();
  if (x < 0.15) return email.toUpperCase();
  if (x < 0.3) return `  ${email} `;
  if (x < 0.4) return email.replace(/^./, (c) => c.toUpperCase());
  return email;
}

export const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** Unique people ≈ rows / recordsPerPerson. */
  recordsPerPerson?: number;
  badRowRate?: number;
  conflictRate?: number;
}

export const BENCH_HEADER = [
  'customer_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'address',
  'city',
  'state',
  'zip',
  'country',
  'ssn',
  'password_hash',
];

/** One CSV row for the benchmark layout (all columns of a CRM-like export). */
export function benchRow(i: number, options: Required<GenerateOptions>, r: () => number): string {
  const people = Math.max(1, Math.round(options.rows / options.recordsPerPerson));
  const x = r();
  if (x < options.badRowRate * 0.4) return `,not-an-email,,,,,,,,,,`;
  if (x < options.badRowRate * 0.7) return `${i},"unterminated@example.com,,,,,,,,,,`;
  if (x < options.badRowRate) return `${i},short@example.com,row`;
  const p = personAt(Math.floor(r() * people), options.seed);
  const isConflict = r() < options.conflictRate;
  // A shared family mailbox: same email, another customer's id.
  const customerId = isConflict ? `C${900000000 + i}` : r() < 0.8 ? p.customerId : '';
  const phone = r() < 0.7 ? formatPhone(p, r) : '';
  const hasAddress = r() < 0.8;
  return [
    customerId,
    messEmail(p.email, r),
    phone,
    p.first,
    p.last,
    hasAddress ? p.street : '',
    hasAddress ? p.place[2] : '',
    hasAddress ? p.place[1] : '',
    hasAddress ? p.zip : '',
    hasAddress ? p.place[0] : '',
    p.ssn && r() < 0.9 ? p.ssn : '',
    r() < 0.5 ? `$2b$10$${(p.index * 7919).toString(36).padEnd(53, 'x')}` : '',
  ]
    .map(csvField)
    .join(',');
}

export async function writeBenchCsv(path: string, options: GenerateOptions): Promise<void> {
  const full: Required<GenerateOptions> = {
    recordsPerPerson: 5,
    badRowRate: 0.005,
    conflictRate: 0.002,
    ...options,
  };
  const r = rng(full.seed);
  const out = fs.createWriteStream(path);
  let chunk = `${BENCH_HEADER.join(',')}\n`;
  for (let i = 0; i < full.rows; i++) {
    chunk += `${benchRow(i, full, r)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
