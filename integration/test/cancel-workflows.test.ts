import {
  APIUserAbortError,
  BadRequestError,
  type CancelOutcome,
  InternalServerError,
  NotFoundError,
} from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { requests, setup } from './helpers.ts';

describe('cancelAndWait', () => {
  it('cancels an in-progress batch and returns it ended, with cancellations', async () => {
    const { batches, emulator } = setup({
      rate: 10,
      nonInterruptibleShare: 0.1,
      cancelDrainMs: 2000,
    });
    const created = await batches.create({ requests: requests(100) });
    emulator.clock.advance(3001); // 30 of 100 done (creation time has sub-ms jitter)
    const { batch, alreadyEnded } = await batches.cancelAndWait(created.id);
    expect(alreadyEnded).toBe(false);
    expect(batch.processing_status).toBe('ended');
    expect(batch.cancel_initiated_at).not.toBeNull();
    // 70 not done; 10% (7) were in flight and finish; 63 are canceled.
    expect(batch.request_counts).toEqual({
      processing: 0,
      succeeded: 37,
      errored: 0,
      canceled: 63,
      expired: 0,
    });
  });

  it('returns an already ended batch with alreadyEnded: true, not an error', async () => {
    const { batches, emulator, cancels } = setup({ rate: 1 });
    const created = await batches.create({ requests: requests(10) });
    emulator.clock.advance(60_000);
    const { batch, alreadyEnded } = await batches.cancelAndWait(created.id);
    expect(alreadyEnded).toBe(true);
    expect(batch.processing_status).toBe('ended');
    expect(batch.cancel_initiated_at).toBeNull();
    expect(cancels()).toHaveLength(1);
  });

  it('judges a 400 in other words by the batch state', async () => {
    const { batches, emulator } = setup({ rate: 1 });
    const ended = await batches.create({ requests: requests(10) });
    emulator.clock.advance(60_000);
    const running = await batches.create({ requests: requests(1000) });
    const body = {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Nope.' },
      request_id: null,
    };
    emulator.faults.add({ operation: 'cancel', type: 'status', status: 400, body, times: 2 });
    expect(await batches.cancelAndWait(ended.id)).toMatchObject({ alreadyEnded: true });
    await expect(batches.cancelAndWait(running.id)).rejects.toBeInstanceOf(BadRequestError);
  });

  it('passes a 404 through', async () => {
    const { batches } = setup();
    await expect(batches.cancelAndWait('msgbatch_missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('cancelMany', () => {
  async function mixed() {
    const env = setup({ rate: 1, cancelDrainMs: 600_000 });
    const { batches, emulator } = env;
    const ended = await batches.create({ requests: requests(5) });
    emulator.clock.advance(10_000);
    const running = [];
    for (let i = 0; i < 6; i++) running.push(await batches.create({ requests: requests(1000) }));
    return { ...env, ended, running };
  }

  it('accounts for every id: canceled, already ended, not found, failed', async () => {
    const { batches, emulator, ended, running } = await mixed();
    const [a, b, c, d, e, f] = running.map((r) => r.id) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    emulator.faults.add({
      path: `/v1/messages/batches/${b}/cancel`,
      type: 'status',
      status: 500,
      times: Infinity,
    });
    emulator.faults.add({
      path: `/v1/messages/batches/${c}/cancel`,
      type: 'status',
      status: 503,
      times: 2,
    });
    emulator.faults.add({ path: `/v1/messages/batches/${d}/cancel`, type: 'status', status: 404 });
    const ids = [a, ended.id, 'msgbatch_unknown', b, c, d, e, f, a];
    const progress: number[] = [];
    const outcomes = await batches.cancelMany(ids, {
      onProgress: (_o, p) => progress.push(p.done),
    });
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      [a, 'canceled'],
      [ended.id, 'already_ended'],
      ['msgbatch_unknown', 'not_found'],
      [b, 'failed'],
      [c, 'canceled'],
      [d, 'not_found'],
      [e, 'canceled'],
      [f, 'canceled'],
    ]);
    const failed = outcomes[3] as CancelOutcome;
    expect(failed.error).toBeInstanceOf(InternalServerError);
    expect(outcomes[0]?.batch?.processing_status).toBe('canceling');
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(emulator.store.counts()).toMatchObject({ in_progress: 2, canceling: 4 });
  });

  it('retries a failing id at most maxAttempts times', async () => {
    const { batches, emulator, running, cancels } = await mixed();
    const id = running[0]!.id;
    emulator.faults.add({
      path: `/v1/messages/batches/${id}/cancel`,
      type: 'status',
      status: 500,
      times: Infinity,
    });
    const [outcome] = await batches.cancelMany([id], { maxAttempts: 3 });
    expect(outcome?.status).toBe('failed');
    expect(cancels()).toHaveLength(3);
  });

  it('makes every worker wait out a 429, with one shared pause', async () => {
    const { batches, emulator, running, cancels, sleeps } = await mixed();
    const ids = running.map((r) => r.id);
    // The whole first wave meets a 429: which answer a worker reads first is up to the
    // event loop, so every worker of the wave gets one and all must wait the one pause.
    for (const id of ids.slice(0, 3)) {
      emulator.faults.add({
        path: `/v1/messages/batches/${id}/cancel`,
        type: 'status',
        status: 429,
        headers: { 'retry-after': '7' },
      });
    }
    const t0 = emulator.clock.now();
    const outcomes = await batches.cancelMany(ids, { concurrency: 3 });
    expect(outcomes.every((o) => o.status === 'canceled')).toBe(true);
    const calls = cancels();
    expect(calls).toHaveLength(ids.length + 3);
    // The first wave (3 workers) went out together; nothing more until the 7 s pause ended.
    expect(calls.slice(0, 3).map((c) => c.at)).toEqual([t0, t0, t0]);
    expect(calls.slice(3).every((c) => c.at === t0 + 7000)).toBe(true);
    expect(sleeps).toEqual([7000]);
  });

  it('works through the emulator rate limit without losing an id', async () => {
    const { batches, sleeps } = setup({ rate: 1, rateLimit: { requestsPerMinute: 4 } });
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await batches.create({ requests: requests(1000) }));
    sleeps.length = 0;
    const ids = [...created.map((c) => c.id), 'msgbatch_gone', created[0]!.id];
    const outcomes = await batches.cancelMany(ids, { concurrency: 4, maxAttempts: 10 });
    expect(outcomes.map((o) => o.status)).toEqual([
      'canceled',
      'canceled',
      'canceled',
      'not_found',
    ]);
    // 3 creates used 3 of the 4 requests of the window: the pool waited once for a new window.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(50_000);
  });

  it('keeps at most `concurrency` cancels in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const env = setup({ rate: 1 });
    const created = [];
    for (let i = 0; i < 8; i++)
      created.push(await env.batches.create({ requests: requests(1000) }));
    const realFetch = env.emulator.fetch;
    const client = env.client.withOptions({
      fetch: async (input, init) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        try {
          return await realFetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    const outcomes = await client.messages.batches.cancelMany(
      created.map((c) => c.id),
      { concurrency: 2 },
    );
    expect(outcomes).toHaveLength(8);
    expect(most).toBe(2);
  });

  it('walks the list for a filter: in progress, within the created window', async () => {
    const { batches, emulator } = setup({ rate: 1 });
    const old = await batches.create({ requests: requests(1000) });
    emulator.clock.advance(60_000);
    const mid = await batches.create({ requests: requests(1000) });
    const small = await batches.create({ requests: requests(5) });
    emulator.clock.advance(60_000);
    const recent = await batches.create({ requests: requests(1000) });
    const createdAfter = new Date(Date.parse(old.created_at) + 1);
    const createdBefore = recent.created_at;
    const outcomes = await batches.cancelMany({
      status: 'in_progress',
      createdAfter,
      createdBefore,
    });
    expect(outcomes.map((o) => o.id)).toEqual([mid.id]);
    expect(small.id).not.toBe(mid.id);
    const all = await batches.cancelMany({ status: 'in_progress' });
    expect(all.map((o) => o.id).sort()).toEqual([old.id, recent.id].sort());
  });

  it('is safe to run again: canceling batches are accepted, ended ones reported', async () => {
    const { batches, emulator } = setup({ rate: 1, cancelDrainMs: 5000 });
    const a = await batches.create({ requests: requests(1000) });
    const first = await batches.cancelMany([a.id]);
    const again = await batches.cancelMany([a.id]);
    emulator.clock.advance(10_000);
    const third = await batches.cancelMany([a.id]);
    expect([first, again, third].map((o) => o[0]?.status)).toEqual([
      'canceled',
      'canceled',
      'already_ended',
    ]);
    expect(again[0]?.batch?.processing_status).toBe('canceling');
  });

  it('on abort, still returns one outcome per id', async () => {
    const { batches, running } = await mixed();
    const controller = new AbortController();
    const ids = running.map((r) => r.id);
    const outcomes = await batches.cancelMany(ids, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (_o, p) => {
        if (p.done === 2) controller.abort();
      },
    });
    expect(outcomes).toHaveLength(6);
    expect(outcomes.slice(0, 2).map((o) => o.status)).toEqual(['canceled', 'canceled']);
    for (const o of outcomes.slice(2)) {
      expect(o.status).toBe('failed');
      expect(o.error).toBeInstanceOf(APIUserAbortError);
    }
  });
});
