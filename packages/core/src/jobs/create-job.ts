import type { Transport } from '../transport/transport.ts';
import { JobSourceError } from './errors.ts';
import { newManifest } from './manifest.ts';
import { type JobLimits, Planner, toJobSource } from './plan.ts';
import {
  bodyFromSource,
  bodyFromTexts,
  checkLimits,
  foreignSourceErrors,
  JobRun,
  type SendItem,
} from './submit.ts';
import type {
  CreateJobOptions,
  JobChunk,
  JobManifest,
  JobRequest,
  JobSource,
  JobSourceEntry,
} from './types.ts';

/**
 * Submits requests of any number as one job: checks them with create's rules (and
 * `custom_id` unique across the job), splits them into batches by count and body size, and
 * creates the batches `concurrency` at a time; a 429/529 pauses every create. Its state is
 * kept in a manifest in `store` before each create is sent, so that {@link resumeJob} can
 * continue after a crash without creating a batch twice.
 *
 * A re-readable `JobSource` (a file) is checked entirely before the first create, and each
 * batch's body is read again from it as it is sent (constant memory). A plain (async)
 * iterable is one-shot: checked chunk by chunk; a problem stops the job (`state: 'failed'`)
 * with the chunks already created listed in the manifest. Its chunks are held in memory
 * while they are sent.
 *
 * Hint: streamed request bodies need a fetch that supports them (Node, Deno, Bun; in
 * browsers only Chromium over HTTP/2).
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param source - a `JobSource`, or an (async) iterable of `{ custom_id, params }`
 * @param options - `store` (required), `jobId`, `maxRequestsPerBatch`, `maxBytesPerBatch`,
 *   `concurrency`, `graceMs` (how long a create whose answer was lost may take to appear
 *   before it is sent again; default 60 s), `signal`, `onProgress`, request options
 * @returns the manifest, `state: 'submitted'`: every chunk has its batch
 * @throws `JobSourceError` for a bad request (before any create for a re-readable source);
 *   `JobAmbiguityError` when a lost create answer could match several batches;
 *   `InvalidArgumentError` for a bad option
 * @example
 * const job = await createJob(client.transport, requests, { store: new MemoryJobStore() });
 * const done = await waitForJob(client.transport, job, { store });
 */
export async function createJob(
  transport: Transport,
  source: JobSource | Iterable<JobRequest> | AsyncIterable<JobRequest>,
  options: CreateJobOptions,
): Promise<JobManifest> {
  const { maxRequestsPerBatch, maxBytesPerBatch, jobId, ...rest } = options;
  const limits = checkLimits(maxRequestsPerBatch, maxBytesPerBatch);
  const from = toJobSource(source);
  const manifest: JobManifest = {
    ...newManifest(jobId ?? newJobId(), from.describe(), transport.config.clock.now()),
    limits,
  };
  const run = new JobRun(transport, manifest, rest);
  await run.save();
  if (!from.rereadable) return run.submit(oneShotSupply(run, from, limits));
  await planAll(run, from, limits);
  return run.submit(plannedSupply(run, from));
}

/** Checks a re-readable source entirely and saves the plan; a problem fails the job before any create. */
export async function planAll(run: JobRun, source: JobSource, limits: JobLimits): Promise<void> {
  const { manifest } = run;
  const planner = new Planner(limits, false, (earlier, id) => idAt(source, earlier, id));
  const add = (planned: Awaited<ReturnType<Planner['finish']>>) => {
    if (planned) manifest.chunks.push(newChunk(manifest.chunks.length, planned));
  };
  try {
    for await (const entry of source.entries(0)) add(await planner.add(entry));
    add(await planner.finish());
  } catch (error) {
    if (error instanceof JobSourceError) {
      manifest.chunks = [];
      manifest.state = 'failed';
      manifest.problem = { message: error.message, index: error.index, custom_id: error.customId };
      await run.save();
    }
    throw error;
  }
  if (planner.requests === 0) {
    manifest.state = 'failed';
    manifest.problem = { message: 'The source holds no request.' };
    await run.save();
    throw new JobSourceError('The source holds no request.');
  }
  manifest.totals = { requests: planner.requests, chunks: manifest.chunks.length };
  manifest.state = 'submitting';
  await run.save();
  run.emit({ type: 'checked', requests: planner.requests, chunks: manifest.chunks.length });
}

/** The planned chunks of the manifest, bodies read again from the source. */
export async function* plannedSupply(run: JobRun, source: JobSource): AsyncGenerator<SendItem> {
  for (const chunk of run.manifest.chunks) {
    if (chunk.state === 'planned') yield { chunk, body: bodyFromSource(source, chunk) };
  }
}

/**
 * A one-shot source read chunk by chunk as workers ask. The chunks the manifest already
 * lists (a resume) are read again and must hash the same; those still `planned` are sent.
 */
export async function* oneShotSupply(
  run: JobRun,
  source: JobSource,
  limits: JobLimits,
): AsyncGenerator<SendItem> {
  const { manifest } = run;
  const known = manifest.chunks.length;
  manifest.state = 'submitting';
  // A one-shot source cannot be read again: a 64-bit hash match with an earlier chunk's id
  // counts as a repeat (a false one has a chance of about 3 in 10⁸ for a million ids).
  const planner = new Planner(limits, true, async () => true);
  let index = 0;
  const take = function* (planned: Awaited<ReturnType<Planner['finish']>>): Generator<SendItem> {
    if (!planned) return;
    let chunk = manifest.chunks[index];
    if (chunk) {
      if (chunk.idsHash !== planned.idsHash || chunk.count !== planned.count) {
        throw new JobSourceError(
          `The source's requests from ${chunk.first} are not the ones chunk ${chunk.index} was made of; give resumeJob the job's own source.`,
          { index: chunk.first },
        );
      }
    } else {
      chunk = newChunk(index, planned);
      manifest.chunks.push(chunk);
    }
    index++;
    if (index < known) planner.forcedCount = manifest.chunks[index]!.count;
    if (chunk.state === 'planned') yield { chunk, body: bodyFromTexts(planned.texts ?? []) };
  };
  if (known > 0) planner.forcedCount = manifest.chunks[0]!.count;
  // While the chunks already made are read again, any problem means another source.
  const foreign = (error: unknown) => {
    if (index < known && error instanceof JobSourceError) foreignSourceErrors.add(error);
    return error;
  };
  try {
    for await (const entry of source.entries(0)) {
      yield* take(await planner.add(entry as JobSourceEntry));
    }
    yield* take(await planner.finish());
    if (index < known) {
      const last = manifest.chunks[known - 1]!;
      throw new JobSourceError(
        `The source ended after ${planner.requests} requests; the job's chunks go on to ${last.first + last.count}.`,
      );
    }
  } catch (error) {
    throw foreign(error);
  }
  if (planner.requests === 0) throw new JobSourceError('The source holds no request.');
  manifest.totals = { requests: planner.requests, chunks: manifest.chunks.length };
  await run.save();
  run.emit({ type: 'checked', requests: planner.requests, chunks: manifest.chunks.length });
}

function newChunk(
  index: number,
  planned: { first: number; count: number; bytes: number; idsHash: string },
): JobChunk {
  const { first, count, bytes, idsHash } = planned;
  return { index, first, count, bytes, idsHash, state: 'planned', attempts: [] };
}

/** Whether request `index` of a re-readable source has the custom_id `id`. */
async function idAt(source: JobSource, index: number, id: string): Promise<boolean> {
  for await (const entry of source.entries(index)) {
    return entry.index === index && entry.request?.custom_id === id;
  }
  return false;
}

/** `job_` and 20 random characters of base 32. */
export function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let id = 'job_';
  for (const byte of bytes) id += 'abcdefghijklmnopqrstuvwxyz234567'[byte & 31];
  return id;
}
