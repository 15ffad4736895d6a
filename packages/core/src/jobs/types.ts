import type { RequestOptions } from '../transport/transport.ts';
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageCreateParamsNonStreaming,
  Usage,
} from '../types.ts';

/** One request of a job: what one line of a batch's `requests` holds. */
export interface JobRequest {
  /** 1-64 of `[A-Za-z0-9_-]`, unique across the whole job. */
  custom_id: string;
  /** The Messages parameters (an object), sent untouched: typed as create's, or any object. */
  params: MessageCreateParamsNonStreaming | Record<string, unknown>;
}

/** A stable description of a source, kept in the manifest: resume refuses a source that differs. */
export type JobSourceDescription = { kind: string } & Record<string, string | number>;

/** One request as a {@link JobSource} gives it. */
export interface JobSourceEntry {
  /** 0-based position in the source. */
  index: number;
  /** The request, parsed. */
  request: JobRequest;
  /** Its JSON text (one request, no newline): what goes into the create body. */
  text: string;
}

/**
 * Where a job's requests come from. A plain (async) iterable of {@link JobRequest} is
 * accepted too and is treated as one-shot (not re-readable).
 */
export interface JobSource {
  /**
   * Re-readable sources (files) are checked entirely before the first create, and each
   * chunk's body is read again from the source when it is sent (constant memory).
   */
  readonly rereadable: boolean;
  /**
   * Every request in order, with its raw JSON text (one request, no newline) and its
   * 0-based index. `from` starts at that index (a re-readable source may seek).
   */
  entries(from?: number): AsyncIterable<JobSourceEntry>;
  /**
   * A stable description for the manifest (e.g. `{ kind: 'jsonl-file', path, size, mtimeMs }`);
   * resume refuses a source whose description differs (`JobSourceError`).
   */
  describe(): JobSourceDescription;
}

/** Where manifests live. `FileJobStore` (node) and {@link MemoryJobStore} (core, tests) implement it. */
export interface JobStore {
  /** The manifest of `jobId`, or `undefined` when there is none. */
  load(jobId: string): Promise<JobManifest | undefined>;
  /** Atomic: after a crash, the previous or the new document, never a mix. */
  save(manifest: JobManifest): Promise<void>;
  /** The ids of the jobs held, when the store can tell. */
  list?(): Promise<string[]>;
}

/** What a job is doing as a whole. `submitting`: some chunks are not created yet. */
export type JobState = 'checking' | 'submitting' | 'submitted' | 'failed';

/** Where a chunk's create stands. */
export type JobChunkState = 'planned' | 'sending' | 'created' | 'unknown' | 'ambiguous';

/** One try at creating a chunk's batch. */
export interface JobChunkAttempt {
  /** Saved before the create is sent. */
  startedAt: string;
  /** When its outcome was known. */
  endedAt?: string | undefined;
  /** `created`: the batch id is known; `unknown`: sent, answer lost; `refused`: the API said no. */
  outcome?: 'created' | 'unknown' | 'refused' | undefined;
  /**
   * The batch id the create's own answer named. Set only from an answer, never by
   * reconciliation: a batch another job's manifest holds here is certainly that job's, and
   * is no candidate when this job reconciles (a batch adopted from a listing may be wrong
   * until its results confirm it).
   */
  batchId?: string | undefined;
}

/** One batch of a job: a range of the source's requests. */
export interface JobChunk {
  index: number;
  /** The requests `[first, first + count)` of the source. */
  first: number;
  count: number;
  /** Size of the create body, in bytes. */
  bytes: number;
  /** SHA-256 (hex) of the chunk's custom_ids joined by `\n`. */
  idsHash: string;
  state: JobChunkState;
  attempts: JobChunkAttempt[];
  /** Once known. */
  batchId?: string | undefined;
  /** For `ambiguous`: the batches that could be this chunk's. */
  candidates?: string[] | undefined;
  /** Last seen. */
  status?: MessageBatch['processing_status'] | undefined;
  requestCounts?: MessageBatch['request_counts'] | undefined;
  endedAt?: string | null | undefined;
  resultsUrl?: string | null | undefined;
}

/** The state of a job: one JSON document, never request bodies or credentials. */
export interface JobManifest {
  format: 'msgbatch.job';
  version: 1;
  jobId: string;
  createdAt: string;
  updatedAt: string;
  source: JobSourceDescription;
  state: JobState;
  /** `null` until a one-shot source has ended. */
  totals: { requests: number; chunks: number } | null;
  chunks: JobChunk[];
  /**
   * The split the job was made with (`maxRequestsPerBatch`, `maxBytesPerBatch`): resuming a
   * one-shot source goes on splitting with them.
   */
  limits?: { requests: number; bytes: number } | undefined;
  /** Why it stopped. Names the request's index and custom_id, never its params. */
  problem?:
    | { message: string; index?: number | undefined; custom_id?: string | undefined }
    | undefined;
}

/**
 * What a job reports as it goes. The kill-and-resume proof stops the process on these, so
 * each is emitted at the moment its name says.
 */
export type JobEvent =
  /** Every request checked (re-readable), or the one-shot source has ended. */
  | { type: 'checked'; requests: number; chunks: number }
  /** The chunk's `sending` state and attempt are saved; its create is not sent yet. */
  | { type: 'chunk-intent'; chunk: number }
  /** The create request goes out now. */
  | { type: 'chunk-sending'; chunk: number }
  /** The manifest has recorded the chunk's batch. */
  | { type: 'chunk-created'; chunk: number; batchId: string }
  /** The create was sent but its answer was lost; recorded as `unknown`. */
  | { type: 'chunk-unknown'; chunk: number; error: unknown }
  /** A 429/529 paused every create for `ms`. */
  | { type: 'paused'; ms: number }
  /** A chunk found `sending`/`unknown` at resume was matched to its batch (or found absent). */
  | { type: 'chunk-reconciled'; chunk: number; batchId: string | null }
  /**
   * A chunk's create was cut short and no batch of it is listed yet: it may still appear, so
   * reconciliation waits until `until` and lists again before it calls the chunk absent.
   */
  | { type: 'chunk-settling'; chunk: number; until: string }
  /** A chunk could be one of several batches: nothing is created for it. */
  | { type: 'chunk-ambiguous'; chunk: number; candidates: string[] }
  /** A batch of the job was seen (waitForJob, cancelJob). */
  | { type: 'batch-status'; chunk: number; batch: MessageBatch };

/** Options of `createJob`. */
export interface CreateJobOptions extends Omit<RequestOptions, 'maxRetries'> {
  /** Where the manifest is kept. */
  store: JobStore;
  /** Default: `job_` and random characters. */
  jobId?: string | undefined;
  /** Default 100,000 (the API's limit). */
  maxRequestsPerBatch?: number | undefined;
  /** Default 256 MB (the API's limit). */
  maxBytesPerBatch?: number | undefined;
  /** Creates in flight at once. Default 2. */
  concurrency?: number | undefined;
  /**
   * How long a create that was cut short (the process died while it was out, or its answer
   * was lost) may still take to appear among the API's batches, in ms. Before a chunk with
   * such a create is called absent and created again, reconciliation waits until this long
   * after the create ended (a `chunk-settling` event) and lists again: a batch that appears
   * late would otherwise be a duplicate. Default 60,000.
   */
  graceMs?: number | undefined;
  onProgress?: ((event: JobEvent) => void) | undefined;
}

/** Options of `resumeJob`. */
export interface ResumeJobOptions extends Omit<RequestOptions, 'maxRetries'> {
  store: JobStore;
  /**
   * The job's own source (its description must match), needed when chunks remain to send. A
   * one-shot job takes its (async) iterable again: the chunks already made are read again and
   * must hash the same.
   */
  source?: JobSource | Iterable<JobRequest> | AsyncIterable<JobRequest> | undefined;
  concurrency?: number | undefined;
  onProgress?: ((event: JobEvent) => void) | undefined;
  /**
   * How far around an attempt's times a batch's `created_at` may be and still be its
   * batch, in ms (clock skew between this machine and the API). Default 5 minutes.
   */
  skewMs?: number | undefined;
  /**
   * How long a create that was cut short (the process died while it was out, or its answer
   * was lost) may still take to appear among the API's batches, in ms. Before a chunk with
   * such a create is called absent and created again, reconciliation waits until this long
   * after the create ended (a `chunk-settling` event) and lists again: a batch that appears
   * late would otherwise be a duplicate. Default 60,000.
   */
  graceMs?: number | undefined;
}

/** Options of `waitForJob`. */
export interface WaitForJobOptions extends Omit<RequestOptions, 'maxRetries'> {
  store: JobStore;
  /** First wait between polls, ms. Default 5,000 (doubling up to 60,000). */
  pollInterval?: number | undefined;
  /** Give up after this long, ms (`WaitTimeoutError`). Default: no limit. */
  maxWait?: number | undefined;
  onProgress?: ((event: JobEvent) => void) | undefined;
}

/** Options of `cancelJob`. */
export interface CancelJobOptions extends Omit<RequestOptions, 'maxRetries'> {
  store: JobStore;
  /** Cancels in flight at once. Default 4. */
  concurrency?: number | undefined;
  /** As {@link WaitForJobOptions.pollInterval}, while the canceled batches end. */
  pollInterval?: number | undefined;
  onProgress?: ((event: JobEvent) => void) | undefined;
}

/** Options of `jobResults` and `summarizeJob`. */
export interface JobReadOptions extends Omit<RequestOptions, 'maxRetries'> {
  store: JobStore;
}

/** A result line of a job: as `results()` gives it, with the batch it came from. */
export type JobResultLine = MessageBatchIndividualResponse & { batch_id: string };

/** The custom_ids per result type. */
export interface JobIdsByOutcome {
  succeeded: string[];
  errored: string[];
  canceled: string[];
  expired: string[];
}

/** What `cancelJob` reports about one chunk. */
export interface JobCancelChunk {
  chunk: number;
  /** `null` for a chunk never created. */
  batchId: string | null;
  /**
   * `canceled`: this call's cancel was accepted; `already_ended`: nothing was left to
   * cancel; `not_submitted`: the chunk has no batch; `failed`: see `error`.
   */
  status: 'canceled' | 'already_ended' | 'not_submitted' | 'failed';
  /** The chunk's request count. */
  count: number;
  /** The custom_ids of each outcome, from the batch's results (empty when not ended). */
  ids: JobIdsByOutcome;
  error?: unknown;
}

/** What `cancelJob` returns: per chunk and in total, every custom_id accounted for. */
export interface JobCancelReport {
  jobId: string;
  chunks: JobCancelChunk[];
  totals: {
    canceled: number;
    succeeded: number;
    errored: number;
    expired: number;
    /** Requests of chunks never created. */
    not_submitted: number;
    /** Requests of chunks whose cancel failed or whose results could not be read. */
    unknown: number;
  };
}

/** Token usage summed from succeeded lines. */
export interface JobUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Counts, ids and usage of one batch of a job. */
export interface JobBatchSummary {
  chunk: number;
  batchId: string;
  counts: Record<keyof JobIdsByOutcome, number>;
  ids: JobIdsByOutcome;
  usage: JobUsage;
}

/** What `summarizeJob` returns. */
export interface JobSummary {
  jobId: string;
  batches: JobBatchSummary[];
  counts: Record<keyof JobIdsByOutcome, number>;
  ids: JobIdsByOutcome;
  usage: JobUsage;
}

export type { Usage };
