/**
 * Retry rules of the Message Batches API, as the official clients implement them
 * (api-reference §6.3), plus the rule that a create is retried only when the server
 * provably did not act on it.
 */

/** Longest server-requested wait msgbatch sleeps through; longer asks fail fast. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Statuses whose request did not take effect, so even a create may be sent again. */
const NOT_ACTED_STATUSES = new Set([429, 529]);

/**
 * Whether a failed answer may be retried. `x-should-retry` wins over the status;
 * a non-idempotent request (create) is retried only after 429 or 529.
 */
export function isRetryableStatus(status: number, headers: Headers, idempotent: boolean): boolean {
  const hint = headers.get('x-should-retry');
  if (hint === 'false') return false;
  if (!idempotent) return NOT_ACTED_STATUSES.has(status);
  if (hint === 'true') return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait the server asked for, in ms: `retry-after-ms` wins, else `retry-after`
 * as (fractional) seconds or an HTTP date. Returns null when neither is usable.
 * Never negative.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | null {
  const delay = parseDelay(headers, now);
  // A wait too large to be a date (or Infinity) stays finite; callers fail fast past 60 s.
  return delay === null ? null : Math.min(delay, Number.MAX_SAFE_INTEGER);
}

function parseDelay(headers: Headers, now: number): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return null;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

// Backoff timing lives in backoff.ts, which the transport loads up front; the rules above
// load with the first failed answer (http-error.ts).
export { backoffDelay, sleep } from './backoff.ts';
