import { type APIError, errorClassForStatus, RateLimitError } from '../errors.ts';
import { redactHeaders, redactJSON } from './redact.ts';

/** How much of an error body is read; an HTML error page can be large. */
const MAX_ERROR_BODY_CHARS = 16_384;

/**
 * Turns a failed HTTP answer into the typed error for its status. A non-JSON
 * body (an HTML 502 from a proxy) still gives a typed error with its status.
 * `readText` reads the body under the transport's idle timeout, so a stalled
 * error body cannot hang the call.
 */
export async function errorFromResponse(
  response: Response,
  requestID: string | null,
  redact: (text: string) => string,
  retryAfterMs: number | null,
  readText: () => Promise<string>,
): Promise<APIError> {
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
  const ErrorClass = errorClassForStatus(response.status);
  const headers = redactHeaders(response.headers, redact);
  const error = new ErrorClass(response.status, body, message, headers, id);
  if (error instanceof RateLimitError) error.retryAfterMs = retryAfterMs;
  return error;
}
