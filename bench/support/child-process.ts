import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * Server processes for the HTTP benchmarks: each server runs alone in its own process (as in production),
 * never in the benchmark's, so the load generator and the server do not share an event loop.
 */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
const candorBin = path.join(repoRoot, 'bin/candor.js');

export interface Child {
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
  /** The last lines it wrote on stderr (for the error message when it fails). */
  stderrTail(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function startChild(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdout?: 'pipe' | 'ignore' } = {},
): Child {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: options.env ?? process.env,
    stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    stderrTail: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A `candor` command run to completion (e.g. `demo --json`), its stdout returned. */
export function runCandor(args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(process.execPath, [candorBin, ...args], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`candor ${args.join(' ')} exited with ${result.status}:\n${result.stderr.slice(-4_000)}`);
  }
  return result.stdout;
}

/** `candor serve` as a child process; `nodeArgs` go before the script (e.g. `--cpu-prof`). */
export function startCandorServe(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Child {
  return startChild(process.execPath, [...nodeArgs, candorBin, 'serve'], { env });
}

/** Polls `url` until it answers 200 (or the child exits, or 90 s pass). */
export async function waitForOk(url: string, child: Child, label: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${label} exited with ${child.process.exitCode}:\n${child.stderrTail()}`);
    }
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${label} did not answer 200 on ${url} within 90 s:\n${child.stderrTail()}`);
}

/** Reads the first line of a child's stdout as JSON (the bare server prints its port there). */
export function firstJsonLine<T>(child: Child): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const stdout = child.process.stdout;
    if (!stdout) return reject(new Error('the child has no stdout pipe'));
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      stdout.off('data', onData);
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as T);
      } catch (error) {
        reject(error);
      }
    };
    stdout.on('data', onData);
    child.process.once('exit', (code) => reject(new Error(`exited with ${code}: ${child.stderrTail()}`)));
  });
}
