import {
  BatchesWithJobs,
  cancelJob,
  createJob,
  type JobEvent,
  loadJobManifest,
  summarizeJob,
} from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { arraySource, jobRequests, jobSetup } from './jobs-helpers.ts';

describe('cancelJob', () => {
  it('cancels every batch in progress and accounts for every custom_id', async () => {
    const s = jobSetup({ rate: 10, nonInterruptibleShare: 0.1, cancelDrainMs: 2000 });
    const list = jobRequests(250);
    const job = await createJob(s.transport, arraySource(list), {
      store: s.store,
      maxRequestsPerBatch: 100,
    });
    s.emulator.clock.advance(3000);
    const report = await cancelJob(s.transport, job.jobId, { store: s.store });
    expect(report.chunks.map((c) => c.status)).toEqual(['canceled', 'canceled', 'canceled']);
    // Each ended batch is retrieved once (by the wait), not again before its results.
    expect([...s.endedRetrieves.values()]).toEqual([1, 1, 1]);
    const ids = report.chunks.flatMap((c) => [
      ...c.ids.succeeded,
      ...c.ids.errored,
      ...c.ids.canceled,
      ...c.ids.expired,
    ]);
    expect(ids).toHaveLength(250);
    expect(new Set(ids)).toEqual(new Set(list.map((r) => r.custom_id)));
    const { totals } = report;
    expect(totals.canceled).toBeGreaterThan(0);
    expect(totals.succeeded).toBeGreaterThan(0);
    expect(totals.canceled + totals.succeeded + totals.errored + totals.expired).toBe(250);
    expect(totals.not_submitted + totals.unknown).toBe(0);
    // What each batch says matches what its results say.
    for (const chunk of report.chunks) {
      const batch = await s.client.messages.batches.retrieve(chunk.batchId!);
      expect(batch.processing_status).toBe('ended');
      expect(chunk.ids.canceled).toHaveLength(batch.request_counts.canceled);
    }
    const saved = await loadJobManifest(s.store, job.jobId);
    expect(saved.chunks.every((c) => c.status === 'ended')).toBe(true);
    // After the cancel, the summary agrees with the report.
    const summary = await summarizeJob(s.transport, job.jobId, { store: s.store });
    expect(summary.counts.canceled).toBe(totals.canceled);
  });

  it('reports chunks never created as not_submitted, and ended batches as already_ended', async () => {
    const s = jobSetup({ rate: 1000 });
    const list = jobRequests(250);
    await createJob(s.transport, arraySource(list), {
      store: s.store,
      jobId: 'job_part',
      maxRequestsPerBatch: 100,
      concurrency: 1,
      onProgress: (e: JobEvent) => {
        if (e.type === 'chunk-created' && e.chunk === 1) throw new Error('stopped');
      },
    }).catch(() => {});
    s.emulator.clock.advance(60_000);
    const report = await cancelJob(s.transport, 'job_part', { store: s.store });
    expect(report.chunks.map((c) => [c.status, c.count])).toEqual([
      ['already_ended', 100],
      ['already_ended', 100],
      ['not_submitted', 50],
    ]);
    expect(report.totals).toEqual({
      canceled: 0,
      succeeded: 200,
      errored: 0,
      expired: 0,
      not_submitted: 50,
      unknown: 0,
    });
  });

  it('is reachable as client methods through BatchesWithJobs', async () => {
    const s = jobSetup({ rate: 10 });
    const batches = new BatchesWithJobs(s.transport);
    const job = await batches.createJob(jobRequests(30), {
      store: s.store,
      maxRequestsPerBatch: 20,
    });
    const report = await batches.cancelJob(job, { store: s.store });
    expect(report.chunks).toHaveLength(2);
    const lines = [];
    for await (const line of batches.jobResults(job.jobId, { store: s.store })) lines.push(line);
    expect(lines).toHaveLength(30);
    expect(new Set(lines.map((l) => l.batch_id))).toEqual(
      new Set(job.chunks.map((c) => c.batchId)),
    );
    const summary = await batches.summarizeJob(job.jobId, { store: s.store });
    expect(summary.counts.canceled + summary.counts.succeeded).toBe(30);
  });
});
