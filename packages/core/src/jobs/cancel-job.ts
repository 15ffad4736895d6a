import type { MessageBatch } from '../schemas/message-batch.ts';
import type { Transport } from '../transport/transport.ts';
import { cancelMany } from '../workflows/cancel-many.ts';
import { summarizeResults } from '../workflows/summarize-results.ts';
import { waitForEnd } from '../workflows/wait-for-end.ts';
import { emptyIds, jobOf, OUTCOMES, recordBatch } from './shared.ts';
import type { CancelJobOptions, JobCancelChunk, JobCancelReport, JobManifest } from './types.ts';

/**
 * Cancels every batch of a job that is still processing (through `cancelMany`: bounded
 * concurrency, a 429/529 pauses every cancel), waits until each has ended, and reports per
 * batch and in total which custom_ids ended `canceled`, `succeeded`, `errored` or `expired`,
 * read from the results (the cancel reconciliation of one batch, across the job). Chunks never
 * created are `not_submitted` with their request counts.
 *
 * Hint: a job still being submitted elsewhere goes on creating its other chunks; stop that
 * process first. A chunk whose create outcome is unknown or ambiguous is reported
 * `not_submitted` with an `error` saying so: resume the job to learn its batch.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param job - the job's id or manifest
 * @param options - `store`, `concurrency`, `pollInterval`, `signal`, `onProgress`
 * @returns a {@link JobCancelReport}: every request of the job counted once
 * @example
 * const report = await cancelJob(client.transport, jobId, { store });
 * console.log(report.totals.canceled, 'canceled of', report.chunks.length, 'batches');
 */
export async function cancelJob(
  transport: Transport,
  job: string | JobManifest,
  options: CancelJobOptions,
): Promise<JobCancelReport> {
  const { store, concurrency, pollInterval = 1000, onProgress, ...request } = options;
  const manifest = await jobOf(store, job);
  const report: JobCancelReport = {
    jobId: manifest.jobId,
    chunks: [],
    totals: { canceled: 0, succeeded: 0, errored: 0, expired: 0, not_submitted: 0, unknown: 0 },
  };
  const created = manifest.chunks.filter((c) => c.state === 'created' && c.batchId);
  const open = created.filter((c) => c.status !== 'ended').map((c) => c.batchId!);
  const outcomes = new Map(
    (await cancelMany(transport, open, { ...request, concurrency })).map((o) => [o.id, o]),
  );
  for (const chunk of manifest.chunks) {
    const entry: JobCancelChunk = {
      chunk: chunk.index,
      batchId: chunk.batchId ?? null,
      status: 'not_submitted',
      count: chunk.count,
      ids: emptyIds(),
    };
    report.chunks.push(entry);
    if (chunk.state !== 'created' || !chunk.batchId) {
      if (chunk.state !== 'planned') {
        entry.error = `chunk ${chunk.index} is ${chunk.state}: its create was sent but its batch is not known; resume the job to learn it.`;
      }
      report.totals.not_submitted += chunk.count;
      continue;
    }
    const outcome = outcomes.get(chunk.batchId);
    entry.status =
      outcome === undefined || outcome.status === 'already_ended'
        ? 'already_ended'
        : outcome.status === 'canceled'
          ? 'canceled'
          : 'failed';
    if (entry.status === 'failed') {
      entry.error = outcome?.error;
      report.totals.unknown += chunk.count;
      continue;
    }
    try {
      let batch: MessageBatch | undefined;
      if (chunk.status !== 'ended') {
        batch = await waitForEnd(transport, chunk.batchId, { ...request, pollInterval });
      }
      // The ended batch waitForEnd gave is not retrieved again: 3 requests a batch, not 4.
      const summary = await summarizeResults(transport, chunk.batchId, { ...request, batch });
      batch = summary.batch;
      recordBatch(chunk, batch);
      onProgress?.({ type: 'batch-status', chunk: chunk.index, batch });
      for (const type of OUTCOMES) {
        entry.ids[type] = summary.customIds[type] ?? [];
        report.totals[type] += entry.ids[type].length;
      }
      const counted = OUTCOMES.reduce((n, type) => n + entry.ids[type].length, 0);
      report.totals.unknown += Math.max(0, chunk.count - counted);
    } catch (error) {
      entry.status = 'failed';
      entry.error = error;
      report.totals.unknown += chunk.count;
    }
  }
  manifest.updatedAt = new Date(transport.config.clock.now()).toISOString();
  await store.save(manifest);
  return report;
}
