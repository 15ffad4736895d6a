import {
  APIUserAbortError,
  type MessageBatch,
  NotFoundError,
  WaitTimeoutError,
} from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { requests, setup } from './helpers.ts';

const retrieves = (seen: { method: string; path: string }[]) =>
  seen.filter((s) => s.method === 'GET' && /batches\/[^/]+$/.test(s.path)).length;

describe('waitForEnd', () => {
  it('polls with pauses growing from 1 s by 1.5x to 30 s and returns the ended batch', async () => {
    const { batches, sleeps } = setup({ rate: 1, pollRetryAfter: false });
    const created = await batches.create({ requests: requests(100) });
    const progress: MessageBatch[] = [];
    const ended = await batches.waitForEnd(created.id, { onProgress: (b) => progress.push(b) });
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 100,
      errored: 0,
      canceled: 0,
      expired: 0,
    });
    expect(sleeps).toEqual([
      1000, 1500, 2250, 3375, 5062.5, 7593.75, 11390.625, 17085.9375, 25628.90625, 30000,
    ]);
    // Documented counts: nothing changes until the end, so two callbacks only.
    expect(progress.map((b) => b.processing_status)).toEqual(['in_progress', 'ended']);
  });

  it('honours the retry-after: 10 of in-progress polls as the shortest pause', async () => {
    const { batches, sleeps, seen } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(100) });
    const ended = await batches.waitForEnd(created.id);
    expect(ended.processing_status).toBe('ended');
    // The backoff (1, 1.5, 2.25, … s) never pauses less than the 10 s the API asks for.
    expect(sleeps).toEqual([
      10000, 10000, 10000, 10000, 10000, 10000, 11390.625, 17085.9375, 25628.90625,
    ]);
    expect(seen.filter((s) => s.method === 'GET')).toHaveLength(10);
  });

  it('never waits past maxWait for a retry-after: the last pause is cut to the deadline', async () => {
    const { batches, sleeps, emulator } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(100) });
    const start = emulator.clock.now();
    const error = await batches.waitForEnd(created.id, { maxWait: 15_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(sleeps).toEqual([10000, 5000]);
    expect(emulator.clock.now() - start).toBe(15_000);
  });

  it('takes a retry-after hint only up to maxPollInterval', async () => {
    const { batches, sleeps } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(3) });
    await batches.waitForEnd(created.id, { pollInterval: 200, maxPollInterval: 500 });
    expect(new Set(sleeps)).toEqual(new Set([500]));
  });

  it('calls onProgress on every change of the counts, and only then', async () => {
    const { batches } = setup({ rate: 1, progressiveCounts: true });
    const created = await batches.create({ requests: requests(10) });
    const progress: MessageBatch[] = [];
    await batches.waitForEnd(created.id, {
      pollInterval: 500,
      maxPollInterval: 500,
      onProgress: (b) => progress.push(b),
    });
    const done = progress.map((b) => 10 - b.request_counts.processing);
    // Polls every 0.5 s at 1 request/s: each count shows up exactly once, in order.
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress.at(-1)?.processing_status).toBe('ended');
  });

  it('does not report polls where nothing changed (a long cancel drain)', async () => {
    const { batches } = setup({ rate: 1, cancelDrainMs: 10_000 });
    const created = await batches.create({ requests: requests(100) });
    await batches.cancel(created.id);
    const statuses: string[] = [];
    const { batch } = await batches.cancelAndWait(created.id, {
      onProgress: (b) => statuses.push(b.processing_status),
    });
    expect(batch.processing_status).toBe('ended');
    expect(statuses).toEqual(['canceling', 'ended']);
  });

  it('waits at least the retry-after the server sends with a poll', async () => {
    const { batches, sleeps } = setup({ rate: 1 }, (request, response) => {
      if (request.method !== 'GET') return response;
      const headers = new Headers(response.headers);
      headers.set('retry-after', '20');
      return new Response(response.body, { status: response.status, headers });
    });
    const created = await batches.create({ requests: requests(30) });
    await batches.waitForEnd(created.id);
    expect(sleeps).toEqual([20_000, 20_000]);
  });

  it('stops at once on abort, mid-wait, without another poll', async () => {
    const { batches, seen, clock } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(100) });
    const controller = new AbortController();
    let sleeping = 0;
    // A sleep that only ends by abort: the wait is caught in the middle of a pause.
    clock.sleep = (_ms, signal) =>
      new Promise((_, reject) => {
        sleeping++;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        queueMicrotask(() => controller.abort(new Error('user pressed Ctrl-C')));
      });
    const waiting = batches.waitForEnd(created.id, { signal: controller.signal });
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
    expect(sleeping).toBe(1);
    expect(retrieves(seen)).toBe(1);
  });

  it('rejects with APIUserAbortError before any request when already aborted', async () => {
    const { batches, seen } = setup();
    const created = await batches.create({ requests: requests(5) });
    const before = seen.length;
    await expect(
      batches.waitForEnd(created.id, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen.length).toBe(before);
  });

  it('fails with WaitTimeoutError after maxWait, having polled at the deadline', async () => {
    const { batches, emulator, seen } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(1000) });
    const start = emulator.clock.now();
    const error = await batches.waitForEnd(created.id, { maxWait: 10_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.batchId).toBe(created.id);
    expect(emulator.clock.now() - start).toBe(10_000);
    const polls = seen.filter((s) => s.method === 'GET');
    expect(polls.at(-1)?.at).toBe(start + 10_000);
  });

  it('keeps polling through a few failed polls (500s)', async () => {
    const { batches, emulator } = setup({ rate: 10 });
    const created = await batches.create({ requests: requests(20) });
    // 3 answers of 500: the first poll's attempt and its 2 transport retries fail; the wait polls again.
    emulator.faults.add({ operation: 'retrieve', type: 'status', status: 500, times: 3 });
    const ended = await batches.waitForEnd(created.id);
    expect(ended.processing_status).toBe('ended');
  });

  it('gives up after repeated failures, with the server error', async () => {
    const { batches, emulator } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(20) });
    emulator.faults.add({ operation: 'retrieve', type: 'status', status: 503, times: Infinity });
    const error = await batches.waitForEnd(created.id).catch((e) => e);
    expect(error.status).toBe(503);
  });

  it('fails fast on an unknown batch', async () => {
    const { batches, sleeps } = setup();
    await expect(batches.waitForEnd('msgbatch_nope')).rejects.toBeInstanceOf(NotFoundError);
    expect(sleeps).toEqual([]);
  });
});
