import type { EmulatedRequest, OutcomeDecision } from './outcomes.ts';
import { ARCHIVE_US, EXPIRY_US, formatMicros } from './time.ts';

/** A batch as the store holds it. Its state is computed from the clock, never stored. */
export interface BatchRecord {
  readonly id: string;
  /** The workspace of the credential that created it; only that workspace sees it. */
  readonly workspace: string;
  /** Creation time in epoch microseconds (strictly increasing per emulator). */
  readonly createdUs: number;
  readonly requests: readonly EmulatedRequest[];
  /** The outcome each request gets if it is processed. */
  readonly decisions: readonly OutcomeDecision[];
  /** When cancel was called, or null. */
  cancelUs: number | null;
  /** Cached tally of succeeded among the first `processed` requests. */
  tally?: { processed: number; succeeded: number };
}

/** The processing knobs the timeline depends on. */
export interface ProcessingConfig {
  rate: number;
  nonInterruptibleShare: number;
  cancelDrainMs: number;
  progressiveCounts: boolean;
  /** The unverified choices processing depends on (defaults when absent). */
  unverified?: {
    canceledAtExpiry?: 'canceled' | 'expired';
    archivedResults?: 'not-found' | 'gone';
  };
}

/** How a batch ends: when, how many requests were processed, what the rest became. */
export interface Timeline {
  endUs: number;
  /** Requests `0..processed-1` (in request order) ran; the rest are `remainder`. */
  processed: number;
  remainder: 'canceled' | 'expired';
}

/** Requests of `record` finished by `us` if nothing interrupts (processed in order at `rate`/s). */
export function completedBy(record: BatchRecord, us: number, rate: number): number {
  const elapsed = us - record.createdUs;
  if (elapsed <= 0) return 0;
  return Math.min(record.requests.length, Math.floor((elapsed * rate) / 1e6 + 1e-9));
}

/**
 * The batch's end. Uninterrupted: it ends when its last request finishes, or at
 * `expires_at` with the rest `expired`. Canceled: the requests in flight (a share of
 * those not yet done) still finish, the rest are `canceled`, and the batch ends
 * `cancelDrainMs` after the cancel (never after `expires_at`).
 */
export function timelineOf(record: BatchRecord, config: ProcessingConfig): Timeline {
  const total = record.requests.length;
  const expiresUs = record.createdUs + EXPIRY_US;
  if (record.cancelUs !== null) {
    const done = completedBy(record, record.cancelUs, config.rate);
    const inFlight = Math.round((total - done) * config.nonInterruptibleShare);
    const drainedUs = record.cancelUs + config.cancelDrainMs * 1000;
    const endUs = Math.min(drainedUs, expiresUs);
    const atExpiry = drainedUs > expiresUs && config.unverified?.canceledAtExpiry === 'expired';
    return { endUs, processed: done + inFlight, remainder: atExpiry ? 'expired' : 'canceled' };
  }
  const naturalEndUs = record.createdUs + Math.ceil((total * 1e6) / config.rate);
  if (naturalEndUs <= expiresUs)
    return { endUs: naturalEndUs, processed: total, remainder: 'expired' };
  return {
    endUs: expiresUs,
    processed: completedBy(record, expiresUs, config.rate),
    remainder: 'expired',
  };
}

/** `processing_status` at `nowUs`. */
export function statusAt(record: BatchRecord, nowUs: number, config: ProcessingConfig) {
  if (nowUs >= timelineOf(record, config).endUs) return 'ended' as const;
  return record.cancelUs === null ? ('in_progress' as const) : ('canceling' as const);
}

function succeededAmong(record: BatchRecord, processed: number): number {
  if (record.tally?.processed === processed) return record.tally.succeeded;
  let succeeded = 0;
  for (let i = 0; i < processed; i++) if (record.decisions[i]!.type === 'succeeded') succeeded++;
  record.tally = { processed, succeeded };
  return succeeded;
}

function countsAt(record: BatchRecord, nowUs: number, config: ProcessingConfig, ended: boolean) {
  const total = record.requests.length;
  const timeline = timelineOf(record, config);
  if (ended) {
    const succeeded = succeededAmong(record, timeline.processed);
    const rest = total - timeline.processed;
    return {
      processing: 0,
      succeeded,
      errored: timeline.processed - succeeded,
      canceled: timeline.remainder === 'canceled' ? rest : 0,
      expired: timeline.remainder === 'expired' ? rest : 0,
    };
  }
  let finished = 0;
  if (config.progressiveCounts) {
    finished = completedBy(record, Math.min(nowUs, record.cancelUs ?? nowUs), config.rate);
  }
  const succeeded = finished === 0 ? 0 : succeededAmong(record, finished);
  return {
    processing: total - finished,
    succeeded,
    errored: finished - succeeded,
    canceled: 0,
    expired: 0,
  };
}

/** The `message_batch` object at `nowUs`, keys in the order the real API sends them. */
export function serializeBatch(
  record: BatchRecord,
  nowUs: number,
  config: ProcessingConfig,
  baseURL: string,
) {
  const status = statusAt(record, nowUs, config);
  const ended = status === 'ended';
  const archivedUs = record.createdUs + ARCHIVE_US;
  const gone = nowUs >= archivedUs && config.unverified?.archivedResults === 'gone';
  return {
    id: record.id,
    type: 'message_batch' as const,
    processing_status: status,
    request_counts: countsAt(record, nowUs, config, ended),
    ended_at: ended ? formatMicros(timelineOf(record, config).endUs) : null,
    created_at: formatMicros(record.createdUs),
    expires_at: formatMicros(record.createdUs + EXPIRY_US),
    archived_at: nowUs >= archivedUs ? formatMicros(archivedUs) : null,
    cancel_initiated_at: record.cancelUs === null ? null : formatMicros(record.cancelUs),
    results_url:
      ended && !gone
        ? `${baseURL}/v1/messages/batches/${encodeURIComponent(record.id)}/results`
        : null,
  };
}

/** True once results have been archived (29 days after creation). */
export const isArchived = (record: BatchRecord, nowUs: number) =>
  nowUs >= record.createdUs + ARCHIVE_US;
