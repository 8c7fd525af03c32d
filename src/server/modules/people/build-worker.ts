import { parentPort, workerData } from 'node:worker_threads';
import { type SealingKeys, sealingCrypto } from '../../platform/crypto/data-keys.ts';
import { type ChunkContext, createChunkBuilder } from './chunk-builder.ts';
import type { InputRow } from './input/read-input.ts';
import type { Mapping } from './mapping.ts';

/** A worker thread of build-pool.ts: builds chunks of rows with keys handed over by its parent thread. */
const { context, keys } = workerData as { context: ChunkContext; keys: SealingKeys };
const build = createChunkBuilder(
  context,
  sealingCrypto({
    activeKeyId: keys.activeKeyId,
    activeKey: Buffer.from(keys.activeKey),
    blindIndexKey: Buffer.from(keys.blindIndexKey),
  }),
);

parentPort!.on(
  'message',
  (message: { id: number; headers: string[]; mapping: Mapping; rows: InputRow[] }) => {
    try {
      parentPort!.postMessage({
        id: message.id,
        result: build(message.headers, message.mapping, message.rows),
      });
    } catch (error) {
      parentPort!.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  },
);
