import { InvalidArgumentError, NotFoundError, OverloadedError, RateLimitError } from '../errors.ts';
import { cancelBatch } from '../operations/cancel-batch.ts';
import { listBatches } from '../operations/list-batches.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../transport/retry.ts';
import type { RequestOptions, Transport } from '../transport/transport.ts';
import { createGate, isAlreadyEndedError, isTransient, pause } from './shared.ts';

/** Which batches {@link cancelMany} cancels when not given ids: those listed and matching. */
export interface CancelManyFilter {
  /** Only batches in this status (the only one a cancel applies to). */
  status: 'in_progress';
  /** Only batches created strictly before this time. */
  createdBefore?: Date | string | number | undefined;
  /** Only batches created strictly after this time. */
  createdAfter?: Date | string | number | undefined;
}

/** What happened to one id. Every id given (or found) gets exactly one. */
export interface CancelOutcome {
  id: string;
  /**
   * `canceled`: the cancel was accepted (or the batch was already canceling);
   * `already_ended`: nothing left to cancel; `not_found`: no such batch (404);
   * `failed`: any other error, in `error`, after retries of transient ones.
   */
  status: 'canceled' | 'already_ended' | 'not_found' | 'failed';
  /** The cancel's answer, for `canceled`. */
  batch?: MessageBatch | undefined;
  /** The error, for `not_found`, `already_ended` and `failed`. */
  error?: unknown;
}

/** Options of {@link cancelMany}. */
export interface CancelManyOptions extends Omit<RequestOptions, 'maxRetries'> {
  /** Cancels in flight at once. Default 4. */
  concurrency?: number | undefined;
  /** Tries per id of a transient failure (429, 5xx, lost connection). Default 5. */
  maxAttempts?: number | undefined;
  /** Called as each id settles, with how many have settled out of how many. */
  onProgress?:
    | ((outcome: CancelOutcome, progress: { done: number; total: number }) => void)
    | undefined;
}

/**
 * Cancels many batches with bounded concurrency and returns one outcome per id, in
 * the order given (or listed). It never stops at the first error. A 429 (or 529)
 * pauses every worker for the `retry-after`, not just the one that got it; other
 * transient failures are retried for that id with backoff. Safe to run again:
 * canceling a canceling batch is accepted, an ended one reports `already_ended`.
 *
 * Hint: aborting stops new cancels; ids not settled yet come back `failed` with an
 * `APIUserAbortError`, so even then every id is accounted for.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param target - batch ids (duplicates are canceled once), or a filter walked with `list`
 * @param options - `concurrency`, `maxAttempts`, `signal`, `onProgress`, request options
 * @returns one {@link CancelOutcome} per distinct id
 * @example
 * const outcomes = await cancelMany(client.transport, { status: 'in_progress' });
 * const failed = outcomes.filter((o) => o.status === 'failed');
 */
export async function cancelMany(
  transport: Transport,
  target: readonly string[] | CancelManyFilter,
  options: CancelManyOptions = {},
): Promise<CancelOutcome[]> {
  const { concurrency = 4, maxAttempts = 5, onProgress, ...request } = options;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new InvalidArgumentError('concurrency', `must be an integer >= 1, got ${concurrency}`);
  }
  const ids = Array.isArray(target)
    ? [...new Set(target as readonly string[])]
    : await matchingIds(transport, target as CancelManyFilter, request);
  const { clock } = transport.config;
  const gate = createGate(clock);
  const outcomes: CancelOutcome[] = new Array(ids.length);
  let next = 0;
  let done = 0;

  const settle = (index: number, outcome: CancelOutcome) => {
    outcomes[index] = outcome;
    onProgress?.(outcome, { done: ++done, total: ids.length });
  };

  async function cancelOne(id: string): Promise<CancelOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        await gate.pass(request.signal);
        const batch = await cancelBatch(transport, id, { ...request, maxRetries: 0 });
        return { id, status: 'canceled', batch };
      } catch (error) {
        if (error instanceof NotFoundError) return { id, status: 'not_found', error };
        if (isAlreadyEndedError(error)) return { id, status: 'already_ended', error };
        if (!isTransient(error) || attempt >= maxAttempts) return { id, status: 'failed', error };
        const backoff = backoffDelay(attempt - 1, transport.config.random);
        if (error instanceof RateLimitError || error instanceof OverloadedError) {
          // A 529 carries its retry-after in the headers only (retryAfterMs is a 429's).
          const asked =
            (error as RateLimitError).retryAfterMs ??
            parseRetryAfter(error.headers, clock.now()) ??
            backoff;
          // A wait longer than the transport would sleep (a spend cap, a long window) fails fast.
          if (asked > MAX_RETRY_AFTER_MS) return { id, status: 'failed', error };
          gate.close(asked);
        } else {
          const stopped = await pause(clock, backoff, request.signal).catch((e: unknown) => e);
          if (stopped) return { id, status: 'failed', error: stopped };
        }
      }
    }
  }

  async function worker() {
    while (next < ids.length) {
      const index = next++;
      settle(index, await cancelOne(ids[index]!));
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return outcomes;
}

/** Ids of listed batches that match the filter. Lists are newest first, so it stops early. */
async function matchingIds(
  transport: Transport,
  filter: CancelManyFilter,
  request: RequestOptions,
) {
  if (filter.status !== 'in_progress') {
    throw new InvalidArgumentError('target.status', `only 'in_progress' batches can be canceled`);
  }
  const before = toTime(filter.createdBefore, 'createdBefore') ?? Number.POSITIVE_INFINITY;
  const after = toTime(filter.createdAfter, 'createdAfter') ?? Number.NEGATIVE_INFINITY;
  const ids: string[] = [];
  for await (const batch of listBatches(transport, { limit: 100 }, request)) {
    const created = Date.parse(batch.created_at);
    if (created <= after) break;
    if (batch.processing_status === 'in_progress' && created < before) ids.push(batch.id);
  }
  return ids;
}

function toTime(value: Date | string | number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const time =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(time))
    throw new InvalidArgumentError(`target.${name}`, `"${String(value)}" is not a time`);
  return time;
}
