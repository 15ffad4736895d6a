import { IndividualResponseSchema, MessageBatchSchema } from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { expectValid, request, requests, setup } from './helpers.ts';

const HOUR = 3_600_000;

describe('processing on the manual clock', () => {
  it('keeps every request in processing until the whole batch ends (documented rule)', async () => {
    const { emulator, create, retrieve } = setup({ rate: 2 });
    const batch = await create([...requests(3), request('bad', { model: 'gpt-4' })]);
    emulator.clock.advance(1500);
    const during = await retrieve(batch.id);
    expect(during.processing_status).toBe('in_progress');
    expect(during.request_counts).toEqual({
      processing: 4,
      succeeded: 0,
      errored: 0,
      canceled: 0,
      expired: 0,
    });
    emulator.clock.advance(500);
    const ended = await retrieve(batch.id);
    expectValid(MessageBatchSchema, ended);
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 3,
      errored: 1,
      canceled: 0,
      expired: 0,
    });
    expect(Date.parse(ended.ended_at) - Date.parse(batch.created_at as string)).toBe(2000);
  });

  it('fills counts progressively with progressiveCounts: true', async () => {
    const { emulator, create, retrieve } = setup({ rate: 1, progressiveCounts: true });
    const batch = await create([request('a'), request('b', { stream: true }), request('c')]);
    emulator.clock.advance(2000);
    const during = await retrieve(batch.id);
    expect(during.processing_status).toBe('in_progress');
    expect(during.request_counts).toMatchObject({ processing: 1, succeeded: 1, errored: 1 });
  });

  it('does nothing until the manual clock moves', async () => {
    const { create, retrieve } = setup({ rate: 1 });
    const batch = await create(requests(1));
    expect((await retrieve(batch.id)).processing_status).toBe('in_progress');
  });
});

describe('outcomes', () => {
  it('errors params that break batch rules with the documented line shape', async () => {
    const { emulator, create, results } = setup();
    const batch = await create([
      request('zero', { max_tokens: 0 }),
      request('stream', { stream: true }),
      request('model', { model: 'gpt-4o' }),
      { custom_id: 'nomsg', params: { model: 'claude-x', max_tokens: 5 } },
      request('fine'),
    ]);
    emulator.clock.advance(1000);
    const lines = await results(batch.id);
    for (const line of lines) expectValid(IndividualResponseSchema, line);
    const byId = Object.fromEntries(lines.map((l) => [l.custom_id, l.result]));
    expect(byId.zero.error).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'max_tokens: must be greater than or equal to 1',
      },
      request_id: null,
    });
    expect(byId.stream.error.error.message).toBe(
      '"stream=True" is not supported in the Message Batches API',
    );
    expect(byId.model.error.error).toMatchObject({
      type: 'not_found_error',
      message: 'model: gpt-4o',
    });
    expect(byId.nomsg.error.error.message).toBe('messages: Field required');
    expect(byId.fine.type).toBe('succeeded');
    expect(byId.fine.message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Emulated reply to fine.' }],
      stop_reason: 'end_turn',
      usage: { service_tier: 'batch' },
    });
    expect(byId.fine.message.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
  });

  it('lets an outcome function decide, falling back to the default rule', async () => {
    const { emulator, create, results } = setup({
      outcome: (req, index) =>
        index === 0
          ? { type: 'errored', error: { type: 'overloaded_error', message: 'Overloaded' } }
          : req.custom_id === 'b'
            ? { type: 'succeeded', text: 'custom', message: { stop_reason: 'max_tokens' } }
            : undefined,
    });
    const batch = await create([request('a'), request('b'), request('c', { max_tokens: 0 })]);
    emulator.clock.advance(1000);
    const byId = Object.fromEntries((await results(batch.id)).map((l) => [l.custom_id, l.result]));
    expect(byId.a.error.error.type).toBe('overloaded_error');
    expect(byId.b.message.content[0].text).toBe('custom');
    expect(byId.b.message.stop_reason).toBe('max_tokens');
    expect(byId.c.type).toBe('errored');
  });
});

describe('cancel', () => {
  it('cancels requests not yet started and ends after the drain', async () => {
    const { emulator, call, create, retrieve, results } = setup({
      rate: 1,
      nonInterruptibleShare: 0,
    });
    const batch = await create(requests(10));
    emulator.clock.advance(3500); // r0..r2 done
    await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    emulator.clock.advance(999);
    const canceling = await retrieve(batch.id);
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.request_counts.processing).toBe(10);
    emulator.clock.advance(1);
    const ended = await retrieve(batch.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.cancel_initiated_at).toBe(canceling.cancel_initiated_at);
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 3,
      errored: 0,
      canceled: 7,
      expired: 0,
    });
    const lines = await results(batch.id);
    const canceled = lines.filter((l) => l.result.type === 'canceled').map((l) => l.custom_id);
    expect(canceled.sort()).toEqual(['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(lines.find((l) => l.result.type === 'canceled')!.result).toEqual({ type: 'canceled' });
  });

  it('lets a share of the remaining requests finish (non-interruptible)', async () => {
    const { emulator, call, create, retrieve } = setup({ rate: 1, nonInterruptibleShare: 0.5 });
    const batch = await create(requests(10));
    emulator.clock.advance(2000); // 2 done, 8 remain, 4 in flight
    await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    emulator.clock.advance(1000);
    expect((await retrieve(batch.id)).request_counts).toMatchObject({ succeeded: 6, canceled: 4 });
  });

  it('can produce zero canceled requests when everything left is in flight', async () => {
    const { emulator, call, create, retrieve } = setup({ rate: 1, nonInterruptibleShare: 1 });
    const batch = await create(requests(3));
    await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    emulator.clock.advance(1000);
    const ended = await retrieve(batch.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toMatchObject({ succeeded: 3, canceled: 0 });
    expect(ended.cancel_initiated_at).not.toBeNull();
  });

  it('honours cancelDrainMs', async () => {
    const { emulator, call, create, retrieve } = setup({ rate: 1, cancelDrainMs: 5000 });
    const batch = await create(requests(3));
    await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    emulator.clock.advance(4999);
    expect((await retrieve(batch.id)).processing_status).toBe('canceling');
    emulator.clock.advance(1);
    expect((await retrieve(batch.id)).processing_status).toBe('ended');
  });
});

describe('expiry and archival', () => {
  it('expires what is left at expires_at (24 h) and ends then', async () => {
    const { emulator, create, retrieve, results } = setup({ rate: 0.0001 }); // 1 per 10,000 s
    const batch = await create(requests(20));
    emulator.clock.advance(24 * HOUR - 1);
    expect((await retrieve(batch.id)).processing_status).toBe('in_progress');
    emulator.clock.advance(1);
    const ended = await retrieve(batch.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.ended_at).toBe(ended.expires_at);
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 8,
      errored: 0,
      canceled: 0,
      expired: 12,
    });
    const expired = (await results(batch.id)).filter((l) => l.result.type === 'expired');
    expect(expired).toHaveLength(12);
    expect(expired[0]!.result).toEqual({ type: 'expired' });
  });

  it('archives 29 days after creation: record kept, results gone', async () => {
    const { emulator, call, create, retrieve } = setup();
    const batch = await create(requests(2));
    emulator.clock.advance(29 * 24 * HOUR - 1);
    expect((await retrieve(batch.id)).archived_at).toBeNull();
    expect((await call('GET', `/v1/messages/batches/${batch.id}/results`)).status).toBe(200);
    emulator.clock.advance(1);
    const archived = await retrieve(batch.id);
    expectValid(MessageBatchSchema, archived);
    expect(Date.parse(archived.archived_at) - Date.parse(archived.created_at)).toBe(29 * 24 * HOUR);
    expect(archived.results_url).not.toBeNull();
    const response = await call('GET', `/v1/messages/batches/${batch.id}/results`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe(
      `Message Batch ${batch.id} has no available results.`,
    );
    expect((await call('GET', '/v1/messages/batches')).status).toBe(200);
  });
});

describe('isolation', () => {
  it('keeps two emulators apart and reproduces ids from the same seed', async () => {
    const one = setup({ seed: 7 });
    const two = setup({ seed: 7 });
    const a = await one.create(requests(1));
    const b = await two.create(requests(1));
    expect(a.id).toBe(b.id);
    expect(one.emulator.store.size).toBe(1);
    await two.create(requests(1));
    expect(one.emulator.store.size).toBe(1);
    expect(two.emulator.store.size).toBe(2);
    const other = setup({ seed: 8 });
    expect((await other.create(requests(1))).id).not.toBe(a.id);
  });

  it('reset() empties the store and restarts the seeded ids', async () => {
    const { emulator, create } = setup();
    const first = await create(requests(1));
    emulator.reset();
    expect(emulator.store.size).toBe(0);
    expect((await create(requests(1))).id).toBe(first.id);
  });
});
