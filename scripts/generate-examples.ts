// Writes examples/: a synthetic breach of a fictional shop, from a fixed seed, in three exports with
// different layouts (a CRM table, an orders export in JSON lines, an app's login table), plus their mapping
// files. Fake data only. Run: npx tsx scripts/generate-examples.ts (the output is committed).
import fs from 'node:fs';
import path from 'node:path';
import { formatPhone, messEmail, personAt, rng } from '../bench/support/synthetic-breach.ts';

const SEED = 20261129;
const PEOPLE = 700;
const dir = path.resolve(import.meta.dirname, '..', 'examples');
fs.mkdirSync(dir, { recursive: true });
const r = rng(SEED);
const pick = () => personAt(Math.floor(r() * PEOPLE), SEED);
const csv = (values: string[], sep = ',') =>
  values.map((v) => (v.includes(sep) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v)).join(sep);

// 1. CRM: one row per customer account, some people twice (a second account), a few with a shared mailbox.
const crm = [
  [
    'Customer ID',
    'E-mail Address',
    'Mobile',
    'First Name',
    'Last Name',
    'Street',
    'City',
    'State',
    'Zip',
    'Country',
    'SSN',
    'Date of Birth',
  ],
];
for (let i = 0; i < 1000; i++) {
  const p = pick();
  const isShared = i % 97 === 0;
  crm.push([
    isShared ? `C${800000 + i}` : p.customerId,
    messEmail(p.email, r),
    r() < 0.75 ? formatPhone(p, r) : '',
    p.first,
    p.last,
    p.street,
    p.place[2],
    p.place[1],
    p.zip,
    p.place[0],
    p.ssn ?? '',
    r() < 0.6 ? p.dob : '',
  ]);
}
crm.push(['', 'not-an-email', '', 'Broken', 'Row', '', '', '', '', '', '', '']);
fs.writeFileSync(path.join(dir, 'crm-customers.csv'), `${crm.map((row) => csv(row)).join('\n')}\n`);
fs.writeFileSync(
  path.join(dir, 'crm-customers.mapping.json'),
  `${JSON.stringify({ columns: { 'Customer ID': 'customer_id', 'E-mail Address': 'email', Mobile: 'phone', 'First Name': 'first_name', 'Last Name': 'last_name', Street: 'address_line1', City: 'city', State: 'region', Zip: 'postal_code', Country: 'country', SSN: 'national_id', 'Date of Birth': 'date_of_birth' } }, null, 2)}\n`,
);

// 2. Orders (JSON lines): guest checkouts too, linked to customers by email only; card numbers leaked.
const orders: string[] = [];
for (let i = 0; i < 700; i++) {
  const p = pick();
  orders.push(
    JSON.stringify({
      order_id: `O-${50000 + i}`,
      customer: {
        email: messEmail(p.email, r),
        name: `${p.first} ${p.last}`,
        phone: r() < 0.5 ? formatPhone(p, r) : null,
      },
      shipping: {
        line1: p.street,
        city: p.place[2],
        region: p.place[1],
        postal_code: p.zip,
        country: p.place[0],
      },
      payment: {
        card_number: `4111 1111 1111 ${String(1000 + ((p.index * 37) % 9000))}`,
        card_expiry: '12/28',
      },
      total: Math.round(r() * 30000) / 100,
    }),
  );
}
orders.push('{"order_id": "O-99999", "customer": {"email": "truncated@exam');
fs.writeFileSync(path.join(dir, 'orders.jsonl'), `${orders.join('\n')}\n`);
fs.writeFileSync(
  path.join(dir, 'orders.mapping.json'),
  `${JSON.stringify({ columns: { order_id: 'ignore', 'customer.email': 'email', 'customer.name': 'full_name', 'customer.phone': 'phone', 'shipping.line1': 'address_line1', 'shipping.city': 'city', 'shipping.region': 'region', 'shipping.postal_code': 'postal_code', 'shipping.country': 'country', 'payment.card_number': 'category:payment_card', 'payment.card_expiry': 'category:payment_card', total: 'ignore' } }, null, 2)}\n`,
);

// 3. App logins (semicolon-separated): usernames and password hashes, linked by customer number and email.
const logins = [['customer_no', 'username', 'email', 'pwd_hash', 'last_login_ip']];
for (let i = 0; i < 300; i++) {
  const p = pick();
  logins.push([
    r() < 0.7 ? p.customerId : '',
    `${p.first.toLowerCase()}${p.index}`,
    messEmail(p.email, r),
    `$2b$12$${(p.index * 104729).toString(36).padEnd(53, 'q')}`,
    `203.0.113.${p.index % 255}`,
  ]);
}
fs.writeFileSync(path.join(dir, 'app-logins.csv'), `${logins.map((row) => csv(row, ';')).join('\n')}\n`);
fs.writeFileSync(
  path.join(dir, 'app-logins.mapping.json'),
  `${JSON.stringify({ columns: { customer_no: 'customer_id', username: 'category:username', email: 'email', pwd_hash: 'category:password', last_login_ip: 'category:ip_address' } }, null, 2)}\n`,
);
console.log(`examples written to ${dir}`);
