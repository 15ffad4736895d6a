import {
  APIPromise,
  type BatchCreateParams,
  BatchesWithJobs,
  type CancelJobOptions,
  type CreateJobOptions,
  type DeletedMessageBatch,
  InvalidArgumentError,
  type JobCancelReport,
  type JobManifest,
  type JobReadOptions,
  type JobRequest,
  type JobResultLine,
  type JobSource,
  type JobStore,
  type JobSummary,
  type ListBatchesQuery,
  type MessageBatch,
  type PagePromise,
  type RequestOptions,
  type ResultsOptions,
  ResultsPromise,
  type ResumeJobOptions,
  type WaitForJobOptions,
  withParamHeaders,
} from '@msgbatch/core';
import { toJobStore } from './job-results-file.ts';

/**
 * A job option's `store`, as Node takes it: a `JobStore`, or a directory path (short for
 * `new FileJobStore(dir)`). Required: a job's manifest is never kept somewhere implicit.
 */
export type NodeJobOptions<T extends { store: JobStore }> = Omit<T, 'store'> & {
  store: JobStore | string;
};

const withStore = <T extends { store: JobStore | string }>(options: T) =>
  ({ ...options, store: toJobStore(options?.store) }) as T & { store: JobStore };

/** Params of retrieve, cancel, delete and results, as the official 1.17 client takes them. */
export interface BatchRetrieveParams {
  /** Sent as the `anthropic-workspace-id` header. */
  workspace_id?: string;
}
/** Params of cancel. */
export type BatchCancelParams = BatchRetrieveParams;
/** Params of delete. */
export type BatchDeleteParams = BatchRetrieveParams;
/** Params of results. */
export type BatchResultsParams = BatchRetrieveParams;
/** Params of list: the page query and `workspace_id`. */
export interface BatchListParams extends ListBatchesQuery, BatchRetrieveParams {}

/** A beta feature name, sent in `anthropic-beta` (e.g. `message-batches-2024-09-24`). */
export type AnthropicBeta = string;
/** The beta params every beta batch call takes besides its own. */
export interface BetaParams {
  /** Sent as the `anthropic-beta` header, comma-separated. */
  betas?: AnthropicBeta[];
}

// The keys of `RequestOptions` (and `ResultsOptions`), and of the params: a second argument
// with option keys is the options of the seed's `(id, options)` form, else it is params.
const REQUEST_OPTION_KEYS = new Set([
  'signal',
  'timeout',
  'maxRetries',
  'headers',
  'fetchOptions',
  'maxLineBytes',
]);
const PARAM_KEYS = new Set(['workspace_id', 'betas']);

/**
 * True when `value` is request options rather than params: an object with an option key
 * (`signal`, `timeout`, `maxRetries`, `headers`, `fetchOptions`, `maxLineBytes`), as the
 * official client once told its two call forms apart. An object with both kinds of key is
 * an `InvalidArgumentError`: pass it as `(id, params, options)`.
 */
export function isRequestOptions(value: unknown): value is RequestOptions {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  const options = keys.filter((key) => REQUEST_OPTION_KEYS.has(key));
  const params = keys.filter((key) => PARAM_KEYS.has(key));
  if (options.length > 0 && params.length > 0) {
    throw new InvalidArgumentError(
      'params',
      `mixes params (${params.join(', ')}) and request options (${options.join(', ')}); pass them as (id, params, options)`,
    );
  }
  return options.length > 0;
}

type ParamHeaders = (
  params: (BatchRetrieveParams & BetaParams) | undefined,
) => Record<string, string | undefined>;

const workspaceHeader: ParamHeaders = (params) => ({
  'anthropic-workspace-id': params?.workspace_id,
});

/**
 * `client.messages.batches` with the official 1.17 call shapes: `(id, params?, options?)`,
 * where `params.workspace_id` is sent as `anthropic-workspace-id`, and the seed's
 * `(id, options?)`, told apart by the second argument's keys. `@msgbatch/node`'s client
 * uses it; the page client keeps the two-argument form (smaller bundle).
 */
export class MessageBatches extends BatchesWithJobs {
  /** Headers a call's params add. @internal */
  protected paramHeaders: ParamHeaders = workspaceHeader;

  #split<P extends object, O extends RequestOptions>(
    params: P | O | null | undefined,
    options: O | undefined,
  ): [P | undefined, O | undefined] {
    if (options === undefined && isRequestOptions(params)) return [undefined, params as O];
    const p = (params ?? undefined) as (P & BatchRetrieveParams & BetaParams) | undefined;
    return [p, withParamHeaders(options, this.paramHeaders(p)) as O | undefined];
  }

  /** Creates a batch; `workspace_id` and `user_profile_id` are sent as headers. */
  override create(
    params: BatchCreateParams & BetaParams,
    options?: RequestOptions,
  ): APIPromise<MessageBatch> {
    const { betas: _betas, ...rest } = params ?? ({} as BatchCreateParams);
    const o = withParamHeaders(options, this.paramHeaders(params));
    return super.create(
      (typeof params === 'object' && params !== null ? rest : params) as BatchCreateParams,
      o,
    );
  }

  override retrieve(id: string, options?: RequestOptions): APIPromise<MessageBatch>;
  override retrieve(
    id: string,
    params?: BatchRetrieveParams | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch>;
  override retrieve(
    id: string,
    params?: BatchRetrieveParams | RequestOptions | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch> {
    try {
      return super.retrieve(id, this.#split(params, options)[1]);
    } catch (error) {
      return new APIPromise<MessageBatch>(Promise.reject(error));
    }
  }

  override cancel(id: string, options?: RequestOptions): APIPromise<MessageBatch>;
  override cancel(
    id: string,
    params?: BatchCancelParams | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch>;
  override cancel(
    id: string,
    params?: BatchCancelParams | RequestOptions | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch> {
    try {
      return super.cancel(id, this.#split(params, options)[1]);
    } catch (error) {
      return new APIPromise<MessageBatch>(Promise.reject(error));
    }
  }

  override delete(id: string, options?: RequestOptions): APIPromise<DeletedMessageBatch>;
  override delete(
    id: string,
    params?: BatchDeleteParams | null,
    options?: RequestOptions,
  ): APIPromise<DeletedMessageBatch>;
  override delete(
    id: string,
    params?: BatchDeleteParams | RequestOptions | null,
    options?: RequestOptions,
  ): APIPromise<DeletedMessageBatch> {
    try {
      return super.delete(id, this.#split(params, options)[1]);
    } catch (error) {
      return new APIPromise<DeletedMessageBatch>(Promise.reject(error));
    }
  }

  override results(id: string, options?: ResultsOptions): ResultsPromise;
  override results(
    id: string,
    params?: BatchResultsParams | null,
    options?: ResultsOptions,
  ): ResultsPromise;
  override results(
    id: string,
    params?: BatchResultsParams | ResultsOptions | null,
    options?: ResultsOptions,
  ): ResultsPromise {
    try {
      return super.results(id, this.#split<BatchResultsParams, ResultsOptions>(params, options)[1]);
    } catch (error) {
      return new ResultsPromise(Promise.reject(error));
    }
  }

  /**
   * Splits requests into batches and creates them, recording each step in a manifest
   * (`store`: a `JobStore`, or a directory for a `FileJobStore`). See core's `createJob`.
   */
  override createJob(
    source: JobSource | Iterable<JobRequest> | AsyncIterable<JobRequest>,
    options: NodeJobOptions<CreateJobOptions>,
  ): Promise<JobManifest> {
    return Promise.resolve().then(() => super.createJob(source, withStore(options)));
  }

  /** Continues a job whose process stopped; see core's `resumeJob`. `store` may be a directory. */
  override resumeJob(
    jobId: string,
    options: NodeJobOptions<ResumeJobOptions>,
  ): Promise<JobManifest> {
    return Promise.resolve().then(() => super.resumeJob(jobId, withStore(options)));
  }

  /** Waits until every batch of a job has ended; see core's `waitForJob`. `store` may be a directory. */
  override waitForJob(
    job: string | JobManifest,
    options: NodeJobOptions<WaitForJobOptions>,
  ): Promise<JobManifest> {
    return Promise.resolve().then(() => super.waitForJob(job, withStore(options)));
  }

  /** Cancels every batch of a job still in progress and accounts for every custom_id; see core's `cancelJob`. */
  override cancelJob(
    job: string | JobManifest,
    options: NodeJobOptions<CancelJobOptions>,
  ): Promise<JobCancelReport> {
    return Promise.resolve().then(() => super.cancelJob(job, withStore(options)));
  }

  /** Every batch's results, in chunk order, each line with its `batch_id`; see core's `jobResults`. */
  override async *jobResults(
    job: string | JobManifest,
    options: NodeJobOptions<JobReadOptions>,
  ): AsyncGenerator<JobResultLine> {
    yield* super.jobResults(job, withStore(options));
  }

  /** Counts, ids and token usage per batch and in total; see core's `summarizeJob`. */
  override summarizeJob(
    job: string | JobManifest,
    options: NodeJobOptions<JobReadOptions>,
  ): Promise<JobSummary> {
    return Promise.resolve().then(() => super.summarizeJob(job, withStore(options)));
  }

  /** Lists batches; `workspace_id` is sent as a header, the rest is the page query. */
  override list(
    params?: BatchListParams & BetaParams,
    options?: RequestOptions,
  ): PagePromise<MessageBatch> {
    const { workspace_id: _w, betas: _b, ...query } = params ?? {};
    return super.list(query, withParamHeaders(options, this.paramHeaders(params)));
  }
}

/**
 * `client.beta.messages.batches`: the same operations, with `betas` in every call's
 * params sent as `anthropic-beta`.
 */
export class BetaMessageBatches extends MessageBatches {
  protected override paramHeaders: ParamHeaders = (params) => ({
    ...workspaceHeader(params),
    'anthropic-beta': params?.betas?.length ? params.betas.join(',') : undefined,
  });

  override retrieve(id: string, options?: RequestOptions): APIPromise<MessageBatch>;
  override retrieve(
    id: string,
    params?: (BatchRetrieveParams & BetaParams) | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch>;
  override retrieve(
    id: string,
    params?: (BatchRetrieveParams & BetaParams) | RequestOptions | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch> {
    return super.retrieve(id, params as BatchRetrieveParams, options);
  }

  override cancel(id: string, options?: RequestOptions): APIPromise<MessageBatch>;
  override cancel(
    id: string,
    params?: (BatchCancelParams & BetaParams) | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch>;
  override cancel(
    id: string,
    params?: (BatchCancelParams & BetaParams) | RequestOptions | null,
    options?: RequestOptions,
  ): APIPromise<MessageBatch> {
    return super.cancel(id, params as BatchCancelParams, options);
  }

  override delete(id: string, options?: RequestOptions): APIPromise<DeletedMessageBatch>;
  override delete(
    id: string,
    params?: (BatchDeleteParams & BetaParams) | null,
    options?: RequestOptions,
  ): APIPromise<DeletedMessageBatch>;
  override delete(
    id: string,
    params?: (BatchDeleteParams & BetaParams) | RequestOptions | null,
    options?: RequestOptions,
  ): APIPromise<DeletedMessageBatch> {
    return super.delete(id, params as BatchDeleteParams, options);
  }

  override results(id: string, options?: ResultsOptions): ResultsPromise;
  override results(
    id: string,
    params?: (BatchResultsParams & BetaParams) | null,
    options?: ResultsOptions,
  ): ResultsPromise;
  override results(
    id: string,
    params?: (BatchResultsParams & BetaParams) | ResultsOptions | null,
    options?: ResultsOptions,
  ): ResultsPromise {
    return super.results(id, params as BatchResultsParams, options);
  }
}
