import { batchResults } from '../operations/batch-results.ts';
import { retrieveBatch } from '../operations/retrieve-batch.ts';
import type { Transport } from '../transport/transport.ts';
import { JobStateError } from './errors.ts';
import { jobOf } from './shared.ts';
import type { JobManifest, JobReadOptions, JobResultLine } from './types.ts';

/**
 * Every result line of a job, batch after batch in chunk order, each typed as `results()`
 * gives it and with its `batch_id`. Streams: one batch's download at a time, constant memory.
 * Every batch must have ended (see {@link waitForJob}).
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param job - the job's id or manifest
 * @param options - `store`, `signal`, request options
 * @throws `JobStateError` (a chunk without a batch, or a batch not ended) before its lines
 * @example
 * for await (const line of jobResults(transport, jobId, { store })) {
 *   if (line.result.type === 'succeeded') console.log(line.custom_id, line.batch_id);
 * }
 */
export async function* jobResults(
  transport: Transport,
  job: string | JobManifest,
  options: JobReadOptions,
): AsyncGenerator<JobResultLine> {
  const { store, ...request } = options;
  const manifest = await jobOf(store, job);
  const missing = manifest.chunks.filter((c) => c.state !== 'created');
  if (manifest.state !== 'submitted' || missing.length > 0) {
    throw new JobStateError(
      manifest.jobId,
      `it is ${manifest.state}; not every chunk has a batch.`,
    );
  }
  for (const chunk of manifest.chunks) {
    const batchId = chunk.batchId!;
    if (chunk.status !== 'ended') {
      const batch = await retrieveBatch(transport, batchId, request);
      if (batch.processing_status !== 'ended') {
        throw new JobStateError(
          manifest.jobId,
          `batch ${batchId} (chunk ${chunk.index}) has not ended; waitForJob first.`,
        );
      }
    }
    const results = await batchResults(transport, batchId, request);
    for await (const line of results) {
      yield Object.assign(line, { batch_id: batchId });
    }
  }
}
