import pino, { type Logger } from 'pino';

/**
 * Every key that may carry personal data or secrets, wherever it sits in a log object. Logs carry ids;
 * this list is the net under that rule, not the rule itself.
 */
export const redactedKeys = [
  'email',
  'phone',
  'password',
  'newPassword',
  'currentPassword',
  'code',
  'recoveryCode',
  'token',
  'secret',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'address',
  'dateOfBirth',
  'nationalId',
  'identifier',
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
];

const censor = '[redacted]';
/** Censored wherever they sit, with `redactedKeys`: a log line carries no request or response body. */
const censoredKeys: ReadonlySet<string> = new Set([...redactedKeys, 'body']);
/**
 * Depth of the deepest key checked (the wildcard paths this replaces stopped at 3). An object whose keys
 * would sit deeper, or that is reached after `maxVisits` keys and elements, is logged as the censor:
 * the walk fails closed, so no log object is too deep or too big to be redacted.
 */
const maxDepth = 10;
const maxVisits = 10_000;

interface Walk {
  visits: number;
  /** The objects between the log object and the current one: a reference back to one is a cycle. */
  ancestors: object[];
}

const newWalk = (): Walk => ({ visits: 0, ancestors: [] });

/**
 * The value with every censored key's value replaced, at any depth up to `maxDepth`, through arrays and
 * `toJSON` results. Copy on write: the caller's objects are never changed, and a value with nothing to
 * censor is returned as is (the common case costs one `Set` lookup per key, no allocation).
 * `depth` is the depth of the value's own keys.
 */
function redactValue(value: unknown, depth: number, walk: Walk): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > maxDepth || walk.visits >= maxVisits) return censor;
  // JSON.stringify would give up on a cycle and pino would print "[Circular]"; the back-reference must
  // not survive into a redacted copy, where it would point at the original, unredacted object.
  if (walk.ancestors.includes(value)) return '[Circular]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function' && !(value instanceof Date)) {
    walk.visits++;
    let json: unknown;
    try {
      json = toJSON.call(value);
    } catch {
      return censor;
    }
    if (json !== value) {
      const redacted = redactValue(json, depth, walk);
      return redacted === json ? value : redacted;
    }
  }
  walk.ancestors.push(value);
  const redacted = Array.isArray(value)
    ? redactArray(value, depth, walk)
    : redactObject(value as Record<string, unknown>, depth, walk, false);
  walk.ancestors.pop();
  return redacted;
}

function redactArray(array: unknown[], depth: number, walk: Walk): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    walk.visits++;
    const item = array[i];
    const redacted = redactValue(item, depth + 1, walk);
    if (copy === undefined && redacted !== item) copy = array.slice(0, i);
    if (copy !== undefined) copy.push(redacted);
  }
  return copy ?? array;
}

/**
 * With `isLogObject`, keys that have a serializer are left to it: the serializers below redact what they
 * return, and walking a Fastify request or reply before its serializer reads it would be wasted work.
 */
function redactObject(
  object: Record<string, unknown>,
  depth: number,
  walk: Walk,
  isLogObject: boolean,
): Record<string, unknown> {
  const keys = Object.keys(object);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = object[key];
    const redacted = redactEntry(key, value, depth, walk, isLogObject);
    if (copy === undefined && redacted !== value) {
      copy = {};
      // Read again rather than kept from the first pass: an enumerable getter may return a new object.
      for (let j = 0; j < i; j++) {
        const earlier = keys[j] as string;
        setOwn(copy, earlier, redactEntry(earlier, object[earlier], depth, walk, isLogObject));
      }
    }
    if (copy !== undefined) setOwn(copy, key, redacted);
  }
  return copy ?? object;
}

/** An own `__proto__` key (JSON.parse makes them) must stay a key, not become the copy's prototype. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true });
  else object[key] = value;
}

function redactEntry(key: string, value: unknown, depth: number, walk: Walk, isLogObject: boolean): unknown {
  walk.visits++;
  // Pino drops a top-level undefined; deeper, `redact` censored a present key whatever its value.
  if (censoredKeys.has(key)) return value === undefined && depth === 1 ? value : censor;
  if (isLogObject && serializedKeys.has(key)) return value;
  return redactValue(value, depth + 1, walk);
}

/** A log call's merge object or a child logger's bindings: their keys are depth 1. */
function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const walk = newWalk();
  walk.ancestors.push(object);
  return redactObject(object, 1, walk, true);
}

const redactingSerializers = new WeakSet<pino.SerializerFn>();

/** A serializer whose output is redacted like the rest of the line (its keys are depth 2). */
function redacting<T>(serialize: (value: T) => unknown): (value: T) => unknown {
  const redacted = (value: T) => redactValue(serialize(value), 2, newWalk());
  redactingSerializers.add(redacted);
  return redacted;
}

/**
 * A child's own serializers, made redacting. Fastify gives its server logger a child whose serializers
 * are these very ones (they override its own): they pass as they are.
 */
function redactingAll(serializers: Record<string, pino.SerializerFn>): Record<string, pino.SerializerFn> {
  const all = { ...serializers };
  for (const [key, serialize] of Object.entries(all)) {
    if (!redactingSerializers.has(serialize)) all[key] = redacting(serialize);
  }
  return all;
}

/**
 * Errors keep their type, message, code and stack, and nothing else: PostgreSQL errors carry `detail`
 * ("Key (email)=(ana@example.com) already exists"), `where` and sometimes the query's parameters, which
 * can hold exactly the personal data logs must never see.
 */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  // A chain of causes that loops back (a.cause = b, b.cause = a) must not overflow the stack.
  if (depth >= 5) return { type: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    // Named errorCode: a plain `code` key is redacted everywhere (it is how one-time codes travel).
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    stack: error.stack,
    ...(error.cause instanceof Error ? { cause: serializeError(error.cause, depth + 1) } : {}),
  };
}

export interface LoggerOptions {
  level?: string;
  /** Tests pass a stream to capture output. */
  destination?: pino.DestinationStream;
}

const serializers = {
  // Request URLs may hold tokens (setup links use a fragment, but a mistaken client might not):
  // log the route pattern and method, never the query string.
  req: redacting((req: { method?: string; routeOptions?: { url?: string }; url?: string; id?: string }) => ({
    id: req.id,
    method: req.method,
    route: req.routeOptions?.url ?? req.url?.split('?')[0],
  })),
  res: redacting((res: { statusCode?: number }) => ({ statusCode: res.statusCode })),
  err: redacting(serializeError),
};
const serializedKeys: ReadonlySet<string> = new Set(Object.keys(serializers));

/**
 * Redaction is one copy-on-write walk per log object with a `Set` of keys, instead of pino's `redact`:
 * its 69 paths (most of them `*.k` and `*.*.k`) cost 30–70 µs of CPU per line here (about 90 µs of wall
 * time on a busy 2-core machine), and every request writes two lines; the walk costs under 1 µs
 * (`npm run bench:logging`). Pino's hooks, in the order a line meets them (pino/lib/tools.js `_asJson`,
 * pino/lib/proto.js `child`):
 * - `formatters.log` gets the merge object before serializers run: every key but the serialized ones;
 * - each serializer's output is redacted by `redacting` (so `err` is redacted after `serializeError`),
 *   and so are those a child logger brings (`redactingAll`);
 * - `formatters.bindings` only ever sees the root's `base`: `child()` replaces it for children, so
 *   `child` and `setBindings` redact bindings on their way in (children inherit both from the root);
 * - `hooks.logMethod` redacts objects interpolated into the message (`%o`, `%j`), as `redact` did.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      serializers,
      formatters: { log: redactLogObject },
      hooks: {
        logMethod(args, method) {
          // args[0], when an object, is the merge object: `formatters.log` has it.
          for (let i = 1; i < args.length; i++) {
            if (typeof args[i] === 'object' && args[i] !== null) args[i] = redactValue(args[i], 1, newWalk());
          }
          method.apply(this, args);
        },
      },
    },
    options.destination,
  );
  const pinoChild = logger.child;
  const pinoSetBindings = logger.setBindings;
  logger.child = function child(this: Logger, bindings, childOptions) {
    const serializers = childOptions?.serializers;
    const options: typeof childOptions = serializers
      ? { ...childOptions, serializers: redactingAll(serializers) }
      : childOptions;
    // Missing bindings go through as they are: pino refuses them with its own message.
    return pinoChild.call(this, bindings && redactLogObject(bindings), options);
  } as Logger['child'];
  logger.setBindings = function setBindings(this: Logger, bindings) {
    pinoSetBindings.call(this, redactLogObject(bindings));
  };
  return logger;
}

export type { Logger };
