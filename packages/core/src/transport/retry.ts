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

// Backoff timing lives in backoff.ts, which the transport loads up front, and the wait a
// server asks for in retry-after.ts; the rules above load with the first failed answer
// (http-error.ts).
export { backoffDelay, sleep } from './backoff.ts';
export { parseRetryAfter } from './retry-after.ts';
