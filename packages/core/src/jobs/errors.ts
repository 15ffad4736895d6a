import { MsgbatchError } from '../errors.ts';

/**
 * A request of the job's source is wrong (a bad `custom_id`, `params` not an object, a
 * `custom_id` used twice, a line that is not JSON), or the source given to `resumeJob` is not
 * the job's. Names the request's index and custom_id, never its params. Raised before any
 * create for a re-readable source; for a one-shot source the job stops (`state: 'failed'`)
 * with the chunks already created listed in the manifest.
 */
export class JobSourceError extends MsgbatchError {
  override name = 'JobSourceError' as const;
  /** The 0-based index of the request at fault, when one is. */
  declare readonly index: number | undefined;
  /** Its `custom_id`, when it has a readable one. */
  declare readonly customId: string | undefined;
  constructor(
    message: string,
    where: { index?: number | undefined; customId?: string | undefined } = {},
  ) {
    super(message);
    this.index = where.index;
    this.customId = where.customId;
  }
}

/** One chunk that could belong to several batches. */
export interface AmbiguousChunk {
  index: number;
  candidates: string[];
}

/**
 * Some chunks' creates were sent but their outcome is not known, and more than one batch
 * could be theirs. Nothing was created for them; everything else the call had to do was
 * done. Look at the candidates (their results' custom_ids), then cancel or delete the
 * duplicates yourself.
 */
export class JobAmbiguityError extends MsgbatchError {
  override name = 'JobAmbiguityError' as const;
  declare readonly jobId: string;
  declare readonly chunks: readonly AmbiguousChunk[];
  constructor(jobId: string, chunks: readonly AmbiguousChunk[]) {
    super(
      `Job ${jobId}: ${chunks.length} chunk(s) could belong to more than one batch and were not created again: ` +
        chunks.map((c) => `chunk ${c.index} → ${c.candidates.join(', ')}`).join('; '),
    );
    this.jobId = jobId;
    this.chunks = chunks;
  }
}

/** The store holds no manifest for this job id. */
export class JobNotFoundError extends MsgbatchError {
  override name = 'JobNotFoundError' as const;
  declare readonly jobId: string;
  constructor(jobId: string) {
    super(`No job "${jobId}" in the store.`);
    this.jobId = jobId;
  }
}

/** A loaded manifest is not a valid `msgbatch.job` document of a version this package reads. */
export class JobManifestError extends MsgbatchError {
  override name = 'JobManifestError' as const;
  /** Every problem found, as `path: message`. */
  declare readonly issues: readonly string[];
  constructor(message: string, issues: readonly string[] = []) {
    super(message);
    this.issues = issues;
  }
}

/** The job is not in a state that allows the call (e.g. resuming a failed job, results of unended batches). */
export class JobStateError extends MsgbatchError {
  override name = 'JobStateError' as const;
  declare readonly jobId: string;
  constructor(jobId: string, message: string) {
    super(`Job ${jobId}: ${message}`);
    this.jobId = jobId;
  }
}
