/**
 * Stable error codes, shared by server and console. Each code has an HTTP status and a one-line
 * "thrown when"; the message the reader sees is written where the error is raised.
 */
export const errorCatalogue = {
  validation_failed: { status: 400, when: 'the request does not match its schema' },
  bad_request: { status: 400, when: 'the request is well-formed but cannot be acted on as sent' },
  unauthenticated: { status: 401, when: 'no valid session or API token accompanies the request' },
  mfa_required: { status: 401, when: 'the session has passed the password but not the second factor' },
  invalid_credentials: { status: 401, when: 'the email, password or code did not match' },
  reauth_required: { status: 403, when: 'a sensitive change needs a fresh password and code' },
  forbidden: { status: 403, when: "the caller's role lacks the route's permission" },
  csrf_failed: { status: 403, when: 'a cookie-authenticated change lacks the CSRF token' },
  not_found: { status: 404, when: 'the record does not exist or the caller may not see it' },
  conflict: { status: 409, when: 'the record changed state since the caller read it' },
  link_invalid: { status: 410, when: 'a setup link is unknown, expired or already used' },
  code_reused: { status: 401, when: 'a one-time code was already used' },
  account_locked: { status: 429, when: 'too many failed sign-ins on the account' },
  rate_limited: { status: 429, when: 'too many requests from one client' },
  payload_too_large: { status: 413, when: 'the request body is over the configured limit' },
  weak_password: { status: 400, when: 'a new password is too short or on the common-password list' },
  internal: { status: 500, when: 'an unexpected failure; the request id finds it in the logs' },
  unavailable: { status: 503, when: 'a dependency such as the database is not reachable' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** The body of every error response (`application/problem+json`, RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId?: string;
  fields?: Array<{ path: string; message: string }>;
}
