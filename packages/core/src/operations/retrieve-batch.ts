import type { APIPromise } from '../api-promise.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import { messageBatchIssues } from '../schemas/message-batch-check.ts';
import type { RequestOptions, RequestSpec, Transport } from '../transport/transport.ts';
import { batchPath, sendJSON } from './shared.ts';

/** The request that reads one batch: `GET /v1/messages/batches/{id}`. */
export function buildRetrieveBatch(id: string): RequestSpec {
  return { method: 'GET', path: batchPath(id), idempotent: true };
}

/**
 * Reads a batch: its status, request counts and timestamps. Idempotent; meant for polling.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - the batch id
 * @param options - signal, timeout, maxRetries, headers
 * @returns the batch
 */
export function retrieveBatch(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): APIPromise<MessageBatch> {
  return sendJSON<MessageBatch>(
    transport,
    () => buildRetrieveBatch(id),
    messageBatchIssues,
    'batch',
    options,
  );
}
