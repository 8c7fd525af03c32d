import { Worker } from 'node:worker_threads';
import type { ComposedEmail } from './mime.ts';
import type { RenderedMessage } from './outbound.types.ts';

/**
 * Compose threads: a batch of emails is split into one slice per thread, composed into MIME bytes, and
 * comes back in the batch's order. Measured (`npm run bench:send`): composing is about half the CPU a
 * message costs the sending thread (quoted-printable, line wrapping, headers, and many small socket writes
 * when nodemailer streams it while sending); done here, the sending thread only writes prepared bytes.
 * A thread that dies fails its pending slices; those messages are then composed while sent, as before.
 */
export interface ComposePool {
  compose(messages: RenderedMessage[]): Promise<ComposedEmail[]>;
  close(): Promise<void>;
}

export function createComposePool(size: number): ComposePool {
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(new URL('./compose-worker-entry.mjs', import.meta.url));
    worker.unref();
    return worker;
  });
  const waiting = new Map<number, { resolve: (r: ComposedEmail[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  // A thread that failed or exited takes the pool with it: what it held is rejected, and so is every later
  // batch (a message posted to an exited thread would never be answered), so the lane composes while sending.
  let broken: Error | undefined;
  const breakPool = (error: Error) => {
    broken ??= error;
    for (const entry of waiting.values()) entry.reject(broken);
    waiting.clear();
  };
  for (const worker of workers) {
    worker.on('message', (message: { id: number; results?: ComposedEmail[]; error?: string }) => {
      const entry = waiting.get(message.id);
      if (!entry) return;
      waiting.delete(message.id);
      if (message.error) entry.reject(new Error(`composing failed: ${message.error}`));
      else entry.resolve(message.results!);
    });
    worker.on('error', breakPool);
    worker.on('exit', (code) => breakPool(new Error(`a compose thread exited (code ${code})`)));
  }
  const composeSlice = (worker: Worker, messages: RenderedMessage[]) => {
    const id = nextId++;
    return new Promise<ComposedEmail[]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, messages });
    });
  };
  return {
    async compose(messages) {
      if (broken) throw broken;
      const size = Math.ceil(messages.length / workers.length);
      const slices = workers
        .map((worker, i) => ({ worker, messages: messages.slice(i * size, (i + 1) * size) }))
        .filter((s) => s.messages.length > 0);
      return (await Promise.all(slices.map((s) => composeSlice(s.worker, s.messages)))).flat();
    },
    async close() {
      broken ??= new Error('the compose threads are closed');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
