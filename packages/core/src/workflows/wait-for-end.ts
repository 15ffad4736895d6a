import { WaitTimeoutError } from '../errors-later.ts';
import { retrieveBatch } from '../operations/retrieve-batch.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../transport/retry.ts';
import type { RequestOptions, Transport } from '../transport/transport.ts';
import { isTransient, pause, throwIfAborted } from './shared.ts';

/** Options of {@link waitForEnd}. */
export interface WaitForEndOptions extends RequestOptions {
  /** Stops the wait at once: the call rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** First pause between two polls, in ms. Default 1000; each pause is 1.5x the last. */
  pollInterval?: number | undefined;
  /** Longest pause between two polls, in ms. Default 30,000. */
  maxPollInterval?: number | undefined;
  /** Give up after this many ms with `WaitTimeoutError`. Default: wait as long as it takes. */
  maxWait?: number | undefined;
  /** Called with the batch on the first poll and whenever its status or counts change. */
  onProgress?: ((batch: MessageBatch) => void) | undefined;
}

/** Polls that may fail in a row (after the transport's own retries) before the wait gives up. */
const TOLERATED_FAILURES = 3;
const GROWTH = 1.5;

/**
 * Polls a batch until its `processing_status` is `ended` and returns that final batch.
 *
 * Pauses start at `pollInterval` (1 s) and grow to `maxPollInterval` (30 s); a
 * `retry-after` the server sends makes the next pause at least that long. A failed
 * poll that may pass by itself (429, 5xx, lost connection) is tried again, up to 3 in
 * a row. Every pause goes through the transport's clock, so a manual clock drives it.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - the batch id
 * @param options - `signal`, `pollInterval`, `maxPollInterval`, `maxWait`, `onProgress`,
 *   and the request options of each poll
 * @returns the ended batch
 * @throws `WaitTimeoutError` after `maxWait`; `APIUserAbortError` on abort
 * @example
 * const batch = await waitForEnd(client.transport, id, {
 *   onProgress: (b) => console.log(b.processing_status, b.request_counts),
 * });
 */
export async function waitForEnd(
  transport: Transport,
  id: string,
  options: WaitForEndOptions = {},
): Promise<MessageBatch> {
  const {
    pollInterval = 1000,
    maxPollInterval = 30_000,
    maxWait,
    onProgress,
    ...request
  } = options;
  const { clock } = transport.config;
  const { signal } = request;
  const deadline = maxWait === undefined ? Number.POSITIVE_INFINITY : clock.now() + maxWait;
  let delay = Math.max(0, pollInterval);
  const ceiling = Math.max(maxPollInterval, pollInterval);
  let last = '';
  let failures = 0;
  for (;;) {
    throwIfAborted(signal);
    let wait = delay;
    try {
      const { data: batch, response } = await retrieveBatch(transport, id, request).withResponse();
      failures = 0;
      const seen = JSON.stringify([batch.processing_status, batch.request_counts]);
      if (seen !== last) {
        last = seen;
        onProgress?.(batch);
      }
      if (batch.processing_status === 'ended') return batch;
      // A retry-after on a successful poll is a hint: honoured up to the longest poll pause.
      const hint = parseRetryAfter(response.headers, clock.now()) ?? 0;
      wait = Math.max(wait, Math.min(hint, ceiling));
    } catch (error) {
      if (!isTransient(error) || ++failures > TOLERATED_FAILURES) throw error;
      const asked = (error as { retryAfterMs?: number | null }).retryAfterMs ?? 0;
      // Like the transport: a server asking for more than a minute fails fast with its error.
      if (asked > MAX_RETRY_AFTER_MS) throw error;
      wait = Math.max(wait, asked);
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw new WaitTimeoutError(id, maxWait!);
    await pause(clock, Math.min(wait, remaining), signal);
    delay = Math.min(delay * GROWTH, ceiling);
  }
}
