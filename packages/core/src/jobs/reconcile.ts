import { batchResults } from '../operations/batch-results.ts';
import { listBatches } from '../operations/list-batches.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import type { RequestOptions, Transport } from '../transport/transport.ts';
import { pause } from '../workflows/shared.ts';
import { idsHash } from './plan.ts';
import { recordBatch } from './shared.ts';
import type { JobChunk, JobEvent, JobManifest } from './types.ts';

/** What reconciliation needs of a run (`JobRun` in submit.ts). */
export interface ReconcileRun {
  readonly transport: Transport;
  readonly manifest: JobManifest;
  readonly skewMs: number;
  readonly graceMs: number;
  readonly request: Omit<RequestOptions, 'maxRetries'>;
  save(): Promise<void>;
  emit(event: JobEvent): void;
  /** Batches other jobs of the store certainly own (see `JobChunkAttempt.batchId`). */
  batchesOfOtherJobs(): Promise<Set<string>>;
  now(): string;
}

/**
 * Finds the batches of chunks whose create was sent but whose answer never arrived
 * (`sending` after a crash, `unknown`, or `ambiguous` from an earlier try). For each, the
 * candidates are the batches created within its attempts' window (widened by the skew) with
 * as many requests as the chunk, not already the batch of another chunk of the job, and not
 * named by a create's answer in another job's manifest in the same store.
 * None, once every create cut short has had `graceMs` to appear (a `chunk-settling` event,
 * then a wait and a second listing): the chunk is `planned` again (to be created). One: it is the chunk's batch, confirmed
 * by the hash of the ids in its results once it has ended (a mismatch is not its batch).
 * Several: those that have ended and whose ids do not match are dropped; if more than one
 * remains the chunk is `ambiguous`, with them as `candidates`. Nothing is ever created here.
 */
export async function reconcileChunks(
  run: ReconcileRun,
  chunks: readonly JobChunk[],
): Promise<void> {
  if (chunks.length === 0) return;
  const { transport } = run;
  const { clock } = transport.config;
  const started = clock.now();
  let found = await findCandidates(run, chunks);
  // A create cut short (the process died, or its answer was lost) may still be turning into
  // a batch at the API: listed too early, it is absent, and creating the chunk again would
  // make a duplicate once it appears. So "absent" waits until every such create has had
  // `graceMs` to appear, then lists again.
  const timeout = run.request.timeout ?? transport.config.timeout;
  const settleBy = (chunk: JobChunk) => {
    const last = chunk.attempts[chunk.attempts.length - 1];
    if (!last || last.outcome === 'refused' || last.outcome === 'created') return -Infinity;
    // An attempt with no end recorded ended when its process died, and no later than its
    // timeout (the upload is aborted with it).
    const ended = last.endedAt
      ? Date.parse(last.endedAt)
      : Math.min(started, Date.parse(last.startedAt) + timeout);
    return ended + run.graceMs;
  };
  const waiting = chunks.filter((c) => found.get(c)!.length === 0 && settleBy(c) > clock.now());
  if (waiting.length > 0) {
    const until = Math.max(...waiting.map(settleBy));
    for (const chunk of waiting) {
      run.emit({
        type: 'chunk-settling',
        chunk: chunk.index,
        until: new Date(until).toISOString(),
      });
    }
    await pause(clock, until - clock.now(), run.request.signal);
    found = await findCandidates(run, chunks);
  }
  await decide(run, chunks, found);
}

/** The batches each chunk could be (see {@link reconcileChunks}), listed now. */
async function findCandidates(
  run: ReconcileRun,
  chunks: readonly JobChunk[],
): Promise<Map<JobChunk, MessageBatch[]>> {
  const { manifest, transport, skewMs } = run;
  const now = transport.config.clock.now();
  const windows = new Map<JobChunk, [number, number]>();
  for (const chunk of chunks) {
    const open = chunk.attempts.filter((a) => a.outcome !== 'refused' && a.outcome !== 'created');
    const tried = open.length > 0 ? open : chunk.attempts;
    const start = Math.min(...tried.map((a) => Date.parse(a.startedAt)));
    const end = Math.max(...tried.map((a) => (a.endedAt ? Date.parse(a.endedAt) : now)));
    windows.set(chunk, [start - skewMs, (Number.isFinite(end) ? end : now) + skewMs]);
  }
  const earliest = Math.min(...[...windows.values()].map(([start]) => start));
  const claimed = claimedBatches(manifest);
  for (const id of await run.batchesOfOtherJobs()) claimed.add(id);
  // Newest first: stop at the first batch older than every window.
  const listed: MessageBatch[] = [];
  for await (const batch of listBatches(transport, { limit: 100 }, run.request)) {
    const created = Date.parse(batch.created_at);
    if (created < earliest) break;
    listed.push(batch);
  }
  const found = new Map<JobChunk, MessageBatch[]>();
  for (const chunk of chunks) {
    const [start, end] = windows.get(chunk)!;
    const candidates = listed.filter((batch) => {
      const created = Date.parse(batch.created_at);
      return (
        created >= start &&
        created <= end &&
        !claimed.has(batch.id) &&
        totalRequests(batch) === chunk.count
      );
    });
    // Ended candidates are confirmed (or ruled out) by the ids in their results.
    const confirmed: MessageBatch[] = [];
    for (const batch of candidates) {
      if (batch.processing_status !== 'ended') confirmed.push(batch);
      else if ((await resultsIdsHash(run, batch.id)) === chunk.idsHash) confirmed.push(batch);
    }
    found.set(chunk, confirmed);
  }
  return found;
}

function claimedBatches(manifest: JobManifest): Set<string> {
  return new Set(
    manifest.chunks.filter((c) => c.state === 'created' && c.batchId).map((c) => c.batchId!),
  );
}

/** Records what the candidates say of each chunk: absent, its batch, or ambiguous. */
async function decide(
  run: ReconcileRun,
  chunks: readonly JobChunk[],
  found: Map<JobChunk, MessageBatch[]>,
): Promise<void> {
  const claimed = claimedBatches(run.manifest);
  // An unended batch that could be the batch of two chunks being reconciled (same count,
  // overlapping windows) is neither's until its results tell them apart by the ids hash:
  // recording it for the first would re-create the other, a silent duplicate.
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const batch of [...found.values()].flat()) {
    if (batch.processing_status === 'ended') continue;
    if (seen.has(batch.id)) shared.add(batch.id);
    seen.add(batch.id);
  }
  for (const chunk of chunks) {
    const candidates = found.get(chunk)!.filter((batch) => !claimed.has(batch.id));
    if (candidates.length === 0) {
      chunk.state = 'planned';
      chunk.candidates = undefined;
      for (const attempt of chunk.attempts) if (!attempt.outcome) attempt.outcome = 'unknown';
      await run.save();
      run.emit({ type: 'chunk-reconciled', chunk: chunk.index, batchId: null });
    } else if (candidates.length === 1 && !shared.has(candidates[0]!.id)) {
      const batch = candidates[0]!;
      claimed.add(batch.id);
      const open = chunk.attempts.filter((a) => !a.outcome || a.outcome === 'unknown');
      const last = open[open.length - 1];
      if (last) {
        last.outcome = 'created';
        last.endedAt ??= run.now();
      }
      recordBatch(chunk, batch);
      await run.save();
      run.emit({ type: 'chunk-reconciled', chunk: chunk.index, batchId: batch.id });
    } else {
      chunk.state = 'ambiguous';
      chunk.candidates = candidates.map((b) => b.id);
      await run.save();
      run.emit({ type: 'chunk-ambiguous', chunk: chunk.index, candidates: chunk.candidates });
    }
  }
}

function totalRequests(batch: MessageBatch): number {
  const c = batch.request_counts;
  return c.processing + c.succeeded + c.errored + c.canceled + c.expired;
}

/** The ids hash of an ended batch's results (as `idsHash` computes a chunk's). */
async function resultsIdsHash(run: ReconcileRun, batchId: string): Promise<string> {
  const ids: string[] = [];
  const results = await batchResults(run.transport, batchId, run.request);
  for await (const line of results.lines()) {
    ids.push((JSON.parse(line) as { custom_id: string }).custom_id);
  }
  return idsHash(ids);
}
