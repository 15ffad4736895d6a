import { InvalidArgumentError } from '../errors.ts';
import { WaitTimeoutError } from '../errors-later.ts';
import { retrieveBatch } from '../operations/retrieve-batch.ts';
import type { Transport } from '../transport/transport.ts';
import { pause } from '../workflows/shared.ts';
import { JobStateError } from './errors.ts';
import { jobOf, recordBatch } from './shared.ts';
import type { JobManifest, WaitForJobOptions } from './types.ts';

/**
 * Polls every batch of a submitted job until all have ended, recording each one's status and
 * counts in the manifest as they change. The wait grows from `pollInterval` (default 5 s)
 * by half each poll up to 60 s, on the transport's clock.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param job - the job's id or manifest
 * @param options - `store`, `pollInterval`, `maxWait`, `signal`, `onProgress` (`batch-status`)
 * @returns the manifest, every chunk `status: 'ended'`
 * @throws `JobStateError` when the job is not submitted (chunks without a batch);
 *   `WaitTimeoutError` after `maxWait`; `APIUserAbortError` on abort
 */
export async function waitForJob(
  transport: Transport,
  job: string | JobManifest,
  options: WaitForJobOptions,
): Promise<JobManifest> {
  const { store, pollInterval = 5_000, maxWait, onProgress, ...request } = options;
  if (!(pollInterval > 0)) throw new InvalidArgumentError('pollInterval', 'must be > 0');
  const manifest = await jobOf(store, job);
  if (manifest.state !== 'submitted') {
    throw new JobStateError(
      manifest.jobId,
      `it is ${manifest.state}: not every chunk has its batch yet (resumeJob first).`,
    );
  }
  const { clock } = transport.config;
  const started = clock.now();
  for (let wait = pollInterval; ; wait = Math.min(wait * 1.5, 60_000)) {
    let changed = false;
    for (const chunk of manifest.chunks) {
      if (chunk.status === 'ended') continue;
      const batch = await retrieveBatch(transport, chunk.batchId!, request);
      changed ||=
        batch.processing_status !== chunk.status ||
        JSON.stringify(batch.request_counts) !== JSON.stringify(chunk.requestCounts);
      recordBatch(chunk, batch);
      onProgress?.({ type: 'batch-status', chunk: chunk.index, batch });
    }
    if (changed) {
      manifest.updatedAt = new Date(clock.now()).toISOString();
      await store.save(manifest);
    }
    if (manifest.chunks.every((c) => c.status === 'ended')) return manifest;
    const left = maxWait === undefined ? wait : Math.min(wait, started + maxWait - clock.now());
    if (left <= 0) {
      const open = manifest.chunks.find((c) => c.status !== 'ended')!;
      throw new WaitTimeoutError(open.batchId!, maxWait!);
    }
    await pause(clock, left, request.signal);
  }
}
