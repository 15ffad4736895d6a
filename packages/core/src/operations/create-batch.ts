import { failures } from '#failures';
import { APIPromise } from '../api-promise.ts';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  CreateOutcomeUnknownError,
  InvalidArgumentError,
} from '../errors.ts';
import {
  type BatchCreateParams,
  BatchCreateParamsSchema,
  MAX_CREATE_BODY_BYTES,
} from '../schemas/create-params.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import { messageBatchIssues } from '../schemas/message-batch-check.ts';
import type { RequestOptions, RequestSpec, Transport } from '../transport/transport.ts';
import { parseArgument } from '../validate.ts';
import { withParamHeaders } from './param-headers.ts';
import { sendJSON } from './shared.ts';

/**
 * The request that creates a batch. Checks, before anything is sent, what the API
 * refuses at create: only `requests`, 1 to 100,000 of them, each exactly `custom_id`
 * (1-64 of `[A-Za-z0-9_-]`, unique) and `params` (an object), and a body of at most
 * 256 MB. The contents of `params` are sent untouched: the API judges them per request
 * and reports a problem (a missing `messages`, an unknown model) as an `errored` line.
 */
export function buildCreateBatch(params: BatchCreateParams): RequestSpec {
  parseArgument(BatchCreateParamsSchema, params, 'params');
  // A batch whose strings alone pass the limit is refused before it is serialized:
  // no need to build a body of hundreds of megabytes to learn that it is too big.
  const least = stringLengthAtLeast(params, MAX_CREATE_BODY_BYTES);
  if (least > MAX_CREATE_BODY_BYTES) throw tooLarge(least);
  const body = JSON.stringify(params);
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: most bodies need no encoding to be measured.
  const bytes =
    body.length > MAX_CREATE_BODY_BYTES || body.length * 3 <= MAX_CREATE_BODY_BYTES
      ? body.length
      : new TextEncoder().encode(body).byteLength;
  if (bytes > MAX_CREATE_BODY_BYTES) throw tooLarge(bytes);
  return { method: 'POST', path: '/v1/messages/batches', body, idempotent: false };
}

function tooLarge(bytes: number): InvalidArgumentError {
  return new InvalidArgumentError(
    'params',
    `the batch is at least ${bytes} bytes as JSON; the API accepts at most ${MAX_CREATE_BODY_BYTES} (256 MB). Split it into several batches.`,
  );
}

/**
 * A lower bound of the UTF-8 size of `JSON.stringify(value)`: the length of every
 * string value it holds (each UTF-16 unit is at least one byte, plus two quotes).
 * Stops counting once past `stop`. Objects with `toJSON`, and cycles (which
 * `JSON.stringify` refuses itself), count nothing.
 */
function stringLengthAtLeast(value: unknown, stop: number): number {
  const path = new Set<object>();
  const walk = (node: unknown, total: number): number => {
    if (total > stop) return total;
    if (typeof node === 'string') return total + node.length + 2;
    if (typeof node !== 'object' || node === null || path.has(node)) return total;
    if (typeof (node as { toJSON?: unknown }).toJSON === 'function') return total;
    path.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      total = walk(child, total);
    }
    path.delete(node);
    return total;
  };
  return walk(value, 0);
}

/**
 * Creates a batch of Messages requests. Processing starts at once; results are
 * ready when the batch has ended (at most 24 hours later).
 *
 * Hint: create is not idempotent. It is retried only after a 429 or 529 (the
 * server did not act); after a lost connection it fails with
 * `CreateOutcomeUnknownError` rather than risk a second batch.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param params - `{ requests: [{ custom_id, params }] }`; `workspace_id` and
 *   `user_profile_id`, when given, are sent as headers
 * @param options - signal, timeout, maxRetries, headers
 * @returns the new batch, `processing_status: 'in_progress'`
 */
export function createBatch(
  transport: Transport,
  params: BatchCreateParams,
  options?: RequestOptions,
): APIPromise<MessageBatch> {
  // As the official client: these two are headers, not part of the body. A params that
  // is not an object goes to the builder as it is, which says what is wrong with it.
  const isObject = typeof params === 'object' && params !== null;
  const { workspace_id, user_profile_id, ...body } = isObject ? params : ({} as BatchCreateParams);
  return sendCreate(
    transport,
    () => buildCreateBatch(isObject ? (body as BatchCreateParams) : params),
    withParamHeaders(options, {
      'anthropic-workspace-id': workspace_id,
      'anthropic-user-profile-id': user_profile_id,
    }),
  );
}

/**
 * Sends a create request built by `build` (a checked body, or a job's streamed chunk) and
 * turns a connection failure after sending into `CreateOutcomeUnknownError`.
 */
export function sendCreate(
  transport: Transport,
  build: () => RequestSpec,
  options?: RequestOptions,
): APIPromise<MessageBatch> {
  const sent = sendJSON<MessageBatch>(
    transport,
    build,
    messageBatchIssues,
    'create answer',
    options,
  ).withResponse();
  return new APIPromise(
    sent.catch(async (error: unknown) => {
      // The failure-path code, loaded (and already loaded by the transport) on a failure only.
      const { refusedBeforeSending } = await failures();
      throw outcomeUnknown(error, refusedBeforeSending(error));
    }),
  );
}

/**
 * A connection failure once the create was sent: the server may have made the batch.
 * The transport did not retry it, and neither may a caller that retries connection
 * errors, so it becomes `CreateOutcomeUnknownError`, which says how to look for it.
 */
function outcomeUnknown(error: unknown, refusedBeforeSending: boolean): unknown {
  if (
    !(error instanceof APIConnectionError) ||
    error instanceof CreateOutcomeUnknownError ||
    refusedBeforeSending
  ) {
    return error;
  }
  const { requestID } = error;
  const what = requestID
    ? `The batch was created (request id ${requestID}) but its answer was lost while being read.`
    : `The connection ${error instanceof APIConnectionTimeoutError ? 'timed out' : 'failed'} after the create request was sent, so the batch may exist.`;
  return new CreateOutcomeUnknownError(
    `${what} It was not retried, to avoid a second batch: list recent batches (messages.batches.list()) and compare created_at and request_counts before creating again.`,
    { cause: error, requestID },
  );
}
