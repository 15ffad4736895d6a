import { isMsgbatchError, type MessageBatch } from '@msgbatch/node';

/** The four outcome counts, in display order. */
export const COUNT_KEYS = ['processing', 'succeeded', 'errored', 'canceled', 'expired'] as const;

/** `processing=0 succeeded=3 …`: the counts as one grep-friendly string. */
export function countsText(counts: MessageBatch['request_counts']): string {
  return COUNT_KEYS.map((k) => `${k}=${counts[k]}`).join(' ');
}

/** Total requests of a batch. */
export const totalOf = (batch: MessageBatch) =>
  COUNT_KEYS.reduce((sum, k) => sum + batch.request_counts[k], 0);

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An RFC 3339 time for people, with its zone: `2026-01-01 13:00:00 +01:00` in local
 * time, or `2026-01-01 12:00:00 UTC`; `-` for none.
 */
export function formatTime(time: string | null, utc: boolean): string {
  if (!time) return '-';
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return time;
  if (utc) return `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** Pads rows into aligned columns; the header is bold when `bold` is set. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  bold: boolean,
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const head = line(header);
  return [bold ? `\x1b[1m${head}\x1b[22m` : head, ...rows.map(line)];
}

/** One plain line per batch: id, status, counts, created. */
export function batchLine(batch: MessageBatch): string {
  return `${batch.id} ${batch.processing_status} ${countsText(batch.request_counts)} created=${batch.created_at}`;
}

/** The rows of a list table. */
export function batchRows(batches: readonly MessageBatch[], utc: boolean): string[][] {
  return batches.map((b) => [
    b.id,
    b.processing_status,
    ...COUNT_KEYS.map((k) => String(b.request_counts[k])),
    formatTime(b.created_at, utc),
  ]);
}

/** Header of the list table. */
export const BATCH_HEADER = [
  'ID',
  'STATUS',
  'PROCESSING',
  'SUCCEEDED',
  'ERRORED',
  'CANCELED',
  'EXPIRED',
  'CREATED',
];

/** A batch as `key: value` lines (every field, nulls as `-`). */
export function batchDetails(batch: MessageBatch, utc: boolean): string[] {
  const time = (t: string | null) => formatTime(t, utc);
  const fields: [string, string][] = [
    ['id', batch.id],
    ['status', batch.processing_status],
    ['requests', String(totalOf(batch))],
    ...COUNT_KEYS.map((k): [string, string] => [k, String(batch.request_counts[k])]),
    ['created_at', time(batch.created_at)],
    ['expires_at', time(batch.expires_at)],
    ['ended_at', time(batch.ended_at)],
    ['cancel_initiated_at', time(batch.cancel_initiated_at)],
    ['archived_at', time(batch.archived_at)],
    ['results_url', batch.results_url ?? '-'],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`);
}

/** An error as JSON: name, message, and the HTTP status and request id when known. */
export function errorJSON(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') out.status = status;
  if (isMsgbatchError(error) && error.requestID) out.request_id = error.requestID;
  return out;
}

/** Seconds as `1m05s` / `12s`. */
export function elapsedText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
