import { parentPort } from 'node:worker_threads';
import { composeEmail } from './mime.ts';
import type { RenderedMessage } from './outbound.types.ts';

/** A compose thread: composes the batches the engine posts, in order, and answers with the bytes. */
parentPort!.on('message', (message: { id: number; messages: RenderedMessage[] }) => {
  Promise.all(message.messages.map((m) => composeEmail(m))).then(
    (results) => parentPort!.postMessage({ id: message.id, results }),
    (error: unknown) => parentPort!.postMessage({ id: message.id, error: (error as Error).message }),
  );
});
