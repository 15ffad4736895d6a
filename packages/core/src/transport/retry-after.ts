// The wait a server asks for (api-reference §6.3). Its own module, apart from the retry
// rules (retry.ts): `@msgbatch/browser` exports it, and esbuild puts every module a page
// reaches through the entry in the page's first chunk, used or not (scripts/size.mjs).

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
