import { Worker } from 'node:worker_threads';
import type { SealingKeys } from '../../platform/crypto/data-keys.ts';
import type { ChunkContext, ChunkResult } from './chunk-builder.ts';
import type { InputRow } from './input/read-input.ts';
import type { Mapping } from './mapping.ts';

/**
 * Worker threads that build chunks in parallel while the import's thread parses and writes (sealing and
 * hashing are ~80% of an import's CPU). Results come back per chunk; the caller consumes them in order, so
 * the batch checkpoint stays "every line up to here is committed".
 */
export interface BuildPool {
  build(headers: string[], mapping: Mapping, rows: InputRow[]): Promise<ChunkResult>;
  close(): Promise<void>;
}

export function createBuildPool(size: number, context: ChunkContext, keys: SealingKeys): BuildPool {
  const workers = Array.from(
    { length: size },
    () =>
      // The entry loads the worker's TypeScript the same way as ours (tsx), whatever started this process.
      new Worker(new URL('./build-worker-entry.mjs', import.meta.url), { workerData: { context, keys } }),
  );
  const waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  for (const worker of workers) {
    worker.on('message', (message: { id: number; result?: ChunkResult; error?: string }) => {
      const entry = waiting.get(message.id);
      if (!entry) return;
      waiting.delete(message.id);
      if (message.error) entry.reject(new Error(`building records failed: ${message.error}`));
      else entry.resolve(message.result!);
    });
    worker.on('error', (error) => {
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    });
  }
  return {
    build(headers, mapping, rows) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, headers, mapping, rows });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
