import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseConfig } from '../../src/server/config.ts';
import { createIncidentsModule } from '../../src/server/modules/incidents/index.ts';
import {
  createPeopleModule,
  type ImportSummary,
  incidentPeopleFacts,
  type Mapping,
} from '../../src/server/modules/people/index.ts';
import type { Actor } from '../../src/server/platform/audit/audit-log.ts';
import type { PlatformContext } from '../../src/server/platform/context.ts';
import { createPiiCrypto } from '../../src/server/platform/crypto/data-keys.ts';
import { loadMasterKeys } from '../../src/server/platform/crypto/master-keys.ts';
import { createLogger } from '../../src/server/platform/logging/logger.ts';
import { categoriesOf } from '../../src/shared/taxonomy.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The population module on a fresh test database: real PostgreSQL, real data keys (wrapped by a master key
 * the CLI can be given too), a temp directory for the files to import.
 */
export const testActor: Actor = { type: 'system', id: null, label: 'population-test' };

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ImportOptions {
  format?: 'csv' | 'jsonl';
  encoding?: 'utf8' | 'latin1';
  mapping?: Mapping;
  defaultCountry?: string;
  caseSensitiveIds?: boolean;
}

export interface PeopleHarness {
  database: TestDatabase;
  masterKey: string;
  ctx: Pick<PlatformContext, 'config' | 'db' | 'crypto' | 'logger'>;
  population: ReturnType<typeof createPeopleModule>['service'];
  dir: string;
  /** Environment for a `candor` child process on the same database and keys. */
  cliEnv: Record<string, string>;
  createIncident(title?: string): Promise<string>;
  writeFile(name: string, content: string | Buffer): string;
  importFile(incidentId: string, file: string, options?: ImportOptions): Promise<ImportSummary>;
  /** Writes `content` to a temp file named `name` and imports it. */
  importText(
    incidentId: string,
    name: string,
    content: string | Buffer,
    options?: ImportOptions,
  ): Promise<ImportSummary>;
  close(): Promise<void>;
}

export async function createPeopleHarness(): Promise<PeopleHarness> {
  const database = await createTestDatabase();
  const masterKey = randomBytes(32).toString('base64');
  const { ring } = loadMasterKeys({ masterKey });
  const crypto = await createPiiCrypto(database.db, ring);
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    CANDOR_MASTER_KEY: masterKey,
    LOG_LEVEL: 'silent',
  });
  const ctx = { config, db: database.db, crypto, logger: createLogger({ level: 'silent' }) };
  const population = createPeopleModule(ctx).service;
  const incidents = createIncidentsModule(ctx, incidentPeopleFacts).service;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-population-'));
  let files = 0;
  const writeFile = (name: string, content: string | Buffer) => {
    // A directory per file keeps the name as given (the format is read from it) and never overwrites.
    const sub = path.join(dir, String(++files));
    fs.mkdirSync(sub);
    const file = path.join(sub, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const importFile = (incidentId: string, file: string, options: ImportOptions = {}) =>
    population.runImport({
      incidentId,
      source: { kind: 'file', path: file },
      fileName: path.basename(file),
      ...options,
      actor: testActor,
    });
  return {
    database,
    masterKey,
    ctx,
    population,
    dir,
    cliEnv: { DATABASE_URL: database.url, CANDOR_MASTER_KEY: masterKey },
    async createIncident(title = 'Test breach') {
      const created = await incidents.create(
        { title, awareAt: '2026-01-15T09:00:00Z' },
        { actor: testActor },
      );
      return created.id;
    },
    writeFile,
    importFile,
    importText: (incidentId, name, content, options) =>
      importFile(incidentId, writeFile(name, content), options),
    async close() {
      crypto.close();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CSV text from lines (a trailing newline, as exports have). */
export const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

export interface PersonRow {
  id: string;
  pn: number;
  categories: string[];
  riskTier: string;
  jurisdiction: string;
  isJurisdictionDisputed: boolean;
  records: number;
}

export async function peopleOf(h: PeopleHarness, incidentId: string): Promise<PersonRow[]> {
  const rows = await h.ctx.db
    .selectFrom('people')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('pn')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pn: Number(r.pn),
    categories: categoriesOf(Number(r.categories)),
    riskTier: r.risk_tier,
    jurisdiction: r.jurisdiction,
    isJurisdictionDisputed: r.jurisdiction_disputed,
    records: Number(r.record_count),
  }));
}

/** The one person found by this email (fails the test when there is not exactly one). */
export async function personByEmail(h: PeopleHarness, incidentId: string, email: string) {
  const found = await h.population.find(incidentId, { kind: 'email', value: email }, { actor: testActor });
  if (found.length !== 1) throw new Error(`expected one person for an email, found ${found.length}`);
  return found[0]!;
}

export async function issuesOf(h: PeopleHarness, importId: string) {
  const rows = await h.ctx.db
    .selectFrom('import_issues')
    .select(['line_no', 'severity', 'reason', 'field'])
    .where('import_id', '=', importId)
    .orderBy('line_no')
    .orderBy('field')
    .execute();
  return rows.map((r) => ({
    line: Number(r.line_no),
    severity: r.severity,
    reason: r.reason,
    field: r.field,
  }));
}

export async function recordCount(h: PeopleHarness, incidentId: string): Promise<number> {
  const row = await h.ctx.db
    .selectFrom('source_records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Starts `candor` in a child process that sees only PATH, HOME and `env` (like runCandor in
 * test/platform/helpers.ts), returning the process so a test can kill it.
 */
export function spawnCandor(args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['bin/candor.js', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

export async function runCli(args: string[], env: Record<string, string>) {
  return spawnCandor(args, env).exited;
}

/** Polls `probe` every 20 ms until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type GatePoint = { kind: 'checkpoint'; atLine: number } | { kind: 'people' };

/**
 * Holds imports at a chosen point, so a test can act (kill, start another) while they wait there: a
 * trigger in the test database makes the import's own transaction wait on an advisory lock the gate holds,
 * when a batch is about to commit a checkpoint at or past `atLine`, or when resolution is about to write
 * the incident's counts (its people are built by then, in the same uncommitted transaction). The waiting transaction stays open, so a process killed there loses exactly that transaction.
 */
export async function createGate(url: string) {
  const key = 73_170_042;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let installed: GatePoint | undefined;
  return {
    client,
    async hold(point: GatePoint) {
      installed = point;
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      const wait = `PERFORM pg_advisory_xact_lock_shared(${key});`;
      if (point.kind === 'checkpoint') {
        await client.query(`
          CREATE FUNCTION test_gate() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.checkpoint_line >= ${Number(point.atLine)} THEN ${wait} END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER test_gate BEFORE UPDATE OF checkpoint_line ON imports
            FOR EACH ROW EXECUTE FUNCTION test_gate();`);
      } else {
        await client.query(`
          CREATE FUNCTION test_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${wait} RETURN NULL; END $$;
          CREATE TRIGGER test_gate BEFORE INSERT ON people_cells FOR EACH STATEMENT EXECUTE FUNCTION test_gate();`);
      }
    },
    /** Resolves once `count` transactions wait at the gate. */
    waitForWaiters(count: number, timeoutMs = 120_000) {
      return waitFor(
        `${count} import(s) to reach the gate`,
        async () => {
          const { rows } = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks
             WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = $1
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
            [key],
          );
          return rows[0]!.n >= count ? true : undefined;
        },
        timeoutMs,
      );
    },
    async release() {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    },
    /** Removes the trigger once no `candor` child process is connected any more. */
    async remove() {
      if (!installed) return;
      await waitFor('the candor processes’ connections to close', async () => {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'candor-cli'`,
        );
        return rows[0]!.n === 0 ? true : undefined;
      });
      const table = installed.kind === 'checkpoint' ? 'imports' : 'people_cells';
      await client.query(`DROP TRIGGER test_gate ON ${table}; DROP FUNCTION test_gate();`);
      installed = undefined;
    },
    end: () => client.end(),
  };
}
