import pino, { type Logger } from 'pino';
import { redactedKeys, serializeError } from '../../src/server/platform/logging/logger.ts';

/**
 * The logger as it was before redaction became one walk (commit 9114d48's `createLogger`): pino's `redact`
 * with a wildcard path per key and depth, run by @pinojs/redact on every line. Kept as the baseline of
 * `bench/logging.bench.ts` and as the reference that test/platform/log-redaction.test.ts compares against,
 * built from the same key list so the two cannot drift.
 */
export const legacyRedactPaths = [
  ...redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'body',
  '*.body',
];

/** `isRedacting: false` gives the same logger with no redaction at all: the floor for the benchmark. */
export function createLegacyLogger(destination: pino.DestinationStream, isRedacting = true): Logger {
  return pino(
    {
      level: 'info',
      ...(isRedacting ? { redact: { paths: legacyRedactPaths, censor: '[redacted]' } } : {}),
      base: { pid: process.pid },
      serializers: {
        req: (req: { method?: string; routeOptions?: { url?: string }; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          route: req.routeOptions?.url ?? req.url?.split('?')[0],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    },
    destination,
  );
}
