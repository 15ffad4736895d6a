import {
  createJob,
  JobSourceError,
  jobResults,
  loadJobManifest,
  summarizeJob,
  waitForJob,
} from '@msgbatch/core';
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
});
