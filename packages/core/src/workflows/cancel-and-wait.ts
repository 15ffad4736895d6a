import { BadRequestError } from '../errors.ts';
import { cancelBatch } from '../operations/cancel-batch.ts';
import { retrieveBatch } from '../operations/retrieve-batch.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import type { Transport } from '../transport/transport.ts';
import { isAlreadyEndedError } from './shared.ts';
import { type WaitForEndOptions, waitForEnd } from './wait-for-end.ts';

/** What {@link cancelAndWait} returns. */
export interface CancelAndWaitResult {
  /** The batch as it ended: `processing_status: 'ended'`, final `request_counts`. */
  batch: MessageBatch;
  /**
   * True when the batch had already ended before this cancel, so nothing was
   * canceled by this call (its `request_counts.canceled` may still be non-zero
   * from an earlier cancel). False when this call's cancel was accepted.
   */
  alreadyEnded: boolean;
}

/**
 * Cancels a batch and waits until it has ended. Requests already in flight still
 * finish, so the ended batch may show fewer `canceled` requests than were pending
 * (even none); read its results to know which ones. Canceling a batch that has
 * already ended is not an error here: the ended batch comes back with
 * `alreadyEnded: true`. Canceling a batch that is already canceling just waits.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - the batch id
 * @param options - as {@link waitForEnd}: `signal`, `pollInterval`, `maxWait`, `onProgress`…
 * @returns `{ batch, alreadyEnded }`
 * @throws `WaitTimeoutError` after `maxWait`; `APIUserAbortError` on abort; the
 *   cancel's own error (e.g. `NotFoundError`) when it was refused for another reason
 * @example
 * const { batch, alreadyEnded } = await cancelAndWait(client.transport, id);
 * console.log(alreadyEnded ? 'had already ended' : 'canceled', batch.request_counts);
 */
export async function cancelAndWait(
  transport: Transport,
  id: string,
  options: WaitForEndOptions = {},
): Promise<CancelAndWaitResult> {
  const { pollInterval: _p, maxPollInterval: _m, maxWait: _w, onProgress, ...request } = options;
  let alreadyEnded = false;
  try {
    const canceled = await cancelBatch(transport, id, request);
    if (canceled.processing_status === 'ended') {
      onProgress?.(canceled);
      return { batch: canceled, alreadyEnded: false };
    }
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    if (isAlreadyEndedError(error)) {
      alreadyEnded = true;
    } else {
      // Another 400 wording: the batch's own state is the judge.
      const batch = await retrieveBatch(transport, id, request);
      if (batch.processing_status !== 'ended') throw error;
      onProgress?.(batch);
      return { batch, alreadyEnded: true };
    }
  }
  const batch = await waitForEnd(transport, id, options);
  return { batch, alreadyEnded };
}
