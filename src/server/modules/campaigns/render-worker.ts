import { parentPort } from 'node:worker_threads';
import { type RenderJob, renderBatch } from './render-batch.ts';

/** A render worker thread: renders the batches the engine posts, in order, and answers with the results. */
parentPort!.on('message', (message: { id: number; job: RenderJob }) => {
  try {
    parentPort!.postMessage({ id: message.id, results: renderBatch(message.job) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message });
  }
});
