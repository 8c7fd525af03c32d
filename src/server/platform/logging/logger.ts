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

const redactPaths = [
  ...redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'body',
  '*.body',
];

/**
 * Errors keep their type, message, code and stack, and nothing else: PostgreSQL errors carry `detail`
 * ("Key (email)=(ana@example.com) already exists"), `where` and sometimes the query's parameters, which
 * can hold exactly the personal data logs must never see.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    // Named errorCode: a plain `code` key is redacted everywhere (it is how one-time codes travel).
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    stack: error.stack,
    ...(error.cause instanceof Error ? { cause: serializeError(error.cause) } : {}),
  };
}

export interface LoggerOptions {
  level?: string;
  /** Tests pass a stream to capture output. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { pid: process.pid },
      serializers: {
        // Request URLs may hold tokens (setup links use a fragment, but a mistaken client might not):
        // log the route pattern and method, never the query string.
        req: (req: { method?: string; routeOptions?: { url?: string }; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          route: req.routeOptions?.url ?? req.url?.split('?')[0],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    },
    options.destination,
  );
}

export type { Logger };
