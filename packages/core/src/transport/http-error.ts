/**
 * The failure path: everything msgbatch needs once a request failed (a failed answer, a
 * rejected fetch, a failed body read, a redirect, an unsendable header, a mismatched
 * answer), loaded through `failures()` with the first failure, so that a page that cancels
 * without one never downloads it (scripts/size.mjs).
 */
import { errorClassFor } from '../error-classes.ts';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  type APIErrorRequest,
  APIUserAbortError,
  InvalidArgumentError,
  RateLimitError,
  UnexpectedRedirectError,
} from '../errors.ts';
// Imported, never used: so that a code-splitting bundler sees this module reach what the
// client loads up front and shares with its lazy part. esbuild makes one chunk of the modules
// that the same entries (the page, each `import()`) reach: without these, what the page
// shares with the lazy client and what it shares with this module too were two chunks, one
// more gzip stream in the page's first download (0.24 KB, scripts/size.mjs). Bundles leave
// them out, as nothing here uses them.
// biome-ignore lint/correctness/noUnusedImports: see above
import { JSONLDecodeError } from '../errors-later.ts';
// biome-ignore lint/correctness/noUnusedImports: see above
import { cancelBatch } from '../operations/cancel-batch.ts';
// biome-ignore lint/correctness/noUnusedImports: see above
import { retrieveBatch } from '../operations/retrieve-batch.ts';
// biome-ignore lint/correctness/noUnusedImports: see above
import { PagePromise } from '../page-promise.ts';
// biome-ignore lint/correctness/noUnusedImports: see above
import { ResultsPromise } from '../results/results-promise.ts';
import { backoffDelay } from './backoff.ts';
import type { Log } from './logger.ts';
import { createRedactor } from './redact.ts';
import { redactHeaders, redactJSON, setOwn } from './redact-values.ts';
import { installRedactor } from './redaction.ts';
import { isRetryableStatus, MAX_RETRY_AFTER_MS } from './retry.ts';
import { parseRetryAfter } from './retry-after.ts';

// Re-exported so that every failure path loads this one module (`failures()`): the wording
// of a mismatched answer, the errors of a failed body read, the redaction of errors.
export { answerError } from '../answer.ts';
export { mapBodyError, stalledBody } from './body-errors.ts';
export { redactError } from './redact-values.ts';

// The client's redactors (redaction.ts) build their patterns with this code, which loads here.
installRedactor(createRedactor);

/** What {@link afterFailure} reads of the transport's `TransportConfig` (transport.ts). */
interface FailureConfig {
  maxRetries: number;
  log: Log;
  redact: (text: string) => string;
  onUnauthorized?: (() => Promise<boolean>) | undefined;
  random?: (() => number) | undefined;
  clock: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
}

/**
 * What the transport does after a failed attempt: throws its typed error (a redirect, an
 * error status or a rejected fetch that is not retried, or no attempts left), or logs, waits
 * (the server's wait, else the backoff) and resolves for the next attempt. Resolves true
 * after a 401 whose credential `onUnauthorized` refreshed: that attempt does not count.
 *
 * @param retry - which retry the attempt was (0: the first attempt)
 * @param response - the answer (not ok), or undefined when fetch rejected with `rejected`
 * @param auth - whether the credential was refreshed after a 401 already (once per call; set here)
 * @param read - reads an answer's body under the idle timeout
 */
export async function afterFailure(
  config: FailureConfig,
  spec: { method: string; path: string; idempotent: boolean },
  url: string,
  options: { signal?: AbortSignal | undefined; maxRetries?: number | undefined } | undefined,
  retry: number,
  response: Response | undefined,
  rejected: unknown,
  auth: { refreshed: boolean },
  read: (response: Response, requestID: string | null) => Promise<string>,
): Promise<boolean> {
  const signal = options?.signal;
  const mayRetry = retry < (options?.maxRetries ?? config.maxRetries);
  let error: Error;
  let wait: number | null = null;
  if (!response) {
    error = fetchFailure(rejected, spec.idempotent, signal, config.redact, mayRetry);
  } else {
    const requestID = response.headers.get('request-id');
    // A 3xx, or a browser's opaque answer to `redirect: 'manual'`.
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => {});
      throw redirectError(response, url, requestID, config.redact);
    }
    if (response.status === 401 && config.onUnauthorized && !auth.refreshed) {
      auth.refreshed = true;
      await response.body?.cancel().catch(() => {});
      if (await config.onUnauthorized()) return true;
    }
    // A wait longer than msgbatch sleeps through is not retried: its error says until when.
    const now = config.clock.now();
    wait = parseRetryAfter(response.headers, now);
    const answer = await errorFromResponse(
      response,
      requestID,
      config.redact,
      wait,
      spec.method,
      url,
      () => read(response, requestID),
    );
    if (!mayRetry || !isRetryableStatus(response.status, response.headers, spec.idempotent)) {
      throw answer;
    }
    if (wait !== null && wait > MAX_RETRY_AFTER_MS) throw tooLongWait(answer, wait, now);
    error = answer;
  }
  config.log('info', `${spec.method} ${spec.path}: ${error.message}; retrying`);
  try {
    await config.clock.sleep(wait ?? backoffDelay(retry, config.random), signal);
  } catch (reason) {
    throw new APIUserAbortError('Request was aborted while waiting to retry.', { cause: reason });
  }
  return false;
}

/** How much of an error body is read; an HTML error page can be large. */
const MAX_ERROR_BODY_CHARS = 16_384;

/**
 * Turns a failed HTTP answer into the typed error for its status, with the request's
 * `method` and `url` (redacted, user info removed). A non-JSON body (an HTML 502 from a
 * proxy) still gives a typed error with its status. `readText` reads the body under the transport's idle timeout, so a stalled
 * error body cannot hang the call.
 *
 * Hint: the transport loads this module (and the class tables) only when an answer is
 * an error, so a page that cancels without error never downloads it.
 */
async function errorFromResponse(
  response: Response,
  requestID: string | null,
  redact: (text: string) => string,
  retryAfterMs: number | null,
  method: string,
  url: string,
  readText: () => Promise<string>,
): Promise<APIError> {
  // The request the error is about, without user info in its URL.
  const target = new URL(url);
  target.username = '';
  target.password = '';
  const request: APIErrorRequest = { method, url: redact(target.href) };
  let raw = '';
  try {
    raw = (await readText()).slice(0, MAX_ERROR_BODY_CHARS);
  } catch {
    // The body stalled or failed mid-read; the status alone still says what happened.
  }
  // Redacted after decoding: an echo written with JSON escapes (`sk\u002dant…`) is the
  // key once parsed, and `error.error` is what loggers print.
  const text = redact(raw);
  let body: unknown = text;
  try {
    body = redactJSON(JSON.parse(raw), redact);
  } catch {
    // Not JSON: keep the (redacted) text.
  }
  const inner = (body as any)?.error;
  const bodyRequestID =
    typeof (body as any)?.request_id === 'string' ? (body as any).request_id : null;
  const id = requestID === null ? bodyRequestID : redact(requestID);
  const detail =
    typeof inner?.message === 'string'
      ? `${typeof inner.type === 'string' ? `${inner.type}: ` : ''}${inner.message}`
      : text
        ? `non-JSON error body: ${text.slice(0, 200).replace(/\s+/g, ' ').trim()}`
        : 'no error body';
  const message = redact(`${response.status} ${detail}${id ? ` (request id ${id})` : ''}`);
  const ErrorClass = errorClassFor(response.status, body);
  const headers = redactHeaders(response.headers, redact);
  const error = new ErrorClass(response.status, body, message, headers, id, { request });
  if (error instanceof RateLimitError) error.retryAfterMs = retryAfterMs;
  return error;
}

/**
 * Why a fetch failed, as the network said it: `connect ECONNREFUSED 127.0.0.1:8787`,
 * `getaddrinfo ENOTFOUND api.example`, a TLS or reset error, read from the deepest cause
 * that carries a `code`, followed by fetch's own words (`fetch failed`).
 */
function connectionReason(error: unknown): string {
  const top = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  let detail = '';
  for (let e: any = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const inner = Array.isArray(e.errors) && e.errors[0] ? e.errors[0] : null;
    const source = !e.message && inner ? inner : e;
    if (typeof e.code === 'string' || typeof source.code === 'string') {
      const code: string = typeof source.code === 'string' ? source.code : e.code;
      const message = typeof source.message === 'string' ? source.message : '';
      detail = message.includes(code) ? message : message ? `${message} (${code})` : code;
    }
    e = e.cause ?? (inner && inner !== source ? inner : undefined);
  }
  if (!detail || detail === top) return top || 'unknown';
  return top ? `${detail} (${top})` : detail;
}

/** The typed error for a 3xx (or a browser's opaque redirect), which is never followed. */
function redirectError(
  response: Response,
  url: string,
  requestID: string | null,
  redact: (text: string) => string,
): UnexpectedRedirectError {
  let location: string | null = null;
  const named = response.headers.get('location');
  if (named !== null) {
    try {
      const origin = new URL(named, url).origin;
      location = origin === 'null' ? null : origin;
    } catch {
      // Not a URL: no origin to name.
    }
  }
  // The location header may hold a path, a query or user info with secrets: only its origin stays.
  const headers = redactHeaders(response.headers, redact);
  if (named !== null) headers.set('location', location ?? '[not a URL]');
  const status = response.type === 'opaqueredirect' ? 0 : response.status;
  const where = location ? ` to ${location}` : '';
  const message = redact(
    `${status || 'A'} redirect${where} was not followed: msgbatch sends the credential only to baseURL` +
      `${requestID ? ` (request id ${requestID})` : ''}. Set baseURL to the address that answers without redirecting.`,
  );
  return new UnexpectedRedirectError(status, location, headers, requestID, message);
}

/**
 * Classifies a rejected fetch: the caller's abort, a timeout, or a connection failure, and
 * throws it unless it is retried (`mayRetry`: attempts are left), else returns it. A request
 * that is not idempotent (create) is retried only when it was refused before a byte was
 * sent; `createBatch` turns the other failures into `CreateOutcomeUnknownError`.
 */
function fetchFailure(
  error: unknown,
  idempotent: boolean,
  signal: AbortSignal | undefined,
  redact: (text: string) => string,
  mayRetry: boolean,
): Error {
  if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: error });
  // A streamed body is sent with `redirect: 'error'` (any other mode makes undici tee it);
  // a 3xx then rejects as "unexpected redirect". The server answered and made nothing.
  if ((error as any)?.cause?.message === 'unexpected redirect') {
    const message = 'A redirect was not followed: msgbatch sends the credential only to baseURL.';
    throw new UnexpectedRedirectError(0, null, new Headers(), null, message);
  }
  let failure: Error;
  let retryable = idempotent;
  if ((error as any)?.name === 'TimeoutError') {
    // ky's TimeoutError holds the Request, auth headers included: keep only its message.
    const cause = new Error(redact((error as Error).message));
    failure = new APIConnectionTimeoutError(undefined, { cause });
  } else {
    failure = new APIConnectionError(`Connection error: ${redact(connectionReason(error))}`, {
      cause: error,
    });
    retryable ||= refusedBeforeSending(error);
  }
  if (!retryable || !mayRetry) throw failure;
  return failure;
}

/** True when the failure happened before a byte was sent (connection refused / no such host). */
export function refusedBeforeSending(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return true;
  }
  return false;
}

/** `error`, its message saying that the server asked for a wait longer than msgbatch waits. */
function tooLongWait(error: APIError, ms: number, now: number): APIError {
  const date = new Date(now + ms);
  const at = Number.isNaN(date.getTime()) ? 'a date too far ahead to show' : date.toISOString();
  setOwn(
    error,
    'message',
    `${error.message}. The server asked to wait ${Math.ceil(ms / 1000)} s (until ${at}), longer than msgbatch waits; retry after that.`,
  );
  return error;
}

/**
 * The error for a header value fetch would reject (a line break, a NUL, a character past
 * U+00FF), raised before anything is sent, without repeating the value: it may be a credential.
 */
export function unsendableHeader(name: string): InvalidArgumentError {
  const argument = /^x-api-key$/i.test(name)
    ? 'apiKey'
    : /^authorization$/i.test(name)
      ? 'authToken'
      : `headers["${name}"]`;
  return new InvalidArgumentError(
    argument,
    `the ${name} header value is not a string fetch can send (a line break, a NUL or a character past U+00FF); nothing was sent`,
  );
}
