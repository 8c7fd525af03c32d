import { once } from 'node:events';
import fs from 'node:fs';
import { BENCH_HEADER, csvField, formatPhone, personAt, rng } from './synthetic-breach.ts';

/**
 * A campaign audience: exactly one clean row per synthetic person (the people of synthetic-breach.ts, in
 * the same CSV layout), so an import of N rows yields N people, each reachable by email. About 30% carry a
 * national id (the "identity" variant, with a credit-monitoring activation code) and about half a password
 * hash (the "credentials" variant); the rest get the default variant.
 */
export async function writeRecipientsCsv(
  path: string,
  options: { people: number; seed: number },
  onRow?: (rows: number) => void,
): Promise<void> {
  const r = rng(options.seed);
  const out = fs.createWriteStream(path);
  let chunk = `${BENCH_HEADER.join(',')}\n`;
  for (let i = 0; i < options.people; i++) {
    const p = personAt(i, options.seed);
    chunk += `${[
      p.customerId,
      p.email,
      formatPhone(p, r),
      p.first,
      p.last,
      p.street,
      p.place[2],
      p.place[1],
      p.zip,
      p.place[0],
      p.ssn ?? '',
      r() < 0.5 ? `$2b$10$${(p.index * 7919).toString(36).padEnd(53, 'x')}` : '',
    ]
      .map(csvField)
      .join(',')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
      onRow?.(i + 1);
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  onRow?.(options.people);
}
