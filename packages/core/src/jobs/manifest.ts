import * as v from 'valibot';
import { JobManifestError, JobNotFoundError } from './errors.ts';
import type { JobManifest, JobSourceDescription, JobStore } from './types.ts';

/** The manifest's `format`. */
export const JOB_MANIFEST_FORMAT = 'msgbatch.job';
/** The manifest version this package writes and reads. */
export const JOB_MANIFEST_VERSION = 1;

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const time = v.pipe(v.string(), v.isoTimestamp());
const optional = <T extends v.GenericSchema>(schema: T) =>
  v.optional(v.union([schema, v.undefined()]));

const RequestCounts = v.object({
  processing: count,
  succeeded: count,
  errored: count,
  canceled: count,
  expired: count,
});

const ChunkSchema = v.object({
  index: count,
  first: count,
  count: v.pipe(count, v.minValue(1)),
  bytes: count,
  idsHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a sha-256 in hex')),
  state: v.picklist(['planned', 'sending', 'created', 'unknown', 'ambiguous']),
  attempts: v.array(
    v.object({
      startedAt: time,
      endedAt: optional(time),
      outcome: optional(v.picklist(['created', 'unknown', 'refused'])),
      batchId: optional(v.pipe(v.string(), v.minLength(1))),
    }),
  ),
  batchId: optional(v.pipe(v.string(), v.minLength(1))),
  candidates: optional(v.array(v.string())),
  status: optional(v.string()),
  requestCounts: optional(RequestCounts),
  endedAt: optional(v.nullable(v.string())),
  resultsUrl: optional(v.nullable(v.string())),
});

/** A loaded manifest's shape (format v1). Unknown keys are refused at the top level only. */
export const JobManifestSchema = v.pipe(
  v.object({
    format: v.literal(JOB_MANIFEST_FORMAT),
    version: v.literal(JOB_MANIFEST_VERSION),
    jobId: v.pipe(v.string(), v.minLength(1)),
    createdAt: time,
    updatedAt: time,
    source: v.pipe(
      v.record(v.string(), v.union([v.string(), v.number()])),
      v.check((source) => typeof source.kind === 'string', 'source.kind must be a string'),
    ),
    state: v.picklist(['checking', 'submitting', 'submitted', 'failed']),
    totals: v.nullable(v.object({ requests: count, chunks: count })),
    chunks: v.array(ChunkSchema),
    limits: optional(
      v.object({ requests: v.pipe(count, v.minValue(1)), bytes: v.pipe(count, v.minValue(1)) }),
    ),
    problem: optional(
      v.object({ message: v.string(), index: optional(count), custom_id: optional(v.string()) }),
    ),
  }),
  v.check(
    (m) => m.chunks.every((chunk, i) => chunk.index === i),
    'chunks must be listed in order, chunk i at index i',
  ),
  v.check(
    (m) => m.chunks.every((c) => c.state !== 'created' || c.batchId !== undefined),
    'a created chunk must have its batchId',
  ),
);

/**
 * Checks a loaded document: a `msgbatch.job` manifest of version 1.
 *
 * @param value - the parsed document
 * @param where - what to name in the error (a job id or a path)
 * @returns the manifest
 * @throws `JobManifestError` listing every problem
 */
export function checkJobManifest(value: unknown, where = 'the manifest'): JobManifest {
  const format = (value as { format?: unknown } | null)?.format;
  const version = (value as { version?: unknown } | null)?.version;
  if (format === JOB_MANIFEST_FORMAT && version !== JOB_MANIFEST_VERSION) {
    throw new JobManifestError(
      `${where} is version ${String(version)} of the job manifest; this msgbatch reads version ${JOB_MANIFEST_VERSION}.`,
    );
  }
  const parsed = v.safeParse(JobManifestSchema, value);
  if (parsed.success) return value as JobManifest;
  const issues = parsed.issues.map(
    (issue) => `${v.getDotPath(issue) ?? '(document)'}: ${issue.message}`,
  );
  throw new JobManifestError(`${where} is not a valid job manifest: ${issues[0]}`, issues);
}

/**
 * Loads a job's manifest from a store and checks it.
 *
 * @throws `JobNotFoundError` when the store has none; `JobManifestError` when it is not valid
 */
export async function loadJobManifest(store: JobStore, jobId: string): Promise<JobManifest> {
  const manifest = await store.load(jobId);
  if (manifest === undefined) throw new JobNotFoundError(jobId);
  return checkJobManifest(manifest, `the manifest of job ${jobId}`);
}

/** A new manifest, state `checking`, no chunks. */
export function newManifest(jobId: string, source: JobSourceDescription, now: number): JobManifest {
  const at = new Date(now).toISOString();
  return {
    format: JOB_MANIFEST_FORMAT,
    version: JOB_MANIFEST_VERSION,
    jobId,
    createdAt: at,
    updatedAt: at,
    source,
    state: 'checking',
    totals: null,
    chunks: [],
  };
}
