import { errorClassFor } from '../error-classes.ts';
import { type APIError, type APIErrorRequest, RateLimitError } from '../errors.ts';

/** How much of an error body is read; an HTML error page can be large. */
const MAX_ERROR_BODY_CHARS = 16_384;

/**
 * Turns a failed HTTP answer into the typed error for its status. A non-JSON
 * body (an HTML 502 from a proxy) still gives a typed error with its status.
 * `readText` reads the body under the transport's idle timeout, so a stalled
 * error body cannot hang the call.
 *
 * Hint: the transport loads this module (and the class tables) only when an answer is
 * an error, so a page that cancels without error never downloads it.
 */
export async function errorFromResponse(
  response: Response,
  requestID: string | null,
  redact: (text: string) => string,
  retryAfterMs: number | null,
  readText: () => Promise<string>,
  request?: APIErrorRequest,
): Promise<APIError> {
  if (request) {
    const url = new URL(request.url);
    url.username = '';
    url.password = '';
    request = { method: request.method, url: redact(url.href) };
  }
  let text = '';
  try {
    // Redacted before parsing: a server or proxy that echoes the credential must not
    // put it into `error.error`, which loggers print.
    text = redact((await readText()).slice(0, MAX_ERROR_BODY_CHARS));
  } catch {
    // The body stalled or failed mid-read; the status alone still says what happened.
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  const inner = (body as any)?.error;
  const bodyRequestID =
    typeof (body as any)?.request_id === 'string' ? (body as any).request_id : null;
  const id = requestID ?? bodyRequestID;
  const detail =
    typeof inner?.message === 'string'
      ? `${typeof inner.type === 'string' ? `${inner.type}: ` : ''}${inner.message}`
      : text
        ? `non-JSON error body: ${text.slice(0, 200).replace(/\s+/g, ' ').trim()}`
        : 'no error body';
  const message = redact(`${response.status} ${detail}${id ? ` (request id ${id})` : ''}`);
  const ErrorClass = errorClassFor(response.status, body);
  const error = new ErrorClass(response.status, body, message, response.headers, id, { request });
  if (error instanceof RateLimitError) error.retryAfterMs = retryAfterMs;
  return error;
}
