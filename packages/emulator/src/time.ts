/** Microseconds in one hour. */
export const HOUR_US = 3_600_000_000;
/** Processing deadline after creation: exactly 24 hours. */
export const EXPIRY_US = 24 * HOUR_US;
/** Results retention after creation: 29 days. */
export const ARCHIVE_US = 29 * 24 * HOUR_US;

/**
 * Formats epoch microseconds as RFC 3339 with six fraction digits and a `+00:00`
 * offset, as every recorded response body writes them (`2025-01-29T14:24:58.140385+00:00`);
 * the documentation's examples use `Z`, the recordings win.
 */
export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // 2024-08-20T18:37:24.100Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}+00:00`;
}
