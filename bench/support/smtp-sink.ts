import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * The local SMTP sink both senders of the send benchmark push to. Postfix's `smtp-sink` (a small C server
 * that accepts and discards mail) when it can be had: installed from Debian's `postfix` package when
 * missing (postfix itself stays unconfigured and stopped). Otherwise a Node `smtp-server` sink, which costs
 * CPU on the same two cores, so the output says which one ran.
 */
export interface SmtpSink {
  kind: 'smtp-sink' | 'node smtp-server';
  /** Why the Node sink runs instead of smtp-sink (null when smtp-sink runs). */
  fallbackReason: string | null;
  port: number;
  url: string;
  /** Messages the sink accepted (DATA completed) so far. */
  accepted(): number;
  stop(): Promise<void>;
}

const SMTP_SINK = '/usr/sbin/smtp-sink';

function run(command: string, args: string[], input?: string) {
  const result = spawnSync(command, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Installs postfix for its smtp-sink when missing; returns why it could not, or null when it is there. */
export function ensureSmtpSink(log: (line: string) => void): string | null {
  if (fs.existsSync(SMTP_SINK)) return null;
  if (process.getuid?.() !== 0) {
    return `${SMTP_SINK} is missing and this is not root, so postfix cannot be installed here (run \`sudo apt-get install postfix\` once)`;
  }
  log(`${SMTP_SINK} is missing: installing Debian's postfix package for it (unconfigured, not started)…`);
  run('debconf-set-selections', [], 'postfix postfix/main_mailer_type select No configuration\n');
  const install = () =>
    run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postfix', '-o', 'Dpkg::Use-Pty=0']);
  let result = install();
  if (!result.ok) {
    log('apt-get install failed; refreshing the package lists (apt-get update) and trying again…');
    run('apt-get', ['update', '-q']);
    result = install();
  }
  if (!result.ok || !fs.existsSync(SMTP_SINK)) {
    return `installing postfix failed: ${result.output.split('\n').slice(-3).join(' / ')}`;
  }
  return null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`smtp-sink exited with code ${child.exitCode}`);
    const isUp = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (isUp) return;
    if (Date.now() > deadline) throw new Error(`smtp-sink did not listen on port ${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `smtp-sink -c -u nobody 127.0.0.1:PORT 1000`: -c prints running counters (`sess=1 quit=0 mesg=7\r`, one
 * line per event), whose `mesg` is how the benchmark checks that every message reached the sink;
 * -u drops root; 1000 is the listen backlog.
 */
async function startPostfixSink(): Promise<SmtpSink> {
  const port = await freePort();
  const child = spawn(SMTP_SINK, ['-c', '-u', 'nobody', `127.0.0.1:${port}`, '1000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let count = 0;
  let tail = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-200);
    const counts = [...tail.matchAll(/mesg=(\d+)/g)];
    if (counts.length > 0) count = Number(counts.at(-1)![1]);
  });
  let errors = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errors = (errors + chunk).slice(-2000);
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  try {
    await waitForPort(port, child);
  } catch (error) {
    kill();
    throw new Error(`${(error as Error).message}${errors ? `: ${errors.trim()}` : ''}`);
  }
  return {
    kind: 'smtp-sink',
    fallbackReason: null,
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => count,
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A discard-everything SMTP server in this process, for machines where smtp-sink cannot be had. */
async function startNodeSink(reason: string): Promise<SmtpSink> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 1000,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        count += 1;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as net.AddressInfo;
  return {
    kind: 'node smtp-server',
    fallbackReason: reason,
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => count,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startSmtpSink(log: (line: string) => void): Promise<SmtpSink> {
  const problem = ensureSmtpSink(log);
  if (!problem) {
    try {
      return await startPostfixSink();
    } catch (error) {
      return startNodeSink(`smtp-sink would not start: ${(error as Error).message}`);
    }
  }
  return startNodeSink(problem);
}
