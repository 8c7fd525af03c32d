import { execFileSync, spawn, spawnSync } from 'node:child_process';

/**
 * `wrk` as the load generator of the HTTP benchmarks: a separate process (C, event loop per thread), so the
 * server measured does not share its event loop with the client. Installed from Debian's `wrk` package when
 * missing and running as root; otherwise the benchmark says how to install it and stops.
 */
export function ensureWrk(note: (line: string) => void): void {
  if (hasWrk()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      'wrk is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y wrk`; macOS: `brew install wrk`) and run again.',
    );
  }
  note('wrk is not installed: apt-get install -y wrk…');
  const install = () =>
    spawnSync('apt-get', ['install', '-y', 'wrk'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (install().status !== 0) {
    // A fresh container has no package lists yet.
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (install().status !== 0) throw new Error('apt-get install -y wrk failed; install wrk and run again.');
  }
  if (!hasWrk()) throw new Error('wrk is still not on PATH after apt-get install.');
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // `wrk --version` prints its banner and exits 1; only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export interface WrkResult {
  requestsPerSecond: number;
  requests: number;
  latencyAvgMs: number;
  latencyP99Ms: number;
  non2xx3xx: number;
  socketErrors: number;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  if (unit === 'us') return n / 1000;
  if (unit === 's') return n * 1000;
  if (unit === 'm') return n * 60_000;
  return n;
}

export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in/.exec(output);
  const avg = /Latency\s+([\d.]+)(us|ms|s|m)\b/.exec(output);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)\b/.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  if (!rps || !total) throw new Error(`could not read wrk's output:\n${output}`);
  return {
    requestsPerSecond: Number(rps[1]),
    requests: Number(total[1]),
    latencyAvgMs: avg ? toMs(avg[1]!, avg[2]!) : Number.NaN,
    latencyP99Ms: p99 ? toMs(p99[1]!, p99[2]!) : Number.NaN,
    non2xx3xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

/** One wrk run against `url`; rejects when any answer was not 2xx/3xx or a socket failed. */
export function runWrk(
  url: string,
  options: { threads: number; connections: number; seconds: number; headers?: Record<string, string> },
): Promise<WrkResult> {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${output}`));
      try {
        const result = parseWrk(output);
        if (result.non2xx3xx > 0 || result.socketErrors > 0) {
          return reject(
            new Error(
              `${url}: ${result.non2xx3xx} non-2xx/3xx answers, ${result.socketErrors} socket errors:\n${output}`,
            ),
          );
        }
        resolve(result);
      } catch (error) {
        reject(error);
      }
    });
  });
}
