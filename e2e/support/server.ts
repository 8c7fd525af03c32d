import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.ts';

const candorBin = path.join(repoRoot, 'bin', 'candor.js');

export interface CandorServer {
  origin: string;
  env: NodeJS.ProcessEnv;
  /** What the server wrote to stderr so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The environment for `candor serve` and the CLI against one test database. */
export async function serverEnvironment(databaseUrl: string): Promise<NodeJS.ProcessEnv> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-e2e-'));
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    CANDOR_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
    CANDOR_DATA_DIR: dataDir,
    // Links and origin checks must match the address the browser uses.
    CANDOR_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  };
}

const TAIL = 20_000;

/** Starts `candor serve` as a child process and waits until /healthz answers 200. */
export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CandorServer> {
  const origin = `http://127.0.0.1:${env.PORT}`;
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-TAIL);
  };
  const child: ChildProcess = spawn(process.execPath, [candorBin, 'serve'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: string | null = null;
  child.once('exit', (code, signal) => {
    exit = `exited with ${signal ?? `code ${code}`}`;
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) throw new Error(`candor serve ${exit} before it was ready. Its output:\n${output}`);
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `candor serve did not answer GET /healthz with 200 within ${timeoutMs} ms. Its output:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { origin, env, output: () => output, stop };
}

/**
 * The one-time link `candor serve` prints for the first admin of an empty installation (the flow a
 * newcomer follows after `npm start`).
 */
export async function bootstrapLink(server: CandorServer, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /(https?:\/\/\S+\/setup#token=[\w-]+)/.exec(server.output());
    if (match) return match[1]!;
    if (Date.now() > deadline) {
      throw new Error(`candor serve printed no first-admin setup link. Its output:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
