import { describe, expect, it } from 'vitest';
import { errorOf, requests, setup } from './helpers.ts';

const LIST = '/v1/messages/batches';
const HOUR = 3_600_000;

describe('retry-after on polls (every recorded GET of an unfinished batch carried 10)', () => {
  it('is sent on a retrieve of an in-progress or canceling batch, never once ended', async () => {
    const { emulator, call, create } = setup({ rate: 1 });
    const batch = await create(requests(4));
    const polled = await call('GET', `${LIST}/${batch.id}`);
    expect(polled.headers.get('retry-after')).toBe('10');
    const canceled = await call('POST', `${LIST}/${batch.id}/cancel`);
    expect(canceled.headers.has('retry-after')).toBe(false);
    expect((await call('GET', `${LIST}/${batch.id}`)).headers.get('retry-after')).toBe('10');
    emulator.clock.advance(60_000);
    const ended = await call('GET', `${LIST}/${batch.id}`);
    expect((await ended.json()).processing_status).toBe('ended');
    expect(ended.headers.has('retry-after')).toBe(false);
  });

  it('is not sent on create or list', async () => {
    const { call } = setup();
    const created = await call('POST', LIST, { requests: requests(1) });
    expect(created.headers.has('retry-after')).toBe(false);
    expect((await call('GET', LIST)).headers.has('retry-after')).toBe(false);
  });

  it('follows pollRetryAfter: another number, or false for none', async () => {
    const three = setup({ pollRetryAfter: 3 });
    const a = await three.create(requests(1));
    expect((await three.call('GET', `${LIST}/${a.id}`)).headers.get('retry-after')).toBe('3');
    const none = setup({ pollRetryAfter: false });
    const b = await none.create(requests(1));
    expect((await none.call('GET', `${LIST}/${b.id}`)).headers.has('retry-after')).toBe(false);
  });
});

describe('status faults with the real bodies', () => {
  it('402 answers the billing_error envelope', async () => {
    const { emulator, call } = setup();
    emulator.faults.add({ operation: 'list', type: 'status', status: 402 });
    const response = await call('GET', LIST);
    expect(response.status).toBe(402);
    expect(await errorOf(response)).toEqual({
      type: 'billing_error',
      message:
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    });
    expect(response.headers.get('x-should-retry')).toBe('false');
  });

  it('413 answers the edge body without the API headers', async () => {
    const { emulator, call } = setup();
    emulator.faults.add({ operation: 'create', type: 'status', status: 413 });
    const response = await call('POST', LIST, { requests: requests(1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { type: 'request_too_large', message: 'Request exceeds the maximum size' },
    });
    expect(response.headers.has('request-id')).toBe(false);
  });
});

describe('result lines in the 2026 shape', () => {
  it('puts model before id and carries stop_details, cache_creation, service_tier, inference_geo', async () => {
    const { emulator, create, results } = setup();
    const batch = await create(requests(1));
    emulator.clock.advance(1000);
    const [line] = await results(batch.id);
    const message = line!.result.message;
    expect(Object.keys(message)).toEqual([
      'model',
      'id',
      'type',
      'role',
      'content',
      'stop_reason',
      'stop_sequence',
      'stop_details',
      'usage',
    ]);
    expect(message.stop_details).toBeNull();
    expect(Object.keys(message.usage)).toEqual([
      'input_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'cache_creation',
      'output_tokens',
      'service_tier',
      'inference_geo',
    ]);
    expect(message.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 0,
    });
    expect(message.usage.service_tier).toBe('batch');
    expect(message.usage.inference_geo).toBe('not_available');
  });

  it('writes errored lines with details first (unverified: no errored line is recorded)', async () => {
    const { emulator, create, results } = setup();
    const batch = await create([{ custom_id: 'a', params: { model: 'claude-x', max_tokens: 5 } }]);
    emulator.clock.advance(1000);
    const [line] = await results(batch.id);
    expect(JSON.stringify(line!.result)).toBe(
      '{"type":"errored","error":{"type":"error","error":{"details":{"error_visibility":"user_facing"},"type":"invalid_request_error","message":"messages: Field required"},"request_id":null}}',
    );
  });
});

describe('unverified choices, each switchable', () => {
  it("cancelEnded: 'refuse' (default) is the 400; 'return-batch' answers the ended batch", async () => {
    const refuse = setup();
    const a = await refuse.create(requests(1));
    refuse.emulator.clock.advance(1000);
    expect((await refuse.call('POST', `${LIST}/${a.id}/cancel`)).status).toBe(400);
    const lenient = setup({ unverified: { cancelEnded: 'return-batch' } });
    const b = await lenient.create(requests(1));
    lenient.emulator.clock.advance(1000);
    const response = await lenient.call('POST', `${LIST}/${b.id}/cancel`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.processing_status).toBe('ended');
    expect(body.cancel_initiated_at).toBeNull();
  });

  it("deleteCanceling: 'refuse' (default) is the in-progress 400; 'allow' deletes", async () => {
    for (const [choice, status] of [
      ['refuse', 400],
      ['allow', 200],
    ] as const) {
      const { call, create } = setup({ rate: 1, unverified: { deleteCanceling: choice } });
      const batch = await create(requests(5));
      await call('POST', `${LIST}/${batch.id}/cancel`);
      expect((await call('DELETE', `${LIST}/${batch.id}`)).status).toBe(status);
    }
  });

  it("foreignCursor: 'empty-page' (default) or 'not-found'", async () => {
    const empty = setup();
    const page = await (await empty.call('GET', `${LIST}?after_id=msgbatch_01nope`)).json();
    expect(page).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    const strict = setup({ unverified: { foreignCursor: 'not-found' } });
    const response = await strict.call('GET', `${LIST}?after_id=msgbatch_01nope`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe('Message Batch msgbatch_01nope not found.');
  });

  it("archivedResults: 'gone' nulls results_url once archived", async () => {
    const { emulator, create, retrieve } = setup({ unverified: { archivedResults: 'gone' } });
    const batch = await create(requests(1));
    emulator.clock.advance(29 * 24 * HOUR - 1);
    expect((await retrieve(batch.id)).results_url).not.toBeNull();
    emulator.clock.advance(1);
    const archived = await retrieve(batch.id);
    expect(archived.archived_at).not.toBeNull();
    expect(archived.results_url).toBeNull();
  });

  it("canceledAtExpiry: 'canceled' (default) or 'expired' for a batch canceling at expires_at", async () => {
    for (const choice of ['canceled', 'expired'] as const) {
      const { emulator, call, create, retrieve } = setup({
        rate: 0.0001,
        cancelDrainMs: 2 * HOUR,
        nonInterruptibleShare: 0,
        unverified: { canceledAtExpiry: choice },
      });
      const batch = await create(requests(20));
      emulator.clock.advance(24 * HOUR - HOUR);
      await call('POST', `${LIST}/${batch.id}/cancel`);
      emulator.clock.advance(HOUR);
      const ended = await retrieve(batch.id);
      expect(ended.processing_status).toBe('ended');
      expect(ended.ended_at).toBe(ended.expires_at);
      expect(ended.request_counts[choice]).toBeGreaterThan(0);
      expect(ended.request_counts[choice === 'canceled' ? 'expired' : 'canceled']).toBe(0);
    }
  });
});
