import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/** Small helpers over COPY (text format), the fast path in and out of PostgreSQL for bulk rows. */

export const copyNull = '\\N';

export function copyBytea(value: Buffer | null): string {
  return value ? `\\\\x${value.toString('hex')}` : copyNull;
}

export function copyText(value: string | null): string {
  if (value === null) return copyNull;
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

/** Streams lines into `COPY <target> FROM STDIN` with back-pressure. */
export async function copyIn(
  client: pg.PoolClient,
  statement: string,
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let chunk = '';
  for await (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= 1 << 16) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  if (chunk) stream.write(chunk);
  stream.end();
  await done;
}

/** Writes ready COPY text (newline-terminated lines, in large pieces) into `COPY <target> FROM STDIN`. */
export async function copyInText(client: pg.PoolClient, statement: string, texts: string[]): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (const text of texts) {
    if (!stream.write(text)) await once(stream, 'drain');
  }
  stream.end();
  await done;
}

/** Streams the text lines of `COPY (<query>) TO STDOUT`. */
export async function* copyOut(client: pg.PoolClient, query: string): AsyncGenerator<string> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line;
  }
  if (rest) yield rest;
}

/** A uuid we interpolate into COPY statements (they take no parameters): validated, never user text. */
export function sqlUuid(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
    throw new Error('not a uuid');
  return `'${value}'`;
}
