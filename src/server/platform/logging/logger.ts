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
        err: pino.stdSerializers.err,
      },
    },
    options.destination,
  );
}

export type { Logger };
