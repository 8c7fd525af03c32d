// The per-record CPU of an import's parsing phase, stage by stage, for `npm run bench:import`: the CLI's
// progress lines time the phases, but parsing runs its stages interleaved in several threads. Here one thread
// runs Candor's own code over a sample of the file: read and split (the CSV reader), normalize and build the
// record without cryptography, the blind indexes, the seal, and PostgreSQL's COPY of the built lines. Each
// stage's cost is the difference between runs that add it, in CPU time (process.cpuUsage), which a busy
// machine disturbs less than wall time.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createChunkBuilder } from '../../src/server/modules/people/chunk-builder.ts';
import { previewSource } from '../../src/server/modules/people/import-preview.ts';
import { type InputRow, openInput } from '../../src/server/modules/people/input/read-input.ts';
import { fileSource } from '../../src/server/modules/people/input/sources.ts';
import { sealingCrypto } from '../../src/server/platform/crypto/data-keys.ts';

export interface StageCost {
  stage: string;
  microsPerRow: number;
}

const cpuMicros = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

export async function importStageCosts(
  file: string,
  databaseUrl: string,
  sampleRows = 100_000,
): Promise<StageCost[]> {
  const source = fileSource(file);
  const { mapping } = await previewSource(source, {});
  let started = process.cpuUsage();
  const input = await openInput(source, { format: 'csv', encoding: 'utf8' });
  const rows: InputRow[] = [];
  for await (const row of input.rows) {
    rows.push(row);
    if (rows.length === sampleRows) break;
  }
  const readMicros = cpuMicros(started);
  const context = {
    incidentId: '00000000-0000-4000-8000-000000000000',
    importId: '00000000-0000-4000-8000-000000000001',
    rnBase: 2 ** 32,
    defaultCountry: 'US',
    caseSensitiveIds: false,
  };
  const real = sealingCrypto({
    activeKeyId: 'dk_bench0000000',
    activeKey: randomBytes(32),
    blindIndexKey: randomBytes(32),
  });
  const fixedIndex = randomBytes(32);
  const fixedSeal = real.encrypt('{"email":"a@example.com"}', 'bench');
  const variants = {
    none: { blindIndex: () => fixedIndex, encrypt: () => fixedSeal },
    hash: { blindIndex: real.blindIndex, encrypt: () => fixedSeal },
    full: { blindIndex: real.blindIndex, encrypt: real.encrypt },
  };
  const cost: Record<keyof typeof variants, number> = { none: 0, hash: 0, full: 0 };
  let lines: string[] = [];
  // Twice each, the second run counted: the first warms the code up.
  for (const [name, crypto] of Object.entries(variants) as Array<[keyof typeof variants, typeof real]>) {
    for (let run = 0; run < 2; run++) {
      const build = createChunkBuilder(context, crypto);
      const built: string[] = [];
      started = process.cpuUsage();
      for (let i = 0; i < rows.length; i += 1000) {
        built.push(build(input.headers, mapping, rows.slice(i, i + 1000)).records);
      }
      cost[name] = cpuMicros(started);
      if (name === 'full') lines = built;
    }
  }
  // PostgreSQL's side of COPY, timed on the server (its own CPU is not this process's).
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let copyMicros = 0;
  try {
    await client.query('CREATE TEMP TABLE stage_records (LIKE source_records)');
    const copyStarted = performance.now();
    const stream = client.query(
      copyFrom(
        'COPY stage_records (incident_id, rn, import_id, line_no, customer_idx, national_idx, email_idx, phone_idx, ' +
          'categories, country, region, locale, has_email, has_phone, has_postal, payload, email_smtputf8) FROM STDIN',
      ),
    );
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    for (const text of lines) stream.write(text);
    stream.end();
    await done;
    copyMicros = (performance.now() - copyStarted) * 1000;
  } finally {
    await client.end();
  }
  const per = (micros: number) => micros / rows.length;
  return [
    { stage: 'read and split (CSV reader)', microsPerRow: per(readMicros) },
    { stage: 'normalize, check and build the row', microsPerRow: per(cost.none) },
    { stage: 'blind indexes (HMAC-SHA-256)', microsPerRow: per(cost.hash - cost.none) },
    { stage: 'seal (AES-256-GCM)', microsPerRow: per(cost.full - cost.hash) },
    { stage: 'COPY into PostgreSQL (wall)', microsPerRow: per(copyMicros) },
  ];
}
