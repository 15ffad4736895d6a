import {
  createJob,
  JobSourceError,
  jobResults,
  loadJobManifest,
  MemoryJobStore,
  MsgbatchClient,
  summarizeJob,
  waitForJob,
} from '@msgbatch/core';
import { createEmulator } from '@msgbatch/emulator';
import { describe, expect, it } from 'vitest';
import { arraySource, jobRequests, jobSetup, oneShot } from './jobs-helpers.ts';

describe('createJob against the emulator', () => {
  it('splits by count, creates every batch once, and the results hold each id once', async () => {
    const { transport, store, creates, events, onProgress } = jobSetup();
    const list = jobRequests(250);
    const job = await createJob(transport, arraySource(list), {
      store,
      maxRequestsPerBatch: 100,
      onProgress,
    });
    expect(job.state).toBe('submitted');
    expect(job.totals).toEqual({ requests: 250, chunks: 3 });
    expect(job.chunks.map((c) => [c.first, c.count, c.state])).toEqual([
      [0, 100, 'created'],
      [100, 100, 'created'],
      [200, 50, 'created'],
    ]);
    expect(creates).toHaveLength(3);
    // The body each create carried is the size the plan recorded.
    expect(creates.map((c) => c.bytes).sort()).toEqual(job.chunks.map((c) => c.bytes).sort());
    expect(events[0]).toEqual({ type: 'checked', requests: 250, chunks: 3 });
    expect(await loadJobManifest(store, job.jobId)).toEqual(job);

    const ended = await waitForJob(transport, job.jobId, { store, pollInterval: 1000 });
    expect(ended.chunks.every((c) => c.status === 'ended')).toBe(true);
    const seen = new Map<string, string>();
    for await (const line of jobResults(transport, job.jobId, { store })) {
      expect(seen.has(line.custom_id)).toBe(false);
      seen.set(line.custom_id, line.batch_id);
    }
    expect(seen.size).toBe(250);
    expect(seen.get('req-150')).toBe(job.chunks[1]!.batchId);
  });

  it('splits by body bytes: no body over the limit, each as planned', async () => {
    const { transport, store, creates } = jobSetup();
    const list = jobRequests(120);
    const one = JSON.stringify(list[0]).length;
    const maxBytesPerBatch = 15 + 25 * (one + 1);
    const job = await createJob(transport, arraySource(list), { store, maxBytesPerBatch });
    expect(job.chunks.length).toBeGreaterThan(4);
    for (const chunk of job.chunks) expect(chunk.bytes).toBeLessThanOrEqual(maxBytesPerBatch);
    expect(job.chunks.reduce((n, c) => n + c.count, 0)).toBe(120);
    expect(creates.map((c) => c.bytes).sort()).toEqual(job.chunks.map((c) => c.bytes).sort());
  });

  it('streams a large chunk body in pieces, not as one buffer', async () => {
    const { transport, store, creates } = jobSetup();
    const job = await createJob(transport, arraySource(jobRequests(3000)), { store });
    expect(job.chunks).toHaveLength(1);
    expect(creates[0]!.bytes).toBe(job.chunks[0]!.bytes);
    // ~64 KB pieces: a body of this size arrives in several.
    expect(creates[0]!.pieces).toBeGreaterThan(2);
  });

  it('refuses a custom_id repeated across chunks before any create (re-readable source)', async () => {
    const { transport, store, creates } = jobSetup();
    const list = jobRequests(250);
    list[230] = { ...list[230]!, custom_id: 'req-40' };
    const error = await createJob(transport, arraySource(list), {
      store,
      maxRequestsPerBatch: 100,
      jobId: 'job_dup',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobSourceError);
    expect(error).toMatchObject({ index: 230, customId: 'req-40' });
    expect((error as Error).message).toContain('request 40');
    expect((error as Error).message).not.toContain('question');
    expect(creates).toHaveLength(0);
    const manifest = await loadJobManifest(store, 'job_dup');
    expect(manifest).toMatchObject({ state: 'failed', chunks: [], problem: { index: 230 } });
  });

  it('refuses a bad request before any create, naming it and never its params', async () => {
    const { transport, store, creates } = jobSetup();
    const list = jobRequests(50);
    (list[7] as { custom_id: string }).custom_id = 'has space';
    const error = await createJob(transport, arraySource(list), { store }).catch((e) => e);
    expect(error).toBeInstanceOf(JobSourceError);
    expect(error).toMatchObject({ index: 7, customId: undefined });
    expect(creates).toHaveLength(0);
  });

  it('stops a one-shot job at a repeated custom_id, with the chunks already created listed', async () => {
    const { transport, store, creates } = jobSetup();
    const list = jobRequests(300);
    list[180] = { ...list[180]!, custom_id: 'req-3' };
    const error = await createJob(transport, oneShot(list), {
      store,
      maxRequestsPerBatch: 100,
      concurrency: 1,
      jobId: 'job_oneshot',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobSourceError);
    expect(error).toMatchObject({ index: 180, customId: 'req-3' });
    const manifest = await loadJobManifest(store, 'job_oneshot');
    expect(manifest.state).toBe('failed');
    expect(manifest.problem).toMatchObject({ index: 180, custom_id: 'req-3' });
    expect(manifest.totals).toBeNull();
    expect(manifest.chunks.map((c) => [c.index, c.state])).toEqual([[0, 'created']]);
    expect(creates).toHaveLength(1);
  });

  it('a one-shot source of plain requests is sent and summarized', async () => {
    const { transport, store } = jobSetup();
    const job = await createJob(transport, jobRequests(130), { store, maxRequestsPerBatch: 50 });
    expect(job.totals).toEqual({ requests: 130, chunks: 3 });
    await waitForJob(transport, job, { store });
    const summary = await summarizeJob(transport, job, { store });
    expect(summary.counts).toEqual({ succeeded: 130, errored: 0, canceled: 0, expired: 0 });
    expect(summary.batches.map((b) => b.counts.succeeded)).toEqual([50, 50, 30]);
    expect(new Set(summary.ids.succeeded).size).toBe(130);
  });

  it('sums usage from the succeeded lines, per batch and in total', async () => {
    const { transport, store, client } = jobSetup();
    const job = await createJob(transport, arraySource(jobRequests(60)), {
      store,
      maxRequestsPerBatch: 25,
    });
    await waitForJob(transport, job, { store });
    const summary = await summarizeJob(transport, job, { store });
    const expected = { input_tokens: 0, output_tokens: 0 };
    for (const chunk of job.chunks) {
      let input = 0;
      for await (const line of await client.messages.batches.results(chunk.batchId!)) {
        if (line.result.type !== 'succeeded') continue;
        input += line.result.message.usage.input_tokens;
        expected.output_tokens += line.result.message.usage.output_tokens;
      }
      expected.input_tokens += input;
      expect(summary.batches[chunk.index]!.usage.input_tokens).toBe(input);
    }
    expect(summary.usage).toMatchObject(expected);
    expect(summary.usage.input_tokens).toBeGreaterThan(0);
  });

  it('a 429 or 529 on create pauses every create, then all are made once', async () => {
    const { transport, store, creates, events, onProgress, emulator } = jobSetup();
    emulator.faults.add({
      operation: 'create',
      type: 'status',
      status: 429,
      headers: { 'retry-after-ms': '5000' },
    });
    emulator.faults.add({
      operation: 'create',
      type: 'status',
      status: 529,
      headers: { 'retry-after-ms': '3000' },
    });
    const started = emulator.clock.now();
    const job = await createJob(transport, arraySource(jobRequests(400)), {
      store,
      maxRequestsPerBatch: 100,
      concurrency: 2,
      onProgress,
    });
    expect(job.state).toBe('submitted');
    const pauses = events.filter((e) => e.type === 'paused');
    expect(pauses).toEqual([
      { type: 'paused', ms: 5000 },
      { type: 'paused', ms: 3000 },
    ]);
    // Two refused, four created; no create got through before the first pause had passed.
    expect(creates).toHaveLength(6);
    for (const create of creates.slice(2)) expect(create.at).toBeGreaterThanOrEqual(started + 5000);
    const ids = new Set(job.chunks.map((c) => c.batchId));
    expect(ids.size).toBe(4);
    expect(job.chunks.flatMap((c) => c.attempts.map((a) => a.outcome))).toEqual(
      expect.arrayContaining(['refused', 'refused', 'created', 'created', 'created', 'created']),
    );
  });

  it('a 500 on create leaves the chunk unknown; reconciled as absent, it is created once', async () => {
    const { transport, store, creates, events, onProgress, emulator } = jobSetup();
    emulator.faults.add({ operation: 'create', type: 'status', status: 500 });
    const job = await createJob(transport, arraySource(jobRequests(150)), {
      store,
      maxRequestsPerBatch: 100,
      concurrency: 1,
      onProgress,
    });
    expect(job.state).toBe('submitted');
    expect(events).toContainEqual(expect.objectContaining({ type: 'chunk-unknown', chunk: 0 }));
    expect(events).toContainEqual({ type: 'chunk-reconciled', chunk: 0, batchId: null });
    expect(creates).toHaveLength(3);
    expect(emulator.store.size).toBe(2);
  });

  it('streams a chunk over a real socket (127.0.0.1) with the runtime’s fetch', async () => {
    const emulator = createEmulator({ clock: 'manual', rate: 1000 });
    const server = await emulator.listen({ port: 0 });
    try {
      const client = new MsgbatchClient({
        apiKey: 'test-key',
        baseURL: server.url,
        clock: { now: () => emulator.clock.now(), sleep: async () => {} },
        logLevel: 'off',
      });
      const store = new MemoryJobStore();
      const list = jobRequests(2500);
      const job = await createJob(client.transport, arraySource(list), {
        store,
        maxRequestsPerBatch: 1000,
      });
      expect(job.chunks.map((c) => c.state)).toEqual(['created', 'created', 'created']);
      const stored = job.chunks.map((c) => emulator.store.requests(c.batchId!)?.length);
      expect(stored).toEqual([1000, 1000, 500]);
    } finally {
      await server.close();
    }
  });
});
