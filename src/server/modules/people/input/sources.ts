import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { PiiCrypto } from '../../../platform/crypto/data-keys.ts';

/**
 * Where an import's bytes come from: a file on the server (CLI, or a path under the import directory), or
 * a browser upload. Uploads hold the breached data itself, so they are never stored in plaintext: they are
 * written as a sequence of AES-256-GCM sealed chunks (each bound to the upload and its position, with a
 * sealed end marker, so reordering or truncation is detected) and deleted when the import finishes.
 */
export interface InputSource {
  name: string;
  size: number;
  open(): Readable;
}

export function fileSource(filePath: string, name = path.basename(filePath)): InputSource {
  const size = fs.statSync(filePath).size;
  return { name, size, open: () => fs.createReadStream(filePath, { highWaterMark: 1 << 16 }) };
}

const CHUNK = 1 << 20;
const chunkContext = (uploadId: string, index: number | 'end') => `upload ${uploadId} ${index}`;

export interface SavedUpload {
  uploadId: string;
  path: string;
  bytes: number;
  sha256: Buffer;
}

export class UploadTooLargeError extends Error {}

export async function saveUpload(
  crypto: PiiCrypto,
  directory: string,
  body: AsyncIterable<Buffer>,
  maxBytes: number,
): Promise<SavedUpload> {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const uploadId = randomUUID();
  const file = path.join(directory, `${uploadId}.upload`);
  const out = fs.createWriteStream(file, { mode: 0o600 });
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let index = 0;
  const writeSealed = async (plaintext: Buffer, context: string) => {
    const sealed = crypto.encryptBytes(plaintext, context);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length);
    if (!out.write(Buffer.concat([length, sealed])))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        throw new UploadTooLargeError(`The upload is larger than ${Math.round(maxBytes / 1e6)} MB.`);
      hash.update(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK) {
        // Joined once, then sealed a slice at a time: a large body chunk is not copied once per slice.
        const all = Buffer.concat(pending);
        let offset = 0;
        for (; all.length - offset >= CHUNK; offset += CHUNK) {
          await writeSealed(all.subarray(offset, offset + CHUNK), chunkContext(uploadId, index++));
        }
        pending = [all.subarray(offset)];
        pendingBytes = all.length - offset;
      }
    }
    if (pendingBytes > 0) await writeSealed(Buffer.concat(pending), chunkContext(uploadId, index++));
    await writeSealed(Buffer.from(String(index)), chunkContext(uploadId, 'end'));
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
  } catch (error) {
    out.destroy();
    await fs.promises.rm(file, { force: true });
    throw error;
  }
  return { uploadId, path: file, bytes, sha256: hash.digest() };
}

export function uploadIdOf(file: string): string {
  return path.basename(file).replace(/\.upload$/, '');
}

/** Decrypts an upload back into its plaintext byte stream (in memory one chunk at a time). */
export function uploadSource(
  crypto: PiiCrypto,
  file: string,
  name: string,
  plaintextSize: number,
): InputSource {
  const uploadId = uploadIdOf(file);
  return {
    name,
    size: plaintextSize,
    open: () =>
      Readable.from(
        (async function* () {
          let buffered: Buffer = Buffer.alloc(0);
          let index = 0;
          let isEnded = false;
          for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
            buffered = buffered.length ? Buffer.concat([buffered, chunk as Buffer]) : (chunk as Buffer);
            while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
              const length = buffered.readUInt32BE(0);
              const sealed = buffered.subarray(4, 4 + length);
              buffered = buffered.subarray(4 + length);
              if (isEnded) throw new Error('The stored upload has data after its end marker.');
              try {
                yield await crypto.decryptBytes(sealed, chunkContext(uploadId, index));
                index++;
              } catch {
                const marker = await crypto.decryptBytes(sealed, chunkContext(uploadId, 'end'));
                if (Number(marker.toString()) !== index) throw new Error('The stored upload is damaged.');
                isEnded = true;
              }
            }
          }
          if (!isEnded) throw new Error('The stored upload is truncated.');
        })(),
      ),
  };
}
