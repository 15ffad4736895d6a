import type { MessageBatch } from '../schemas/message-batch.ts';
import { loadJobManifest } from './manifest.ts';
import type { JobChunk, JobIdsByOutcome, JobManifest, JobStore, JobUsage } from './types.ts';

/** A job given by id (loaded from the store) or as its manifest (checked). */
export async function jobOf(store: JobStore, job: string | JobManifest): Promise<JobManifest> {
  return loadJobManifest(store, typeof job === 'string' ? job : job.jobId);
}

export const OUTCOMES = ['succeeded', 'errored', 'canceled', 'expired'] as const;

export const emptyIds = (): JobIdsByOutcome => ({
  succeeded: [],
  errored: [],
  canceled: [],
  expired: [],
});

export const emptyUsage = (): JobUsage => ({
  input_tokens: 0,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
});

/** Copies what a batch says into its chunk. */
export function recordBatch(chunk: JobChunk, batch: MessageBatch): void {
  chunk.state = 'created';
  chunk.batchId = batch.id;
  chunk.candidates = undefined;
  chunk.status = batch.processing_status;
  chunk.requestCounts = { ...batch.request_counts };
  chunk.endedAt = batch.ended_at ?? null;
  chunk.resultsUrl = batch.results_url ?? null;
}
