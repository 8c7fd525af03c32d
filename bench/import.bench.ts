// npm run bench:import [-- --rows 1000000,5000000]
// Measures the end-to-end import (parse, normalize, hash, encrypt, COPY, resolve) of a synthetic breach
// export against the baseline issue 21 names, in the same run: the bare import (bench/support/
// import-baseline.ts: read and split each line, normalize email and phone, three HMAC blind indexes, one
// AES-256-GCM seal, COPY, three indexes; one thread, no resolution). psql \copy of the same file into a
// table of text columns is printed too, as the floor of moving the bytes. Prints rows/s, the ratio
// (goal ≥ 1.0× the bare import), the import's peak RSS, and the time ratio between sizes (linearity).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { timeConsolePages } from './support/console-timing.ts';
import { bareImport } from './support/import-baseline.ts';
import { importStageCosts } from './support/import-stages.ts';
import { BENCH_HEADER, writeBenchCsv } from './support/synthetic-breach.ts';

const args = process.argv.slice(2);
const rowsArg = args[args.indexOf('--rows') + 1];
const sizes = (args.includes('--rows') && rowsArg ? rowsArg : '1000000').split(',').map(Number);
const serverUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const outDir = path.resolve(import.meta.dirname, 'out');
fs.mkdirSync(outDir, { recursive: true });
const root = path.resolve(import.meta.dirname, '..');

function dbUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withDatabase(serverUrl, fn);
}

async function withDatabase<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The bare import of issue 21, in a database of its own. */
async function bareBaseline(file: string) {
  const name = `candor_bench_bare_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  try {
    const result = await bareImport(file, dbUrl(name));
    return { ...result, rowsPerSecond: (result.rows + result.rejected) / result.seconds };
  } finally {
    await admin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
  }
}

async function baseline(file: string, rows: number): Promise<number> {
  const name = `candor_bench_copy_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  try {
    const columns = BENCH_HEADER.map((h) => `${h} text`).join(', ');
    spawnSync('psql', [dbUrl(name), '-qc', `CREATE TABLE breach (${columns})`], { stdio: 'inherit' });
    const started = performance.now();
    const result = spawnSync(
      'psql',
      [dbUrl(name), '-qc', `\\copy breach FROM '${file}' WITH (FORMAT csv, HEADER true)`],
      {
        encoding: 'utf8',
      },
    );
    const seconds = (performance.now() - started) / 1000;
    // The synthetic file has a few deliberately broken rows; \copy stops at the first, so it copies a
    // clean twin of the file instead (same size, same content minus those rows) when that happens.
    if (result.status !== 0) throw new Error(`psql \\copy failed: ${result.stderr}`);
    return rows / seconds;
  } finally {
    await admin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
  }
}

interface Phase {
  name: string;
  /** Seconds since the process started. */
  startedAt: number;
}

/** Each phase's seconds, from the start of one to the start of the next (the last one to the end). */
function profileOf(phases: Phase[], total: number): Array<{ name: string; seconds: number }> {
  const byName = new Map<string, number>();
  phases.forEach((phase, i) => {
    const end = phases[i + 1]?.startedAt ?? total;
    byName.set(phase.name, (byName.get(phase.name) ?? 0) + (end - phase.startedAt));
  });
  const first = phases[0]?.startedAt ?? total;
  return [
    { name: 'start (load, migrate, open the file)', seconds: first },
    ...[...byName].map(([name, seconds]) => ({ name, seconds })),
  ];
}

/** Runs the real CLI in a child process, sampling its peak RSS (VmHWM) from /proc while it runs. */
function runCandor(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; seconds: number; peakRssMb: number; phases: Phase[] }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin/candor.js'), ...argv], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let peakKb = 0;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    // The CLI's progress lines name the phase it is in ("candor import: <phase> 42% …"): the time each
    // phase starts gives the import's profile by phase.
    const phases: Phase[] = [];
    let pending = '';
    child.stderr.on('data', (d: Buffer) => {
      process.stderr.write(d);
      pending += d.toString('utf8');
      const lines = pending.split(/[\r\n]/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const phase = /candor import: ([a-z][a-z ]*?) \d/.exec(line)?.[1];
        if (phase && phases.at(-1)?.name !== phase) {
          phases.push({ name: phase, startedAt: (performance.now() - started) / 1000 });
        }
      }
    });
    const sample = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, hwm);
      } catch {
        // exited between samples
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(sample);
      if (code !== 0) reject(new Error(`candor ${argv[0]} exited ${code}`));
      else
        resolve({
          stdout,
          seconds: (performance.now() - started) / 1000,
          peakRssMb: Math.round(peakKb / 1024),
          phases,
        });
    });
  });
}

async function candorImport(file: string, rows: number) {
  const name = `candor_bench_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl(name),
    CANDOR_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  try {
    const created = await runCandor(
      ['incident', 'create', '--title', 'bench', '--aware-at', new Date().toISOString(), '--json'],
      env,
    );
    const incidentId = JSON.parse(created.stdout).id as string;
    const run = await runCandor(['import', incidentId, file, '--json', '--default-country', 'US'], env);
    const summary = JSON.parse(run.stdout) as {
      rows: number;
      accepted: number;
      rejected: number;
      people: number;
      conflicts: number;
    };
    // Every bad row reported: one rejected issue per rejected row, each with its line.
    const reported = await withDatabase(dbUrl(name), async (c) =>
      Number(
        (
          await c.query<{ n: string }>(
            `SELECT count(DISTINCT line_no) AS n FROM import_issues WHERE severity = 'rejected'`,
          )
        ).rows[0]!.n,
      ),
    );
    if (reported !== summary.rejected) {
      throw new Error(`${summary.rejected} rows were rejected but ${reported} reported in import_issues`);
    }
    const databaseBytes = await admin(async (c) =>
      Number((await c.query<{ n: string }>('SELECT pg_database_size($1) AS n', [name])).rows[0]!.n),
    );
    // The console over the incident just imported: each page's API requests, timed as a page load.
    const pages = await timeConsolePages({
      databaseUrl: dbUrl(name),
      masterKey: env.CANDOR_MASTER_KEY,
      incidentId,
      // Fewer loads on the large incidents, where one page load takes long: enough for a p95 still.
      samples: rows <= 1_000_000 ? 30 : 15,
    });
    const stages = await importStageCosts(file, dbUrl(name));
    return { ...run, summary, rowsPerSecond: rows / run.seconds, databaseBytes, pages, stages, reported };
  } finally {
    await admin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
  }
}

const results: Array<{
  rows: number;
  seconds: number;
  bareSeconds: number;
  ratio: number;
  peakRssMb: number;
  people: number;
  databaseBytes: number;
}> = [];
for (const rows of sizes) {
  const file = path.join(outDir, `breach-${rows}.csv`);
  const clean = path.join(outDir, `breach-${rows}-clean.csv`);
  if (!fs.existsSync(file)) {
    console.log(`generating ${rows.toLocaleString()} rows…`);
    await writeBenchCsv(file, { rows, seed: 42 });
    await writeBenchCsv(clean, { rows, seed: 42, badRowRate: 0 });
  }
  const mb = Math.round(fs.statSync(file).size / 1e6);
  console.log(`\n== N = ${rows.toLocaleString()} rows (${mb} MB CSV)`);
  const copyRate = await baseline(clean, rows);
  console.log(`psql \\copy (text table, the floor):    ${Math.round(copyRate).toLocaleString()} rows/s`);
  const bare = await bareBaseline(file);
  console.log(
    `baseline bare import (one thread):     ${Math.round(bare.rowsPerSecond).toLocaleString()} rows/s ` +
      `(${bare.seconds.toFixed(1)} s, of which indexes ${bare.indexSeconds.toFixed(1)} s; ${bare.rejected.toLocaleString()} rows rejected)`,
  );
  const run = await candorImport(file, rows);
  console.log(
    `candor import end to end:              ${Math.round(run.rowsPerSecond).toLocaleString()} rows/s ` +
      `(${run.seconds.toFixed(1)} s; ${run.summary.accepted.toLocaleString()} accepted, ${run.summary.rejected.toLocaleString()} rejected, ` +
      `${run.summary.people.toLocaleString()} people, ${run.summary.conflicts.toLocaleString()} conflicts; every rejected row reported with its line)`,
  );
  console.log(
    `ratio candor / bare import:            ${(run.rowsPerSecond / bare.rowsPerSecond).toFixed(2)}×  (goal ≥ 1.0×)`,
  );
  console.log(`ratio candor / psql \\copy:             ${(run.rowsPerSecond / copyRate).toFixed(2)}×`);
  console.log(`peak RSS of the import process:        ${run.peakRssMb} MB  (goal < 1024 MB)`);
  console.log(
    "profile by phase (from the CLI's progress; parsing covers read, normalize, hash, seal and COPY):",
  );
  for (const phase of profileOf(run.phases, run.seconds)) {
    console.log(
      `  ${phase.name.padEnd(38)}${phase.seconds.toFixed(1).padStart(7)} s  ${((phase.seconds / run.seconds) * 100).toFixed(0).padStart(3)} %`,
    );
  }
  console.log(
    `parsing's CPU per record by stage (one thread, 100k-row sample; the bare import takes ${((bare.seconds / bare.rows) * 1e6).toFixed(1)} µs per row in all, wall):`,
  );
  for (const stage of run.stages) {
    console.log(`  ${stage.stage.padEnd(38)}${stage.microsPerRow.toFixed(1).padStart(7)} µs`);
  }
  console.log('console pages over this incident (each page load: the API requests the page sends):');
  for (const page of run.pages) {
    console.log(
      `  ${page.page.padEnd(38)} p50 ${page.p50.toFixed(0).padStart(5)} ms  p95 ${page.p95.toFixed(0).padStart(5)} ms  ${page.p95 < 500 ? 'met' : 'MISSED'} (goal p95 < 500 ms)`,
    );
  }
  results.push({
    rows,
    seconds: run.seconds,
    bareSeconds: bare.seconds,
    ratio: run.rowsPerSecond / bare.rowsPerSecond,
    peakRssMb: run.peakRssMb,
    people: run.summary.people,
    databaseBytes: run.databaseBytes,
  });
}

// The table across sizes, linearity, and what the largest run says about the Maropost breach.
console.log('\n== summary');
console.log('rows         bare s  candor s  ratio  peak RSS  people       database');
for (const r of results) {
  console.log(
    `${r.rows.toLocaleString('en-US').padEnd(12)} ${r.bareSeconds.toFixed(1).padStart(6)}  ${r.seconds.toFixed(1).padStart(8)}  ${r.ratio.toFixed(2).padStart(4)}×  ${String(r.peakRssMb).padStart(5)} MB  ${r.people.toLocaleString('en-US').padEnd(11)}  ${(r.databaseBytes / 1e9).toFixed(1)} GB`,
  );
}
if (results.length > 1) {
  const [a, b] = [results[0]!, results.at(-1)!];
  console.log(
    `linearity: ${b.rows / a.rows}× the rows took ${(b.seconds / a.seconds).toFixed(2)}× the time (goal ≤ ${((b.rows / a.rows) * 1.025).toFixed(1)}×)`,
  );
}
const largest = results.at(-1)!;
const MAROPOST_RECORDS = 95_000_000;
const scale = MAROPOST_RECORDS / largest.rows;
// Time grows with the records (the import streams); the resolution's memory grows with them too: what the
// largest run used above the smallest, per record, times 95M (see resolve.ts for the bytes per record).
const smallest = results[0]!;
const rssPerRecord =
  results.length > 1 ? (largest.peakRssMb - smallest.peakRssMb) / (largest.rows - smallest.rows) : undefined;
console.log(
  `extrapolated to ${MAROPOST_RECORDS.toLocaleString('en-US')} records (≈ ${Math.round((largest.people * scale) / 1e6)}M people) from the ${largest.rows.toLocaleString('en-US')}-row run: ` +
    `${((largest.seconds * scale) / 60).toFixed(0)} min (goal < 30 min), database ${((largest.databaseBytes * scale) / 1e9).toFixed(0)} GB` +
    (rssPerRecord !== undefined
      ? `, peak RSS ≈ ${Math.round(smallest.peakRssMb + rssPerRecord * (MAROPOST_RECORDS - smallest.rows))} MB (goal < 1024 MB)`
      : ''),
);
