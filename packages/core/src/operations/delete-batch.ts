import type { APIPromise } from '../api-promise.ts';
import type { DeletedMessageBatch } from '../schemas/message-batch.ts';
import { deletedMessageBatchIssues } from '../schemas/message-batch-check.ts';
import type { RequestOptions, RequestSpec, Transport } from '../transport/transport.ts';
import { batchPath, sendJSON } from './shared.ts';

/** The request that deletes a batch: `DELETE /v1/messages/batches/{id}`. */
export function buildDeleteBatch(id: string): RequestSpec {
  return { method: 'DELETE', path: batchPath(id), idempotent: true };
}

/**
 * Deletes an ended batch and its stored results. A batch still processing (or
 * canceling) cannot be deleted: cancel it and wait until it has ended.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - the batch id
 * @param options - signal, timeout, maxRetries, headers
 * @returns `{ id, type: 'message_batch_deleted' }`
 */
export function deleteBatch(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): APIPromise<DeletedMessageBatch> {
  return sendJSON<DeletedMessageBatch>(
    transport,
    () => buildDeleteBatch(id),
    deletedMessageBatchIssues,
    'delete answer',
    options,
  );
}
