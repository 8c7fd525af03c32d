import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `candor` command in a child process. The child sees only PATH/HOME and the given env, so
 * a DATABASE_URL or key in the developer's shell can never leak into (or rescue) a test.
 */
export function runCandor(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/candor.js', ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh 32-byte master key in base64, as `openssl rand -base64 32` prints it. */
export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

export function makeTempDir(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-test-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn` with a raw pg client on `url` (a superuser on the test server). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export type DumpMethod = 'pg_dump' | 'sql';

/** pg_dump can dump a server only when its major version is at least the server's. */
export async function usableDumpMethods(url: string): Promise<DumpMethod[]> {
  const serverMajor = await withClient(url, async (client) => {
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    return Math.floor(Number(rows[0]!.server_version_num) / 10_000);
  });
  const clientMajor = await promisify(execFile)('pg_dump', ['--version'])
    .then(({ stdout }) => Number(/(\d+)\.\d+/.exec(stdout)?.[1] ?? 0))
    .catch(() => 0);
  return clientMajor >= serverMajor ? ['pg_dump', 'sql'] : ['sql'];
}

/**
 * Everything an attacker with a database dump sees. 'sql' is the fallback when pg_dump is older than the
 * server: every row of every table as PostgreSQL's text form (what COPY writes; bytea as \x hex).
 */
export async function dumpDatabase(url: string, method: DumpMethod): Promise<string> {
  if (method === 'pg_dump') {
    const { stdout } = await promisify(execFile)('pg_dump', ['--no-owner', '--dbname', url], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  }
  return withClient(url, async (client) => {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const parts: string[] = [];
    for (const table of tables.rows) {
      const ident = `${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`;
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${ident} AS t`);
      parts.push(`-- ${ident}`, ...rows.map((r) => r.row));
    }
    return parts.join('\n');
  });
}

/** The plaintext and its hex form (how a bytea column holding it would appear in a dump). */
export function plaintextForms(value: string): string[] {
  return [value, Buffer.from(value, 'utf8').toString('hex')];
}
