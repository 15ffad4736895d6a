import type { Transport } from '../transport/transport.ts';
import { jobResults } from './job-results.ts';
import { emptyIds, emptyUsage, jobOf, OUTCOMES } from './shared.ts';
import type {
  JobBatchSummary,
  JobManifest,
  JobReadOptions,
  JobSummary,
  JobUsage,
} from './types.ts';

const USAGE_KEYS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const satisfies readonly (keyof JobUsage)[];

/**
 * Reads every result of an ended job once: the lines per outcome (`succeeded`, `errored`,
 * `canceled`, `expired`), their custom_ids, and the token usage summed from the succeeded
 * lines, per batch and in total.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param job - the job's id or manifest
 * @param options - `store`, `signal`, request options
 * @throws `JobStateError` when a chunk has no batch or a batch has not ended
 * @example
 * const { counts, usage } = await summarizeJob(transport, jobId, { store });
 */
export async function summarizeJob(
  transport: Transport,
  job: string | JobManifest,
  options: JobReadOptions,
): Promise<JobSummary> {
  const manifest = await jobOf(options.store, job);
  const batches = new Map<string, JobBatchSummary>();
  for (const chunk of manifest.chunks) {
    batches.set(chunk.batchId ?? '', {
      chunk: chunk.index,
      batchId: chunk.batchId ?? '',
      counts: { succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ids: emptyIds(),
      usage: emptyUsage(),
    });
  }
  for await (const line of jobResults(transport, manifest, options)) {
    const batch = batches.get(line.batch_id)!;
    const type = line.result.type as (typeof OUTCOMES)[number];
    if (!OUTCOMES.includes(type)) continue;
    batch.counts[type]++;
    batch.ids[type].push(line.custom_id);
    if (line.result.type === 'succeeded') {
      const usage = line.result.message.usage as unknown as Record<
        string,
        number | null | undefined
      >;
      for (const key of USAGE_KEYS) batch.usage[key] += usage?.[key] ?? 0;
    }
  }
  const summary: JobSummary = {
    jobId: manifest.jobId,
    batches: [...batches.values()],
    counts: { succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ids: emptyIds(),
    usage: emptyUsage(),
  };
  for (const batch of summary.batches) {
    for (const type of OUTCOMES) {
      summary.counts[type] += batch.counts[type];
      for (const id of batch.ids[type]) summary.ids[type].push(id);
    }
    for (const key of USAGE_KEYS) summary.usage[key] += batch.usage[key];
  }
  return summary;
}
