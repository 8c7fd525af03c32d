import type { SmsSendResult } from './sms.types.ts';

type Failure = Extract<SmsSendResult, { ok: false }>;

/** A provider's HTTP answer, or the retryable failure of never getting one. */
export type ProviderAnswer =
  | { answered: true; status: number; text: string }
  | { answered: false; failure: Failure };

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One POST to a provider, bounded by `timeoutMs` for the whole exchange (connect, headers and body).
 * Transport failures are retryable: the message may or may not have left, and the idempotency key makes
 * a retry safe. Reasons carry the error code only: an error's message can quote the URL or the payload.
 * Redirects are not followed: a provider that moves a signed POST elsewhere is misconfigured.
 */
export async function postToProvider(
  url: string,
  request: { headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<ProviderAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { answered: true, status: response.status, text: await response.text() };
  } catch (error) {
    return { answered: false, failure: retryable(describeTransportError(error, timeoutMs)) };
  }
}

function describeTransportError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `provider did not answer within ${timeoutMs} ms; retry later`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code) ? cause.code : null;
  const name = error instanceof Error ? error.name : 'unknown error';
  return `could not reach the provider (${code ?? name}); retry later`;
}

export function retryable(reason: string): Failure {
  return { ok: false, permanent: false, reason };
}

export function permanent(reason: string): Failure {
  return { ok: false, permanent: true, reason };
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Parsed JSON when the text is a JSON object, otherwise null (garbage, HTML error pages, empty bodies). */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Provider message ids are stored on delivery rows and matched against receipts: printable ASCII without
 * spaces, bounded, so a provider cannot plant markup or megabytes in them.
 */
export function isProviderId(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]{1,200}$/.test(value);
}
