import { APIPromise } from './api-promise.ts';
import * as errors from './errors.ts';

import type { ResultsOptions } from './operations/batch-results.ts';
import { cancelBatch } from './operations/cancel-batch.ts';
import { deleteBatch } from './operations/delete-batch.ts';
import type { ListBatchesQuery } from './operations/list-batches.ts';
import { retrieveBatch } from './operations/retrieve-batch.ts';
import { PagePromise } from './page-promise.ts';
import type { CursorPage } from './pagination.ts';
import type { BatchResults } from './results/batch-results.ts';
import { ResultsPromise } from './results/results-promise.ts';
import type { BatchCreateParams } from './schemas/create-params.ts';
import type { DeletedMessageBatch, MessageBatch } from './schemas/message-batch.ts';
import { type ClientOptions, transportFromOptions } from './transport/from-options.ts';
import type { RequestOptions, Transport } from './transport/transport.ts';
import type { CancelAndWaitResult } from './workflows/cancel-and-wait.ts';
import type {
  CancelManyFilter,
  CancelManyOptions,
  CancelOutcome,
} from './workflows/cancel-many.ts';
import type { ResultsSummary, SummarizeResultsOptions } from './workflows/summarize-results.ts';
import type { WaitForEndOptions } from './workflows/wait-for-end.ts';

export {
  type AuthProvider,
  type ClientOptions,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  transportFromOptions,
} from './transport/from-options.ts';

/**
 * What the client loads on first use: one module, so one chunk. With a chunk per
 * operation, a splitting bundler (esbuild above all) cuts the modules the client shares
 * with them into as many small chunks, each loaded up front: 1.7 KB more to download
 * before a cancel, measured (scripts/size.mjs).
 */
const later = () => import('./client-lazy.ts');

/** `client.messages.batches`: the six operations of the Message Batches API and the workflows built on them. */
export class Batches {
  /** The transport every call goes through. */
  declare readonly transport: Transport;

  constructor(transport: Transport) {
    this.transport = transport;
  }

  // Cancel, retrieve and delete are loaded with the client. The rest (create's request
  // checks, the list walker, the results decoder, the workflows) loads on first use, so a
  // page that only cancels does not download it; bundlers split it off (see `later`).

  /** Creates a batch. See {@link createBatch}. */
  create(params: BatchCreateParams, options?: RequestOptions): APIPromise<MessageBatch> {
    return new APIPromise(
      later().then((m) => m.createBatch(this.transport, params, options).withResponse()),
    );
  }

  /** Reads a batch. See {@link retrieveBatch}. */
  retrieve(id: string, options?: RequestOptions): APIPromise<MessageBatch> {
    return retrieveBatch(this.transport, id, options);
  }

  /** Lists batches, newest first; `for await` walks every page. See {@link listBatches}. */
  list(query?: ListBatchesQuery, options?: RequestOptions): PagePromise<MessageBatch> {
    return new PagePromise<MessageBatch>(
      later().then((m) => m.listBatches(this.transport, query, options).withResponse()) as Promise<{
        data: CursorPage<MessageBatch>;
        response: Response;
      }>,
    );
  }

  /** Cancels a batch; the answer is usually `canceling`. See {@link cancelBatch}. */
  cancel(id: string, options?: RequestOptions): APIPromise<MessageBatch> {
    return cancelBatch(this.transport, id, options);
  }

  /** Deletes an ended batch. See {@link deleteBatch}. */
  delete(id: string, options?: RequestOptions): APIPromise<DeletedMessageBatch> {
    return deleteBatch(this.transport, id, options);
  }

  /** Streams an ended batch's results as typed lines. See {@link batchResults}. */
  results(id: string, options?: ResultsOptions): ResultsPromise {
    return new ResultsPromise(
      later().then((m) => m.batchResults(this.transport, id, options).withResponse()) as Promise<{
        data: BatchResults;
        response: Response;
      }>,
    );
  }

  /** Polls until the batch has ended, with backoff and progress. See {@link waitForEnd}. */
  async waitForEnd(id: string, options?: WaitForEndOptions): Promise<MessageBatch> {
    return (await later()).waitForEnd(this.transport, id, options);
  }

  /** Cancels, then waits until ended; an ended batch is not an error. See {@link cancelAndWait}. */
  async cancelAndWait(id: string, options?: WaitForEndOptions): Promise<CancelAndWaitResult> {
    return (await later()).cancelAndWait(this.transport, id, options);
  }

  /** Cancels many batches, one outcome per id. See {@link cancelMany}. */
  async cancelMany(
    target: readonly string[] | CancelManyFilter,
    options?: CancelManyOptions,
  ): Promise<CancelOutcome[]> {
    return (await later()).cancelMany(this.transport, target, options);
  }

  /** Counts and custom_ids per result type, checked against request_counts. See {@link summarizeResults}. */
  async summarizeResults(id: string, options?: SummarizeResultsOptions): Promise<ResultsSummary> {
    const { summarizeResults } = await later();
    return summarizeResults(this.transport, id, options);
  }

  /** The custom_ids that were really canceled. See {@link canceledRequests}. */
  async canceledRequests(id: string, options?: SummarizeResultsOptions): Promise<string[]> {
    const { canceledRequests } = await later();
    return canceledRequests(this.transport, id, options);
  }
}

/**
 * The Message Batches client. Runtime packages (`@msgbatch/node`, `@msgbatch/browser`,
 * `@msgbatch/deno`) export it with their defaults; core's own needs every option given.
 *
 * @example
 * const client = new MsgbatchClient({ apiKey, fetch });
 * const batch = await client.messages.batches.cancel('msgbatch_…');
 */
export class MsgbatchClient {
  // The error classes as static properties (`MsgbatchClient.NotFoundError`), as on the
  // official client: set from `CLIENT_ERROR_STATICS`, which errors.ts holds beside the
  // classes (a splitting bundler puts the class names and these keys in one chunk).
  declare static readonly MsgbatchError: typeof errors.MsgbatchError;
  declare static readonly AnthropicError: typeof errors.MsgbatchError;
  declare static readonly APIError: typeof errors.APIError;
  declare static readonly BadRequestError: typeof errors.BadRequestError;
  declare static readonly AuthenticationError: typeof errors.AuthenticationError;
  declare static readonly PermissionDeniedError: typeof errors.PermissionDeniedError;
  declare static readonly NotFoundError: typeof errors.NotFoundError;
  declare static readonly ConflictError: typeof errors.ConflictError;
  declare static readonly RequestTooLargeError: typeof errors.RequestTooLargeError;
  declare static readonly UnprocessableEntityError: typeof errors.UnprocessableEntityError;
  declare static readonly RateLimitError: typeof errors.RateLimitError;
  declare static readonly InternalServerError: typeof errors.InternalServerError;
  declare static readonly OverloadedError: typeof errors.OverloadedError;
  declare static readonly APIConnectionError: typeof errors.APIConnectionError;
  declare static readonly APIConnectionTimeoutError: typeof errors.APIConnectionTimeoutError;
  declare static readonly APIUserAbortError: typeof errors.APIUserAbortError;
  declare static readonly CreateOutcomeUnknownError: typeof errors.CreateOutcomeUnknownError;
  declare static readonly ResponseValidationError: typeof errors.ResponseValidationError;
  declare static readonly InvalidArgumentError: typeof errors.InvalidArgumentError;
  declare static readonly UnexpectedRedirectError: typeof errors.UnexpectedRedirectError;
  static {
    Object.assign(MsgbatchClient, errors.CLIENT_ERROR_STATICS);
  }

  /** `messages.batches.*`, shaped like the official SDK. */
  declare readonly messages: { readonly batches: Batches };
  /** The transport, for the functional API (`cancelBatch(client.transport, id)`). */
  declare readonly transport: Transport;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions = {}) {
    this.#options = { ...options };
    this.transport = transportFromOptions(this.#options);
    this.messages = { batches: new Batches(this.transport) };
  }

  /** A new client with some options changed; this one is left as it is. */
  withOptions(options: Partial<ClientOptions>): this {
    const Ctor = this.constructor as new (options: ClientOptions) => this;
    return new Ctor({ ...this.#options, ...options });
  }
}
