import { IndividualResponseSchema } from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.ts';
import { expectValid, HEADERS, request, requests, setup } from './helpers.ts';

async function endedBatch(seed: string, count: number) {
  const ctx = setup({ seed });
  const batch = await ctx.create(requests(count));
  ctx.emulator.clock.advance(60_000);
  return { ...ctx, batch };
}

describe('results stream', () => {
  it('has one valid line per request, each custom_id exactly once', async () => {
    const { results, batch } = await endedBatch('s', 500);
    const lines = await results(batch.id);
    expect(lines).toHaveLength(500);
    for (const line of lines) expectValid(IndividualResponseSchema, line);
    expect(new Set(lines.map((l) => l.custom_id)).size).toBe(500);
  });

  it('shuffles deterministically: same seed same order, request order not kept', async () => {
    const a = await endedBatch('seed-a', 50);
    const b = await endedBatch('seed-a', 50);
    const c = await endedBatch('seed-c', 50);
    const order = async (ctx: typeof a) =>
      (await ctx.results(ctx.batch.id)).map((l) => l.custom_id);
    const orderA = await order(a);
    expect(await order(b)).toEqual(orderA);
    expect(await order(a)).toEqual(orderA);
    expect(orderA).not.toEqual(requests(50).map((r) => r.custom_id));
    expect(await order(c)).not.toEqual(orderA);
  });

  it('reproduces message ids across runs with the same seed', async () => {
    const a = await endedBatch('ids', 3);
    const b = await endedBatch('ids', 3);
    expect(await a.results(a.batch.id)).toEqual(await b.results(b.batch.id));
  });

  it('streams in several chunks instead of one string', async () => {
    const { call, batch } = await endedBatch('chunks', 5000);
    const response = await call('GET', `/v1/messages/batches/${batch.id}/results`);
    const reader = response.body!.getReader();
    let chunks = 0;
    let newlines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      expect(value.byteLength).toBeLessThan(80 * 1024);
      for (const byte of value) if (byte === 10) newlines++;
    }
    expect(chunks).toBeGreaterThan(5);
    expect(newlines).toBe(5000);
  });

  it('serves the same results again (results are re-readable until archived)', async () => {
    const { results, batch } = await endedBatch('again', 10);
    expect(await results(batch.id)).toEqual(await results(batch.id));
  });
});

describe('store inspector', () => {
  it('lists, gets, counts and exposes outcomes in request order', async () => {
    const { emulator, create } = setup({ rate: 1 });
    const a = await create([request('ok'), request('bad', { max_tokens: 0 })]);
    const b = await create(requests(5));
    emulator.clock.advance(2000);
    expect(emulator.store.size).toBe(2);
    expect(emulator.store.list().map((x) => x.id)).toEqual([b.id, a.id]);
    expect(emulator.store.get(a.id)?.processing_status).toBe('ended');
    expect(emulator.store.counts()).toEqual({ in_progress: 1, canceling: 0, ended: 1 });
    expect(emulator.store.requests(a.id)?.map((r) => r.custom_id)).toEqual(['ok', 'bad']);
    expect(emulator.store.results(a.id)?.map((l) => [l.custom_id, l.result.type])).toEqual([
      ['ok', 'succeeded'],
      ['bad', 'errored'],
    ]);
    expect(emulator.store.results(b.id)).toBeUndefined();
    expect(emulator.store.get('msgbatch_none')).toBeUndefined();
  });
});

describe('real clock', () => {
  it('processes at the configured rate on wall time', async () => {
    const emulator = createEmulator({ rate: 1000 });
    const response = await emulator.fetch('http://localhost/v1/messages/batches', {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({ requests: requests(5) }),
    });
    const { id } = (await response.json()) as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(emulator.store.get(id)?.processing_status).toBe('ended');
    expect(() => emulator.clock.advance(1)).toThrow(TypeError);
  });
});
