import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { type InputEncoding, type InputFormat, openInput } from './input/read-input.ts';
import type { InputSource } from './input/sources.ts';
import { detectMapping } from './mapping.ts';

/** A file's identity (its SHA-256) and its first rows, read before an import starts. */
const SAMPLE_ROWS = 200;
/**
 * A preview reads the start of the file only (about 64 MiB of text at most), so an upload is answered
 * promptly whatever comes after: an enormous line is skipped within it or left for the import to reject.
 */
const PREVIEW_CHARS = 64 * 2 ** 20;

export async function sha256File(path: string, onBytes?: (bytes: number) => void): Promise<Buffer> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    onBytes?.(bytes);
  }
  return hash.digest();
}

/** Reads the header and a sample, and proposes a mapping (for the CLI's printout and the console's preview). */
export async function previewSource(
  source: InputSource,
  options: { format?: InputFormat | undefined; encoding?: InputEncoding | undefined },
) {
  const input = await openInput(source, { ...options, maxChars: PREVIEW_CHARS });
  const samples: Array<Record<string, string>> = [];
  const errors: Array<{ line: number; error: string }> = [];
  for await (const row of input.rows) {
    if (row.error) errors.push({ line: row.line, error: row.error });
    else samples.push(Object.fromEntries(input.headers.map((h, i) => [h, row.values?.[i] ?? ''])));
    if (samples.length >= SAMPLE_ROWS) break;
  }
  await input.rows.return(undefined);
  const detected = detectMapping(input.headers, samples);
  return {
    format: input.format,
    isGzip: input.isGzip,
    headers: [...input.headers],
    samples,
    errors,
    ...detected,
  };
}
