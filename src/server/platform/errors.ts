import { type ErrorCode, errorCatalogue } from '../../shared/errors.ts';

/** The one error type the HTTP layer turns into `application/problem+json`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Safe to show the reader: what went wrong and what to do. Never carries personal data. */
    message: string,
    readonly extra: {
      cause?: unknown;
      fields?: Array<{ path: string; message: string }>;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message, { cause: extra.cause });
    this.status = errorCatalogue[code].status;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`);
