import {
  APIError,
  APIUserAbortError,
  InvalidArgumentError,
  OverloadedError,
  RateLimitError,
  UnexpectedRedirectError,
} from '../errors.ts';
import { sendCreate } from '../operations/create-batch.ts';
import { MAX_CREATE_BODY_BYTES, MAX_REQUESTS_PER_BATCH } from '../schemas/create-params.ts';
import type { MessageBatch } from '../schemas/message-batch.ts';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../transport/retry.ts';
import type { RequestOptions, Transport } from '../transport/transport.ts';
import { createGate } from '../workflows/shared.ts';
import { JobAmbiguityError, JobSourceError, JobStateError } from './errors.ts';
import { checkJobManifest } from './manifest.ts';
import { chunkBodyStream, idsHash, type JobLimits } from './plan.ts';
import { reconcileChunks } from './reconcile.ts';
import { recordBatch } from './shared.ts';
import type { JobChunk, JobEvent, JobManifest, JobSource, JobStore } from './types.ts';

/**
 * Source errors that say the source given to `resumeJob` is not the job's (its requests differ
 * from the chunks already made): the call fails, the job does not.
 */
export const foreignSourceErrors = new WeakSet<object>();

/** Tries per chunk while the API answers 429/529. */
const MAX_REFUSALS = 8;

/** A chunk ready to send, with where its body comes from. */
export interface SendItem {
  chunk: JobChunk;
  /** A fresh stream of the chunk's create body, per attempt. */
  body: () => ReadableStream<Uint8Array>;
}

/** What a job's run shares: the manifest (mutated in place), saving in order, events. */
export class JobRun {
  readonly transport: Transport;
  readonly manifest: JobManifest;
  readonly store: JobStore;
  readonly request: Omit<RequestOptions, 'maxRetries'>;
  readonly onProgress: ((event: JobEvent) => void) | undefined;
  readonly concurrency: number;
  readonly skewMs: number;
  readonly graceMs: number;
  readonly gate: ReturnType<typeof createGate>;
  /** Bodies of the chunks this run sent, for re-creating one that reconciliation finds absent. */
  readonly bodies = new Map<number, () => ReadableStream<Uint8Array>>();
  #saving: Promise<void> = Promise.resolve();

  constructor(
    transport: Transport,
    manifest: JobManifest,
    options: {
      store: JobStore;
      concurrency?: number | undefined;
      skewMs?: number | undefined;
      graceMs?: number | undefined;
      onProgress?: ((event: JobEvent) => void) | undefined;
    } & Omit<RequestOptions, 'maxRetries'>,
  ) {
    const {
      store,
      concurrency = 2,
      skewMs = 5 * 60_000,
      graceMs = 60_000,
      onProgress,
      ...request
    } = options;
    checkInteger('concurrency', concurrency, 1, 1000);
    checkInteger('skewMs', skewMs, 0, Number.MAX_SAFE_INTEGER);
    checkInteger('graceMs', graceMs, 0, 24 * 3600_000);
    this.transport = transport;
    this.manifest = manifest;
    this.store = store;
    this.request = request;
    this.onProgress = onProgress;
    this.concurrency = concurrency;
    this.skewMs = skewMs;
    this.graceMs = graceMs;
    this.gate = createGate(transport.config.clock);
  }

  now(): string {
    return new Date(this.transport.config.clock.now()).toISOString();
  }

  emit(event: JobEvent): void {
    this.onProgress?.(event);
  }

  /**
   * The batches the other jobs of the store were told by a create's answer are theirs
   * (`attempt.batchId`), when the store can list its jobs. A manifest that does not load or
   * check is passed over: it only means fewer batches are ruled out.
   */
  async batchesOfOtherJobs(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const jobId of (await this.store.list?.()) ?? []) {
      if (jobId === this.manifest.jobId) continue;
      const other = await this.store
        .load(jobId)
        .then((value) => checkJobManifest(value, jobId))
        .catch(() => undefined);
      for (const chunk of other?.chunks ?? []) {
        for (const attempt of chunk.attempts) if (attempt.batchId) ids.add(attempt.batchId);
      }
    }
    return ids;
  }

  /** Saves the manifest as it is now, after every earlier save. */
  save(): Promise<void> {
    this.manifest.updatedAt = this.now();
    const copy = structuredClone(this.manifest);
    this.#saving = this.#saving.then(() => this.store.save(copy));
    return this.#saving;
  }

  /**
   * Sends every chunk `supply` gives, `concurrency` at a time, then reconciles the chunks
   * whose outcome was lost and sends again those found absent. A `JobSourceError` from the
   * supply stops new sends; the ones in flight finish and the job is `failed`.
   */
  async submit(supply: AsyncIterator<SendItem>): Promise<JobManifest> {
    let stop: unknown;
    const worker = async () => {
      while (stop === undefined) {
        let next: IteratorResult<SendItem>;
        try {
          next = await supply.next();
        } catch (error) {
          stop ??= error;
          return;
        }
        if (next.done) return;
        try {
          await this.send(next.value);
        } catch (error) {
          stop ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    if (stop !== undefined) {
      await supply.return?.();
      if (stop instanceof JobSourceError && !foreignSourceErrors.has(stop)) {
        this.manifest.state = 'failed';
        this.manifest.problem = {
          message: stop.message,
          index: stop.index,
          custom_id: stop.customId,
        };
        await this.save();
      }
      throw stop;
    }
    return this.settle();
  }

  /** Reconciles what is `sending`/`unknown`/`ambiguous`, re-sends what is absent, sets the state. */
  async settle(): Promise<JobManifest> {
    const { manifest } = this;
    for (let round = 0; round < 3; round++) {
      const open = manifest.chunks.filter((c) => c.state === 'sending' || c.state === 'unknown');
      if (open.length === 0) break;
      await reconcileChunks(this, open);
      const absent = open.filter((c) => c.state === 'planned' && this.bodies.has(c.index));
      for (const chunk of absent) await this.send({ chunk, body: this.bodies.get(chunk.index)! });
    }
    const ambiguous = manifest.chunks.filter((c) => c.state === 'ambiguous');
    const done =
      manifest.totals !== null &&
      manifest.chunks.length === manifest.totals.chunks &&
      manifest.chunks.every((c) => c.state === 'created');
    manifest.state = done ? 'submitted' : 'submitting';
    await this.save();
    if (ambiguous.length > 0) {
      throw new JobAmbiguityError(
        manifest.jobId,
        ambiguous.map((c) => ({ index: c.index, candidates: c.candidates ?? [] })),
      );
    }
    const left = manifest.chunks.filter((c) => c.state !== 'created');
    if (!done && left.length > 0) {
      throw new JobStateError(
        manifest.jobId,
        `chunk(s) ${left.map((c) => c.index).join(', ')} are not created (${left.map((c) => c.state).join(', ')}); run resumeJob again.`,
      );
    }
    return manifest;
  }

  /** Creates one chunk's batch; a 429/529 closes the gate for every worker and tries again. */
  async send({ chunk, body }: SendItem): Promise<void> {
    this.bodies.set(chunk.index, body);
    for (let refusals = 0; ; ) {
      await this.gate.pass(this.request.signal);
      const attempt: JobChunk['attempts'][number] = { startedAt: this.now() };
      chunk.state = 'sending';
      chunk.attempts.push(attempt);
      await this.save();
      this.emit({ type: 'chunk-intent', chunk: chunk.index });
      let batch: MessageBatch;
      this.emit({ type: 'chunk-sending', chunk: chunk.index });
      try {
        batch = await sendCreate(
          this.transport,
          () => ({
            method: 'POST',
            path: '/v1/messages/batches',
            body: { stream: body, bytes: chunk.bytes },
            idempotent: false,
          }),
          { ...this.request, maxRetries: 0 },
        );
      } catch (error) {
        attempt.endedAt = this.now();
        if (
          (error instanceof RateLimitError || error instanceof OverloadedError) &&
          ++refusals < MAX_REFUSALS
        ) {
          const ms =
            (error as RateLimitError).retryAfterMs ??
            parseRetryAfter(error.headers, this.transport.config.clock.now()) ??
            backoffDelay(refusals - 1, this.transport.config.random);
          attempt.outcome = 'refused';
          chunk.state = 'planned';
          await this.save();
          if (ms > MAX_RETRY_AFTER_MS) throw error;
          this.gate.close(ms);
          this.emit({ type: 'paused', ms });
          continue;
        }
        // Only an answer from the API (a 4xx) says that nothing was made. Anything else
        // (a lost connection, a 5xx, an abort while the body was out) may have made the
        // batch: the chunk is `unknown`, and only reconciliation may say.
        const status = (error as { status?: unknown }).status;
        if (
          error instanceof UnexpectedRedirectError ||
          (error instanceof APIError && typeof status === 'number' && status >= 400 && status < 500)
        ) {
          attempt.outcome = 'refused';
          chunk.state = 'planned';
          await this.save();
          throw error;
        }
        attempt.outcome = 'unknown';
        chunk.state = 'unknown';
        await this.save();
        this.emit({ type: 'chunk-unknown', chunk: chunk.index, error });
        // An abort stops the job; a lost answer does not.
        if (error instanceof APIUserAbortError) throw error;
        return;
      }
      attempt.endedAt = this.now();
      attempt.outcome = 'created';
      attempt.batchId = batch.id;
      recordBatch(chunk, batch);
      await this.save();
      this.emit({ type: 'chunk-created', chunk: chunk.index, batchId: batch.id });
      return;
    }
  }
}

/** The limits given to `createJob`, checked. */
export function checkLimits(requests: number | undefined, bytes: number | undefined): JobLimits {
  const limits = {
    requests: requests ?? MAX_REQUESTS_PER_BATCH,
    bytes: bytes ?? MAX_CREATE_BODY_BYTES,
  };
  checkInteger('maxRequestsPerBatch', limits.requests, 1, MAX_REQUESTS_PER_BATCH);
  checkInteger('maxBytesPerBatch', limits.bytes, 64, MAX_CREATE_BODY_BYTES);
  return limits;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new InvalidArgumentError(name, `must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/**
 * A chunk's body read again from a re-readable source: its `count` requests from `first`.
 * Before the body completes, the ids read are hashed and compared with the chunk's: a source
 * that changed errors the stream, so no batch of the wrong requests is made.
 */
export function bodyFromSource(
  source: JobSource,
  chunk: JobChunk,
): () => ReadableStream<Uint8Array> {
  return () => {
    const entries = source.entries(chunk.first)[Symbol.asyncIterator]();
    const ids: string[] = [];
    let index = chunk.first;
    const texts: AsyncIterator<string> = {
      async next() {
        if (ids.length === chunk.count) return { done: true, value: undefined };
        const next = await entries.next();
        if (next.done || next.value.index !== index) throw changed(chunk);
        index++;
        ids.push(next.value.request.custom_id);
        return { done: false, value: next.value.text };
      },
      async return() {
        await entries.return?.();
        return { done: true, value: undefined };
      },
    };
    return chunkBodyStream(texts, async () => {
      await entries.return?.();
      if ((await idsHash(ids)) !== chunk.idsHash) throw changed(chunk);
    });
  };
}

/** A chunk's body from its texts in memory (a one-shot source). */
export function bodyFromTexts(texts: readonly string[]): () => ReadableStream<Uint8Array> {
  return () => chunkBodyStream(texts[Symbol.iterator]());
}

function changed(chunk: JobChunk): JobSourceError {
  return new JobSourceError(
    `The source's requests ${chunk.first} to ${chunk.first + chunk.count - 1} are not the ones chunk ${chunk.index} was planned with; the source changed since it was checked.`,
    { index: chunk.first },
  );
}
