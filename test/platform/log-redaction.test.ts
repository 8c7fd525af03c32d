import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLegacyLogger } from '../../bench/support/legacy-logger.ts';
import { createLogger, type Logger, redactedKeys } from '../../src/server/platform/logging/logger.ts';

// pins: personal data and credentials reaching log storage under a key the redaction list names, wherever
// the key sits (nested, in arrays, in a child logger's bindings, in an error, interpolated into a message).

const censoredKeys = [...redactedKeys, 'body'];
const censor = '[redacted]';

type Line = Record<string, unknown>;

function capture(
  create: (destination: { write(line: string): void }) => Logger = (d) => createLogger({ destination: d }),
) {
  const raw: string[] = [];
  const logger = create({ write: (line) => raw.push(line) });
  const lines = () => raw.map((line) => JSON.parse(line) as Line);
  return { logger, raw, lines, last: () => lines().at(-1) as Line };
}

/** `{ a1: { a2: … { [key]: value } } }` with `key` at `depth` (1 is top level). */
function nested(key: string, value: unknown, depth: number): Line {
  let object: Line = { [key]: value, id: `id-${depth}` };
  for (let d = depth - 1; d >= 1; d--) object = { [`a${d}`]: object };
  return object;
}

function at(line: unknown, path: string[]): unknown {
  return path.reduce<unknown>((value, key) => (value as Line | undefined)?.[key], line);
}

const pathTo = (key: string, depth: number) => [
  ...Array.from({ length: depth - 1 }, (_, i) => `a${i + 1}`),
  key,
];

describe('log redaction', () => {
  it('censors every listed key at every depth from 1 to 10, and keeps the ids beside it', () => {
    const { logger, raw, last } = capture();
    for (const key of censoredKeys) {
      for (let depth = 1; depth <= 10; depth++) {
        const needle = `leak-${key}-${depth}`;
        logger.info(nested(key, needle, depth), 'probe');
        expect(at(last(), pathTo(key, depth)), `${key} at depth ${depth}`).toBe(censor);
        expect(at(last(), [...pathTo(key, depth).slice(0, -1), 'id'])).toBe(`id-${depth}`);
        logger.info(nested(key, { inner: needle, n: 1 }, depth), 'probe, object value');
        expect(at(last(), pathTo(key, depth)), `${key} object at depth ${depth}`).toBe(censor);
      }
    }
    expect(raw.join('')).not.toContain('leak-');
  });

  it('fails closed past depth 10: the deeper object is censored whole', () => {
    const { logger, last } = capture();
    logger.info(nested('email', 'too-deep@example.test', 11), 'probe');
    expect(at(last(), pathTo('a10', 10))).toBe(censor);
    expect(JSON.stringify(last())).not.toContain('too-deep');
  });

  it('looks through arrays, arrays of arrays and toJSON results', () => {
    const { logger, last } = capture();
    logger.info(
      {
        list: [{ email: 'in-array@example.test', id: 1 }],
        matrix: [[{ token: 'in-matrix' }]],
        mixed: ['plain', { b: [{ phone: '+31 6 5550 0001' }] }],
        custom: { toJSON: () => ({ secret: 'from-toJSON', id: 2 }) },
        when: new Date(0),
      },
      'probe',
    );
    expect(last()).toMatchObject({
      list: [{ email: censor, id: 1 }],
      matrix: [[{ token: censor }]],
      mixed: ['plain', { b: [{ phone: censor }] }],
      custom: { secret: censor, id: 2 },
      when: '1970-01-01T00:00:00.000Z',
    });
  });

  it('keeps an error to what serializeError keeps, and censors listed keys on errors logged under other keys', () => {
    const { logger, raw, last } = capture();
    const database = Object.assign(new Error('duplicate key'), {
      code: '23505',
      email: 'on-error@example.test',
      detail: 'Key (email)=(on-error@example.test)',
    });
    logger.error({ err: new Error('invite failed', { cause: database }) }, 'failed');
    expect(Object.keys(last().err as Line).sort()).toEqual(['cause', 'message', 'stack', 'type']);
    expect(at(last(), ['err', 'cause', 'errorCode'])).toBe('23505');
    logger.error(database);
    expect(at(last(), ['err', 'message'])).toBe('duplicate key');
    expect(raw.join('')).not.toContain('on-error@');
    logger.warn(
      { attempt: { failure: Object.assign(new Error('x'), { token: 'error-token', id: 3 }) } },
      'retry',
    );
    expect(at(last(), ['attempt', 'failure'])).toEqual({ token: censor, id: 3 });
  });

  it('censors child bindings, at any depth and through children of children and setBindings', () => {
    const { logger, raw, last } = capture();
    const child = logger.child({
      email: 'bound@example.test',
      requestId: 'r-1',
      actor: { name: 'Bound Name' },
    });
    const grandchild = child.child({ session: { auth: { cookie: 'bound-cookie' } } }, { level: 'info' });
    grandchild.info({ person: { phone: '+31 6 5550 0002' } }, 'probe');
    expect(last()).toMatchObject({
      email: censor,
      requestId: 'r-1',
      actor: { name: censor },
      session: { auth: { cookie: censor } },
      person: { phone: censor },
    });
    grandchild.setBindings({ secret: 'set-later', batchId: 'b-1' });
    grandchild.info('probe');
    expect(last()).toMatchObject({ secret: censor, batchId: 'b-1' });
    expect(raw.join('')).not.toMatch(/bound@|Bound Name|bound-cookie|5550 0002|set-later/);
  });

  it("censors what a serializer returns, a child logger's own serializers included", () => {
    const { logger, raw, last } = capture();
    // `mail` is not a listed key: only the serializer's output names it `email`.
    const toUser = (user: { id: string; mail: string }) => ({ id: user.id, contact: { email: user.mail } });
    const child = logger.child({}, { serializers: { user: toUser } });
    child.info({ user: { id: 'u-1', mail: 'serialized@example.test' } }, 'probe');
    expect(last()).toMatchObject({ user: { id: 'u-1', contact: { email: censor } } });
    expect(raw.join('')).not.toContain('serialized@');
  });

  it('censors objects interpolated into the message', () => {
    const { logger, raw } = capture();
    logger.info(
      'payload %o then %j',
      { email: 'interpolated@example.test' },
      { a: { b: { token: 'fmt-token' } } },
    );
    expect(raw.join('')).not.toMatch(/interpolated@|fmt-token/);
    expect(raw.join('')).toContain(censor);
  });

  it('cuts cycles and bounds the work on huge or exploding objects, without leaking', () => {
    const { logger, raw, last } = capture();
    const person: Line = { email: 'cyclic@example.test', id: 4 };
    person.self = person;
    person.children = [{ parent: person }];
    logger.info({ person }, 'cycle');
    expect(last().person).toEqual({
      email: censor,
      id: 4,
      self: '[Circular]',
      children: [{ parent: '[Circular]' }],
    });

    logger.info(
      { rows: Array.from({ length: 20_000 }, (_, id) => ({ id, email: `row${id}@example.test` })) },
      'huge',
    );
    // 100 references to the level below, five levels deep: 10^10 paths if walked (and stringified) naively.
    let fanOut: unknown = { email: 'fan-out@example.test' };
    for (let level = 0; level < 5; level++) fanOut = Array.from({ length: 100 }, () => fanOut);
    logger.info({ fanOut }, 'fan-out');
    expect(raw.join('')).not.toMatch(/cyclic@|@example\.test/);
    expect(raw.at(-1)?.length).toBeLessThan(1_000_000);
  });

  it("never changes the caller's objects", () => {
    const { logger } = capture();
    const payload = { email: 'mine@example.test', nested: { token: 't', list: [{ phone: 'p' }] } };
    const before = structuredClone(payload);
    logger.info(payload, 'probe');
    logger.child(payload).info('probe');
    expect(payload).toEqual(before);
  });

  it('writes the same line as the former pino redact config wherever that config reached (depth 1 to 3)', () => {
    const now = capture();
    const former = capture((destination) => createLegacyLogger(destination));
    const request = { id: 'q-1', method: 'POST', url: '/api/x?token=t', routeOptions: { url: '/api/x' } };
    const objects: Line[] = [
      { req: request },
      { res: { statusCode: 201 }, responseTime: 1.5 },
      { incidentId: 'i-1', counts: { sent: 3, failed: [1, 2] }, at: new Date(0), isDone: true, none: null },
      {
        headers: {
          authorization: 'Bearer x',
          cookie: 'c',
          'x-csrf-token': 'x',
          'set-cookie': ['s'],
          accept: '*/*',
        },
      },
      { request: { headers: { authorization: 'Bearer y' } }, response: { headers: { 'set-cookie': 's' } } },
      { list: [{ email: 'e', id: 1 }, 'x'], body: { text: 'b' }, wrapper: { body: 'b', id: 2 } },
      { err: Object.assign(new Error('boom'), { code: 'E1', email: 'e' }) },
      // The former config censored `body` at depths 1 and 2 only.
      ...censoredKeys.flatMap((key) =>
        (key === 'body' ? [1, 2] : [1, 2, 3]).map((depth) => nested(key, `v-${key}`, depth)),
      ),
    ];
    for (const object of objects) {
      now.logger.info(object, 'same');
      former.logger.info(object, 'same');
    }
    now.logger.child({ reqId: 'r', user: { email: 'e' } }).info({ a: { b: { name: 'n' } } }, 'child');
    former.logger.child({ reqId: 'r', user: { email: 'e' } }).info({ a: { b: { name: 'n' } } }, 'child');
    const withoutTime = (lines: Line[]) => lines.map(({ time: _time, ...line }) => line);
    expect(withoutTime(now.lines())).toEqual(withoutTime(former.lines()));
    // Key order too: the line format is unchanged, not just its content.
    expect(now.raw.map((l) => l.replace(/"time":\d+,/, ''))).toEqual(
      former.raw.map((l) => l.replace(/"time":\d+,/, '')),
    );
  });

  it("censors what a route logs through Fastify's request logger", async () => {
    const { logger, raw } = capture();
    const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
    app.post('/probe', async (request) => {
      request.log.info({ body: request.body, person: { email: 'route@example.test' } }, 'route line');
      return { ok: true };
    });
    const response = await app.inject({
      method: 'POST',
      url: '/probe?token=query-token',
      headers: { authorization: 'Bearer header-token', cookie: 'sid=cookie-value' },
      payload: { password: 'body-password' },
    });
    await app.close();
    expect(response.statusCode).toBe(200);
    const lines = raw.map((line) => JSON.parse(line) as Line);
    expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'route line', 'request completed']);
    expect(lines[0]).toMatchObject({ req: { method: 'POST', route: '/probe' } });
    expect(lines[1]).toMatchObject({ body: censor, person: { email: censor }, reqId: expect.any(String) });
    expect(raw.join('')).not.toMatch(/route@|query-token|header-token|cookie-value|body-password/);
  });
});
