import { Worker } from 'node:worker_threads';
import type { RenderJob, RenderResult } from './render-batch.ts';

/**
 * Render worker threads. A batch is split into one slice per thread; results come back in the batch's
 * order. A thread that dies fails its pending slices (the engine then retries those deliveries later).
 */
export interface RenderPool {
  render(job: RenderJob): Promise<RenderResult[]>;
  close(): Promise<void>;
}

export function createRenderPool(size: number): RenderPool {
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(new URL('./render-worker-entry.mjs', import.meta.url));
    worker.unref();
    return worker;
  });
  const waiting = new Map<number, { resolve: (r: RenderResult[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  for (const worker of workers) {
    worker.on('message', (message: { id: number; results?: RenderResult[]; error?: string }) => {
      const entry = waiting.get(message.id);
      if (!entry) return;
      waiting.delete(message.id);
      if (message.error) entry.reject(new Error(`rendering failed: ${message.error}`));
      else entry.resolve(message.results!);
    });
    worker.on('error', (error) => {
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    });
  }
  const renderSlice = (worker: Worker, job: RenderJob) => {
    const id = nextId++;
    return new Promise<RenderResult[]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, job });
    });
  };
  return {
    async render(job) {
      const size = Math.ceil(job.items.length / workers.length);
      const slices = workers
        .map((worker, i) => ({ worker, items: job.items.slice(i * size, (i + 1) * size) }))
        .filter((s) => s.items.length > 0);
      const parts = await Promise.all(slices.map((s) => renderSlice(s.worker, { ...job, items: s.items })));
      return parts.flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
