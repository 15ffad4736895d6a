import type { Transport } from '../transport/transport.ts';
import { oneShotSupply, planAll, plannedSupply } from './create-job.ts';
import { JobSourceError, JobStateError } from './errors.ts';
import { loadJobManifest } from './manifest.ts';
import { toJobSource } from './plan.ts';
import { reconcileChunks } from './reconcile.ts';
import { checkLimits, JobRun } from './submit.ts';
import type { JobManifest, JobSourceDescription, ResumeJobOptions } from './types.ts';

/**
 * Continues a job whose process stopped at any point. Chunks whose create was sent but whose
 * answer never arrived (`sending` after a crash, `unknown`) are reconciled first: the batches
 * created within the attempt's time window with as many requests as the chunk are listed;
 * none (after `graceMs`, in case a create cut short appears late) → the chunk is created again, one → it is the chunk's batch (confirmed by the ids in
 * its results once it has ended), several → the chunk is `ambiguous` and is not created.
 * Then the chunks never sent are sent, as {@link createJob} would.
 *
 * Hint: a duplicate is never created silently. When chunks stay ambiguous, everything else is
 * done first, then it rejects with `JobAmbiguityError` naming each chunk's candidate batches.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param jobId - the job's id (the manifest's `jobId`)
 * @param options - `store`; `source`, the job's own source (its description must match),
 *   needed when chunks remain to be sent; `concurrency`, `skewMs`, `graceMs` (a create cut short by the crash
 *   may still turn into a batch: a chunk with no batch listed is sent again only after this
 *   long, default 60 s, and a second listing), `signal`, `onProgress`
 * @returns the manifest, `state: 'submitted'`
 * @throws `JobNotFoundError`, `JobManifestError`, `JobSourceError` (another source),
 *   `JobStateError` (a failed job, or a source needed and not given), `JobAmbiguityError`
 */
export async function resumeJob(
  transport: Transport,
  jobId: string,
  options: ResumeJobOptions,
): Promise<JobManifest> {
  const manifest = await loadJobManifest(options.store, jobId);
  const { source: given, ...rest } = options;
  if (manifest.state === 'failed') {
    throw new JobStateError(
      jobId,
      `it failed (${manifest.problem?.message ?? 'no reason recorded'}); it cannot be resumed. Fix the source and create a new job.`,
    );
  }
  const source = given === undefined ? undefined : toJobSource(given);
  if (source && !sameDescription(source.describe(), manifest.source)) {
    throw new JobSourceError(
      `The source given is not job ${jobId}'s: it is ${JSON.stringify(source.describe())}, the job's is ${JSON.stringify(manifest.source)}.`,
    );
  }
  const run = new JobRun(transport, manifest, rest);
  const limits = manifest.limits ?? checkLimits(undefined, undefined);
  const open = manifest.chunks.filter((c) => ['sending', 'unknown', 'ambiguous'].includes(c.state));
  if (open.length > 0) {
    await reconcileChunks(run, open);
  }
  const needsSource =
    manifest.totals === null || manifest.chunks.some((c) => c.state === 'planned');
  if (!needsSource) return run.settle();
  if (!source) {
    throw new JobStateError(
      jobId,
      manifest.totals === null
        ? 'its requests were not all read; give resumeJob the job’s source.'
        : `chunk(s) ${manifest.chunks
            .filter((c) => c.state === 'planned')
            .map((c) => c.index)
            .join(', ')} are still to be created; give resumeJob the job’s source.`,
    );
  }
  if (!source.rereadable) return run.submit(oneShotSupply(run, source, limits));
  if (manifest.state === 'checking' || manifest.totals === null) {
    // Stopped while checking: nothing was sent. Check again from the start.
    manifest.chunks = [];
    await planAll(run, source, limits);
  }
  return run.submit(plannedSupply(run, source));
}

function sameDescription(a: JobSourceDescription, b: JobSourceDescription): boolean {
  const keys = Object.keys(a).sort();
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}
