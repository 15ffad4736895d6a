import { buildBatchResults } from '../operations/batch-results.ts';
import { retrieveBatch } from '../operations/retrieve-batch.ts';
import { resultsBody } from '../results/batch-results.ts';
import { readResultHeads } from '../results/jsonl-heads.ts';
import { maxLineBytesOption } from '../results/jsonl-lines.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import { throwRedacted } from '../transport/redaction.ts';
import type { RequestOptions, Transport } from '../transport/transport.ts';
import { CustomIdsByType } from './custom-ids-by-type.ts';
import { type CountMismatch, ResultsMismatchError } from './shared.ts';

/** The four documented result types; others the API may add are counted under their own name. */
const KNOWN_TYPES = ['succeeded', 'errored', 'canceled', 'expired'] as const;

/** A count (or a list) per result type: the four documented ones always present. */
export type PerResultType<T> = Record<(typeof KNOWN_TYPES)[number], T> & Record<string, T>;

/** What {@link summarizeResults} returns. */
export interface ResultsSummary {
  /** The batch as retrieved before reading its results. */
  batch: MessageBatch;
  /** Lines per `result.type`. */
  counts: PerResultType<number>;
  /** The `custom_id`s of each type, in the order the lines arrived. */
  customIds: PerResultType<string[]>;
  /** Lines read, readable or not. */
  lines: number;
  /**
   * Lines that were not one valid JSON value of the form `{ custom_id, result: { type } }`
   * (both strings; a broken tail or a line cut short counts here), and the line numbers of
   * the first 100: physical lines from 1, blank ones counted (as an editor numbers the file,
   * and as `JSONLDecodeError.lineNumber` counts). Typed iteration throws at each of these
   * lines. Hint: the messages and errors inside the lines are not checked here, as typed
   * iteration checks them; a line whose only fault is there is counted under its type.
   */
  unreadable: { count: number; lineNumbers: number[] };
  /** `custom_id`s seen on more than one line (first 100). */
  duplicates: string[];
  /** True when every count equals `batch.request_counts` and every line was readable. */
  reconciled: boolean;
  /** What differs from `request_counts`; empty when `reconciled`. */
  mismatches: CountMismatch[];
}

/** Options of {@link summarizeResults}. */
export interface SummarizeResultsOptions extends RequestOptions {
  /** Called after each line with how many lines were read so far, and the batch (for its size). */
  onProgress?: ((lines: number, batch: MessageBatch) => void) | undefined;
  /**
   * The longest line to hold, in bytes: a longer one ends the call with `LineTooLongError`
   * naming its line. Default 64 MiB (`DEFAULT_MAX_LINE_BYTES`); `Infinity` for no limit.
   */
  maxLineBytes?: number | undefined;
  /**
   * The batch, ended, when you already hold it (from `waitForEnd`): its retrieve is
   * skipped. Ignored unless its `id` is the one asked for and it has ended.
   */
  batch?: MessageBatch | undefined;
}

const KEEP = 100;

/**
 * Reads a batch's results once and sums them up: lines per result type and the
 * `custom_id`s of each, with memory proportional to the ids, never the messages.
 * The counts are checked against the batch's `request_counts`; a difference is
 * reported in `mismatches` (and `reconciled: false`), never smoothed over.
 *
 * The API's advice "to determine which requests were canceled, check the
 * individual results" is `summary.customIds.canceled`.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - an ended batch's id (before the end the API answers 404)
 * @param options - `signal`, `onProgress`, `maxLineBytes`, request options
 * @returns the {@link ResultsSummary}
 * @throws `LineTooLongError` at a line longer than `maxLineBytes`; `InvalidArgumentError`
 * (nothing sent) for a `maxLineBytes` that is not an integer >= 1
 * @example
 * const { counts, customIds, reconciled } = await summarizeResults(client.transport, id);
 */
export async function summarizeResults(
  transport: Transport,
  id: string,
  options: SummarizeResultsOptions = {},
): Promise<ResultsSummary> {
  // A line or custom_id quoted in an error leaves without the credential.
  return summarize(transport, id, options).catch((error: unknown) =>
    throwRedacted(error, transport.config.redact),
  );
}

async function summarize(
  transport: Transport,
  id: string,
  options: SummarizeResultsOptions,
): Promise<ResultsSummary> {
  const { onProgress, maxLineBytes, batch: held, ...request } = options;
  const max = maxLineBytesOption(maxLineBytes);
  const batch =
    held?.id === id && held.processing_status === 'ended'
      ? held
      : await retrieveBatch(transport, id, request);
  const answer = await transport.request(buildBatchResults(id), request);
  const ids = new CustomIdsByType(KNOWN_TYPES, totalRequests(batch));
  const unreadable = { count: 0, lineNumbers: [] as number[] };
  let lines = 0;
  const recorded = () => {
    lines++;
    onProgress?.(lines, batch);
  };
  await readResultHeads(
    resultsBody(answer, transport.config.idleTimeout),
    { signal: request.signal, requestID: answer.requestID, maxLineBytes: max },
    {
      head(bytes, start, end, type) {
        ids.addBytes(bytes, start, end, type);
        recorded();
      },
      other(line, lineNumber) {
        const entry = parseLine(line);
        if (entry !== null) ids.add(entry.custom_id, entry.type);
        else {
          unreadable.count++;
          if (unreadable.lineNumbers.length < KEEP) unreadable.lineNumbers.push(lineNumber);
        }
        recorded();
      },
    },
  );
  const customIds = ids.lists() as PerResultType<string[]>;
  const duplicates = ids.repeats(KEEP);
  const counts = perType(() => 0);
  for (const type of Object.keys(customIds)) counts[type] = customIds[type]!.length;
  const mismatches = compareCounts(batch, counts, unreadable.count);
  return {
    batch,
    counts,
    customIds,
    lines,
    unreadable,
    duplicates,
    reconciled: mismatches.length === 0,
    mismatches,
  };
}

/**
 * The `custom_id`s of an ended batch's `canceled` results: the requests that were
 * really canceled (in-flight ones may have finished despite the cancel).
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - an ended batch's id
 * @param options - `signal`, request options
 * @returns the canceled `custom_id`s
 * @throws `ResultsMismatchError` when the results disagree with `request_counts`
 */
export async function canceledRequests(
  transport: Transport,
  id: string,
  options: SummarizeResultsOptions = {},
): Promise<string[]> {
  const summary = await summarizeResults(transport, id, options);
  if (!summary.reconciled) throw new ResultsMismatchError(id, summary.mismatches);
  return summary.customIds.canceled;
}

/** Counts that differ from the batch's `request_counts`, plus unreadable lines. */
export function compareCounts(
  batch: MessageBatch,
  counts: Record<string, number>,
  unreadable = 0,
): CountMismatch[] {
  const expected: Record<string, number> = Object.create(null);
  for (const [type, n] of Object.entries(batch.request_counts)) {
    if (typeof n === 'number') expected[type] = n;
  }
  const mismatches: CountMismatch[] = [];
  for (const type of new Set([...Object.keys(expected), ...Object.keys(counts)])) {
    const want = Object.hasOwn(expected, type) ? expected[type]! : 0;
    const got = Object.hasOwn(counts, type) ? counts[type]! : 0;
    if (want !== got) mismatches.push({ type, expected: want, actual: got });
  }
  if (unreadable > 0) mismatches.push({ type: 'unreadable', expected: 0, actual: unreadable });
  return mismatches;
}

function perType<T>(make: () => T): PerResultType<T> {
  // No prototype: a result type named like `constructor` must not hit Object.prototype.
  const out: Record<string, T> = Object.create(null);
  for (const type of KNOWN_TYPES) out[type] = make();
  return out as PerResultType<T>;
}

/** The slow path, for a line not in the API's own form (other key order, escapes). */
function parseLine(line: string): { custom_id: string; type: string } | null {
  try {
    const value = JSON.parse(line);
    const type = value?.result?.type;
    return typeof value?.custom_id === 'string' && typeof type === 'string'
      ? { custom_id: value.custom_id, type }
      : null;
  } catch {
    return null;
  }
}

/**
 * How many requests the batch holds: the sum of its `request_counts` (counts the API
 * adds later included), which is also how many lines its results have once it ended.
 *
 * @param batch - a batch as retrieved
 * @returns the total of its request counts
 */
export function totalRequests(batch: MessageBatch): number {
  let total = 0;
  for (const n of Object.values(batch.request_counts)) if (typeof n === 'number') total += n;
  return total;
}
