import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, serializeError } from '../../src/server/platform/logging/logger.ts';

describe('errors in logs', () => {
  // pins: personal data leaking into logs through a database error's detail (unique violations name the value)
  it('keep type, message, code and stack, but not detail, where or parameters', () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(chunk, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      }),
    });
    const error = Object.assign(
      new Error('duplicate key value violates unique constraint "users_email_key"'),
      {
        code: '23505',
        detail: 'Key (email)=(nadia.leak@example.test) already exists.',
        where: 'SQL statement with nadia.leak@example.test',
        parameters: ['nadia.leak@example.test'],
      },
    );
    logger.error({ err: new Error('invite failed', { cause: error }) }, 'request failed');
    const output = lines.join('');
    expect(output).toContain('invite failed');
    expect(output).toContain('users_email_key');
    expect(output).toContain('23505');
    expect(output).not.toContain('nadia.leak');
  });
});

describe('errors whose causes loop', () => {
  it('are serialized to a bounded depth instead of overflowing the stack', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    let depth = 0;
    for (let e = serializeError(a); e.cause; e = e.cause as Record<string, unknown>) depth++;
    expect(depth).toBe(5);
  });
});
