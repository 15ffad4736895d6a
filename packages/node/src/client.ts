import {
  type CancelJobOptions,
  type CancelManyFilter,
  type CancelManyOptions,
  type ClientOptions,
  type CreateJobOptions,
  type JobCancelReport,
  type JobManifest,
  type JobReadOptions,
  type JobRequest,
  type JobSource,
  type JobSummary,
  MsgbatchClient,
  type ResumeJobOptions,
  type SummarizeResultsOptions,
  type Transport,
  type WaitForEndOptions,
  type WaitForJobOptions,
} from '@msgbatch/core';
import { withErrorStatics } from './error-statics.ts';
import { BetaMessageBatches, MessageBatches, type NodeJobOptions } from './official-batches.ts';
import { type OfficialClientOptions, officialClientOptions } from './official-options.ts';
import { type OpenTelemetryOptions, resolveTracing, Tracing } from './tracing.ts';

/**
 * Options of the Node client: core's, the official client's newer ones (`apiKey` as a
 * function, `credentials`, `middleware`, `defaultQuery`), and defaults read from the environment.
 */
export interface NodeClientOptions extends OfficialClientOptions {
  /**
   * OpenTelemetry spans, as the official client makes them: used when the application
   * registered a tracer provider (or gives one here); `false` turns them off. See
   * {@link OpenTelemetryOptions}.
   */
  openTelemetry?: OpenTelemetryOptions | false | undefined;
}

/** `messages.batches` whose workflows run under a parent span of their own. */
class TracedMessageBatches extends MessageBatches {
  readonly #tracing: Tracing;
  readonly #untraced: Transport;

  constructor(untraced: Transport, tracing: Tracing) {
    super(tracing.transport(untraced));
    this.#tracing = tracing;
    this.#untraced = untraced;
  }

  #under<T>(
    name: string,
    attributes: Record<string, string | number>,
    run: (b: MessageBatches) => Promise<T>,
  ) {
    return this.#tracing.workflow(name, this.#untraced, attributes, (traced) =>
      run(new MessageBatches(traced)),
    );
  }

  override waitForEnd(id: string, options?: WaitForEndOptions) {
    return this.#under('wait_for_end', { 'anthropic.message.batch.id': id }, (b) =>
      b.waitForEnd(id, options),
    );
  }

  override cancelAndWait(id: string, options?: WaitForEndOptions) {
    return this.#under('cancel_and_wait', { 'anthropic.message.batch.id': id }, (b) =>
      b.cancelAndWait(id, options),
    );
  }

  override cancelMany(target: readonly string[] | CancelManyFilter, options?: CancelManyOptions) {
    const attributes: Record<string, number> = Array.isArray(target)
      ? { 'msgbatch.batch_count': target.length }
      : {};
    return this.#under('cancel_many', attributes, (b) => b.cancelMany(target, options));
  }

  override createJob(
    source: JobSource | Iterable<JobRequest> | AsyncIterable<JobRequest>,
    options: NodeJobOptions<CreateJobOptions>,
  ): Promise<JobManifest> {
    const attributes: Record<string, string> =
      typeof options?.jobId === 'string' ? { 'msgbatch.job.id': options.jobId } : {};
    return this.#under('create_job', attributes, (b) => b.createJob(source, options));
  }

  override resumeJob(
    jobId: string,
    options: NodeJobOptions<ResumeJobOptions>,
  ): Promise<JobManifest> {
    return this.#under('resume_job', { 'msgbatch.job.id': jobId }, (b) =>
      b.resumeJob(jobId, options),
    );
  }

  override waitForJob(
    job: string | JobManifest,
    options: NodeJobOptions<WaitForJobOptions>,
  ): Promise<JobManifest> {
    return this.#under('wait_for_job', jobAttributes(job), (b) => b.waitForJob(job, options));
  }

  override cancelJob(
    job: string | JobManifest,
    options: NodeJobOptions<CancelJobOptions>,
  ): Promise<JobCancelReport> {
    return this.#under('cancel_job', jobAttributes(job), (b) => b.cancelJob(job, options));
  }

  override summarizeJob(
    job: string | JobManifest,
    options: NodeJobOptions<JobReadOptions>,
  ): Promise<JobSummary> {
    return this.#under('summarize_job', jobAttributes(job), (b) => b.summarizeJob(job, options));
  }

  override summarizeResults(id: string, options?: SummarizeResultsOptions) {
    return this.#under('summarize_results', { 'anthropic.message.batch.id': id }, (b) =>
      b.summarizeResults(id, options),
    );
  }
}

const jobAttributes = (job: string | JobManifest): Record<string, string> => {
  const id = typeof job === 'string' ? job : job?.jobId;
  return typeof id === 'string' ? { 'msgbatch.job.id': id } : {};
};

const env = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Resolves Node defaults: `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN` and
 * `ANTHROPIC_BASE_URL` fill options that were not given, and `MSGBATCH_LOG`
 * (debug, info, warn, error, off) sets the log level.
 */
export function nodeDefaults(options: NodeClientOptions = {}): NodeClientOptions {
  // As the official client: the environment's key is not used when another credential is given.
  const other =
    options.credentials != null ||
    options.auth !== undefined ||
    typeof options.apiKey === 'function';
  const apiKey = options.apiKey === undefined && !other ? env('ANTHROPIC_API_KEY') : options.apiKey;
  const authToken =
    options.authToken === undefined && !other ? env('ANTHROPIC_AUTH_TOKEN') : options.authToken;
  return {
    ...options,
    apiKey,
    authToken,
    baseURL: options.baseURL ?? env('ANTHROPIC_BASE_URL'),
    logLevel: options.logLevel ?? (env('MSGBATCH_LOG') as ClientOptions['logLevel']),
  };
}

/**
 * The Message Batches client for Node.js, shaped like the official SDK so its
 * documented examples run with only the import line changed. Every error class is also
 * a static property (`Anthropic.NotFoundError`), as on the official client.
 *
 * @example
 * import Anthropic from '@msgbatch/node';
 * const client = new Anthropic({ apiKey: 'my-anthropic-api-key' });
 * const messageBatch = await client.messages.batches.cancel('message_batch_id');
 * console.log(messageBatch.id);
 */
export class Anthropic extends withErrorStatics(MsgbatchClient) {
  /**
   * `messages.batches.*` with the official 1.17 call shapes: `(id, params?, options?)`
   * (`params.workspace_id` is sent as `anthropic-workspace-id`) as well as `(id, options?)`.
   */
  declare readonly messages: { readonly batches: MessageBatches };
  /** `beta.messages.batches.*`: the same operations, with `betas` sent as `anthropic-beta`. */
  readonly beta: { readonly messages: { readonly batches: BetaMessageBatches } };

  constructor(options: NodeClientOptions = {}) {
    const { openTelemetry, ...rest } = options;
    const resolved = officialClientOptions(nodeDefaults(rest));
    const settings = resolveTracing(openTelemetry, env);
    const tracing = settings ? new Tracing(settings) : null;
    super(tracing ? { ...resolved, fetch: tracing.wrapFetch(resolved.fetch) } : resolved);
    (this as { messages: Anthropic['messages'] }).messages = {
      batches: tracing
        ? new TracedMessageBatches(this.transport, tracing)
        : new MessageBatches(this.transport),
    };
    this.beta = {
      messages: {
        batches: new BetaMessageBatches(
          tracing ? tracing.transport(this.transport) : this.transport,
        ),
      },
    };
  }
}
