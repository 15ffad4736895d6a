import type { APIPromise } from '../api-promise.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import { messageBatchIssues } from '../schemas/message-batch-check.ts';
import type { RequestOptions, RequestSpec, Transport } from '../transport/transport.ts';
import { batchPath, sendJSON } from './shared.ts';

/** The request that cancels a batch: `POST /v1/messages/batches/{id}/cancel`, no body. */
export function buildCancelBatch(id: string): RequestSpec {
  return { method: 'POST', path: `${batchPath(id)}/cancel`, idempotent: true };
}

/**
 * Cancels a batch that is still processing. The answer is the batch as of the
 * call: usually `processing_status: 'canceling'` with `cancel_initiated_at` set.
 * Requests already in flight may still finish, so a cancel can leave zero
 * requests `canceled`; wait for `ended` and read the results to know.
 *
 * Hint: canceling an ended batch is a `BadRequestError`; canceling one that is
 * already canceling answers with the batch unchanged.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - the batch id (`msgbatch_…`)
 * @param options - signal, timeout, maxRetries, headers
 * @returns the batch; `_request_id` holds the request id
 * @example
 * const batch = await cancelBatch(transport, 'msgbatch_013Zva2CMHLNnXjNJJKqJ2EF');
 */
export function cancelBatch(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): APIPromise<MessageBatch> {
  return sendJSON<MessageBatch>(
    transport,
    () => buildCancelBatch(id),
    messageBatchIssues,
    'cancel answer',
    options,
  );
}
