import type { ErrorCode, Problem } from '../../shared/errors.ts';

/** An error answer from the server, carrying its `application/problem+json` body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network';
  readonly requestId: string | undefined;
  readonly fields: Problem['fields'];

  constructor(
    status: number,
    code: ErrorCode | 'network',
    detail: string,
    requestId?: string,
    fields?: Problem['fields'],
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.fields = fields;
  }

  /** The message written by the server for the reader. */
  get detail(): string {
    return this.message;
  }
}

export function isApiError(error: unknown, code?: ApiError['code']): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** A message fit to show, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Try again, and reload the page if it keeps happening.';
}

// The CSRF token belongs to the session: it is refreshed from GET /api/auth/session after every stage change.
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Re-reads the session (and so its CSRF token), for a request refused with `csrf_failed`. */
let csrfRefresher: (() => Promise<void>) | null = null;
export function setCsrfRefresher(refresh: (() => Promise<void>) | null): void {
  csrfRefresher = refresh;
}

/**
 * Asked to re-authenticate the user when the server answers `reauth_required`; resolves to true once the
 * user has done so, false if they gave up. The console registers one (a modal); without it the error surfaces.
 */
type ReauthHandler = () => Promise<boolean>;
let reauthHandler: ReauthHandler | null = null;
export function setReauthHandler(handler: ReauthHandler | null): void {
  reauthHandler = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
}

export function withQuery(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'Candor could not be reached. Check your connection and try again.');
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const problem = (await response.json()) as Partial<Problem>;
      if (problem.code && problem.detail) {
        return new ApiError(response.status, problem.code, problem.detail, problem.requestId, problem.fields);
      }
    } catch {
      // Fall through to the generic message below.
    }
  }
  const code: ErrorCode = response.status >= 500 ? 'internal' : 'bad_request';
  return new ApiError(
    response.status,
    code,
    `The server answered ${response.status} ${response.statusText}.`,
  );
}

/** Tries to remove the cause of a refusal; true when the request is worth sending once more. */
async function recover(error: ApiError): Promise<boolean> {
  // The session's token changed (signed in again in another tab): fetch the current one.
  if (error.code === 'csrf_failed' && csrfRefresher) {
    await csrfRefresher();
    return true;
  }
  // Sensitive changes need a fresh password and code: ask for them.
  if (error.code === 'reauth_required' && reauthHandler) return reauthHandler();
  return false;
}

/** Sends, recovers from what can be recovered from (stale CSRF token, re-authentication), and reads the answer. */
async function complete<T>(sendOnce: () => Promise<Response>): Promise<T> {
  let response = await sendOnce();
  // Each kind of refusal is recovered from at most once, so a request is retried at most once per cause.
  const recovered = new Set<ApiError['code']>();
  while (!response.ok) {
    const error = await toApiError(response);
    if (recovered.has(error.code) || !(await recover(error))) throw error;
    recovered.add(error.code);
    response = await sendOnce();
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  return complete<T>(() => send(method, path, options));
}

export interface UploadOptions {
  /** Extra request headers (ASCII only). */
  headers?: Record<string, string>;
  /** Bytes sent so far, out of the file's size. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * One upload of a file as the raw request body. XMLHttpRequest rather than fetch: only it reports upload
 * progress. The answer becomes a Response so errors are read exactly like every other request's.
 */
function sendFile(path: string, file: Blob, options: UploadOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) =>
      options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      const headers = new Headers();
      const type = xhr.getResponseHeader('Content-Type');
      if (type) headers.set('Content-Type', type);
      const hasBody = xhr.status !== 204 && xhr.status !== 205;
      resolve(
        new Response(hasBody ? xhr.responseText : null, {
          status: xhr.status,
          statusText: xhr.statusText,
          headers,
        }),
      );
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, 'network', 'The upload did not reach Candor. Check your connection and try again.'),
      );
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** POSTs a file as `application/octet-stream`, with the same CSRF, error and re-authentication handling. */
export function uploadFile<T>(path: string, file: Blob, options: UploadOptions = {}): Promise<T> {
  return complete<T>(() => sendFile(path, file, options));
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
