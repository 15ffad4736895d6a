import {
  DeletedMessageBatchSchema,
  ErrorEnvelopeSchema,
  MessageBatchPageSchema,
  MessageBatchSchema,
} from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { errorOf, expectValid, HEADERS, requests, setup } from './helpers.ts';

const BATCH_KEYS = [
  'id',
  'type',
  'processing_status',
  'request_counts',
  'ended_at',
  'created_at',
  'expires_at',
  'archived_at',
  'cancel_initiated_at',
  'results_url',
];

describe('create', () => {
  it('answers 200 with an in_progress batch, keys in the observed order', async () => {
    const { create } = setup({ rate: 1 });
    const batch = await create(requests(3));
    expectValid(MessageBatchSchema, batch);
    expect(Object.keys(batch)).toEqual(BATCH_KEYS);
    expect(batch).toMatchObject({
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      archived_at: null,
      cancel_initiated_at: null,
      results_url: null,
    });
  });

  it('makes ids msgbatch_01 + 22 alphanumerics and timestamps RFC 3339 with microseconds', async () => {
    const { create } = setup();
    const batch = (await create(requests(1))) as Record<string, string>;
    expect(batch.id).toMatch(/^msgbatch_01[A-Za-z0-9]{22}$/);
    // As every recorded body writes them: six fraction digits and `+00:00`.
    expect(batch.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(batch.created_at!.startsWith('2026-01-01T00:00:00.')).toBe(true);
    const day = Date.parse(batch.expires_at!) - Date.parse(batch.created_at!);
    expect(day).toBe(24 * 3600 * 1000);
    expect(batch.expires_at!.slice(-8)).toBe(batch.created_at!.slice(-8));
  });

  it('gives every response a request-id and JSON content type', async () => {
    const { call } = setup();
    const a = await call('GET', '/v1/messages/batches');
    const b = await call('GET', '/v1/messages/batches');
    expect(a.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{24}$/);
    expect(a.headers.get('request-id')).not.toBe(b.headers.get('request-id'));
    expect(a.headers.get('content-type')).toBe('application/json');
  });

  it('accepts ?beta=true and the documented anthropic-beta values', async () => {
    const { call } = setup();
    const headers = {
      ...HEADERS,
      'anthropic-beta': 'message-batches-2024-09-24, output-300k-2026-03-24',
    };
    const response = await call(
      'POST',
      '/v1/messages/batches?beta=true',
      { requests: requests(1) },
      headers,
    );
    expect(response.status).toBe(200);
  });

  it('refuses an unknown anthropic-beta value with the API 400 naming it, before creating', async () => {
    const { call, emulator } = setup();
    const headers = { ...HEADERS, 'anthropic-beta': 'message-batches-2024-09-24,other-2026' };
    const response = await call('POST', '/v1/messages/batches', { requests: requests(1) }, headers);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      type: 'invalid_request_error',
      message:
        'Unexpected value(s) `other-2026` for the `anthropic-beta` header. Please consult our documentation at platform.claude.com/docs or try again without the header.',
    });
    expect(emulator.store.size).toBe(0);
  });

  it("accepts any anthropic-beta value with betas: 'any', and extra ones by list", async () => {
    const headers = { ...HEADERS, 'anthropic-beta': 'other-2026' };
    const open = setup({ betas: 'any' });
    expect((await open.call('GET', '/v1/messages/batches', undefined, headers)).status).toBe(200);
    const listed = setup({ betas: ['other-2026'] });
    expect((await listed.call('GET', '/v1/messages/batches', undefined, headers)).status).toBe(200);
  });
});

describe('retrieve', () => {
  it('returns the stored batch', async () => {
    const { create, retrieve } = setup({ rate: 1 });
    const batch = await create(requests(2));
    expect(await retrieve(batch.id)).toEqual(batch);
  });

  it('answers 404 not_found_error with x-should-retry: false for an unknown id', async () => {
    const { call } = setup();
    const response = await call('GET', '/v1/messages/batches/msgbatch_nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const body = await response.clone().json();
    expectValid(ErrorEnvelopeSchema, body);
    expect(await errorOf(response)).toEqual({
      type: 'not_found_error',
      message: 'Message Batch msgbatch_nope not found.',
    });
  });
});

describe('cancel', () => {
  it('answers 200 canceling with cancel_initiated_at set and counts unchanged', async () => {
    const { emulator, call, create } = setup({ rate: 1 });
    const batch = await create(requests(5));
    emulator.clock.advance(2500);
    const response = await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expectValid(MessageBatchSchema, body);
    expect(body).toMatchObject({
      processing_status: 'canceling',
      cancel_initiated_at: '2026-01-01T00:00:02.500000+00:00',
      ended_at: null,
      results_url: null,
      request_counts: { processing: 5, succeeded: 0, canceled: 0 },
    });
  });

  it('accepts an empty JSON body too (as the Ruby client sends)', async () => {
    const { call, create } = setup({ rate: 1 });
    const batch = await create(requests(2));
    const response = await call('POST', `/v1/messages/batches/${batch.id}/cancel`, {});
    expect(response.status).toBe(200);
  });

  it('answers 200 with the current object, unchanged, when already canceling', async () => {
    const { emulator, call, create } = setup({ rate: 1 });
    const batch = await create(requests(5));
    const first = await (await call('POST', `/v1/messages/batches/${batch.id}/cancel`)).json();
    emulator.clock.advance(300);
    const second = await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(first);
  });

  it('answers 400 for an ended batch', async () => {
    const { emulator, call, create } = setup();
    const batch = await create(requests(1));
    emulator.clock.advance(1000);
    const response = await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await errorOf(response)).toEqual({
      type: 'invalid_request_error',
      message: `Batch ${batch.id} cannot be canceled because it has already finished processing`,
    });
  });

  it('answers 404 for an unknown id', async () => {
    const { call } = setup();
    const response = await call('POST', '/v1/messages/batches/msgbatch_x/cancel');
    expect(response.status).toBe(404);
  });
});

describe('delete', () => {
  const refusal = 'In progress batches cannot be deleted. Consider canceling the batch instead.';

  it('refuses in_progress and canceling batches with 400', async () => {
    const { call, create } = setup({ rate: 1 });
    const batch = await create(requests(3));
    const inProgress = await call('DELETE', `/v1/messages/batches/${batch.id}`);
    expect(inProgress.status).toBe(400);
    expect(await errorOf(inProgress)).toEqual({ type: 'invalid_request_error', message: refusal });
    await call('POST', `/v1/messages/batches/${batch.id}/cancel`);
    const canceling = await call('DELETE', `/v1/messages/batches/${batch.id}`);
    expect(canceling.status).toBe(400);
    expect((await errorOf(canceling)).message).toBe(refusal);
  });

  it('deletes an ended batch, then every operation answers 404', async () => {
    const { emulator, call, create } = setup();
    const batch = await create(requests(1));
    emulator.clock.advance(1000);
    const response = await call('DELETE', `/v1/messages/batches/${batch.id}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expectValid(DeletedMessageBatchSchema, body);
    expect(body).toEqual({ id: batch.id, type: 'message_batch_deleted' });
    for (const [method, suffix] of [
      ['GET', ''],
      ['GET', '/results'],
      ['POST', '/cancel'],
      ['DELETE', ''],
    ] as const) {
      const after = await call(method, `/v1/messages/batches/${batch.id}${suffix}`);
      expect(after.status).toBe(404);
      expect((await errorOf(after)).message).toBe(`Message Batch ${batch.id} not found.`);
    }
    expect(emulator.store.size).toBe(0);
  });
});

describe('results', () => {
  it('answers 404 "has no available results." before the end', async () => {
    const { call, create } = setup({ rate: 1 });
    const batch = await create(requests(2));
    const response = await call('GET', `/v1/messages/batches/${batch.id}/results`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await errorOf(response)).toEqual({
      type: 'not_found_error',
      message: `Message Batch ${batch.id} has no available results.`,
    });
  });

  it('answers 404 "not found." for an unknown id', async () => {
    const { call } = setup();
    const response = await call('GET', '/v1/messages/batches/msgbatch_zz/results');
    expect((await errorOf(response)).message).toBe('Message Batch msgbatch_zz not found.');
  });

  it('serves application/x-jsonl once ended, at the URL in results_url', async () => {
    const { emulator, create, retrieve } = setup();
    const batch = await create(requests(3));
    emulator.clock.advance(1000);
    const ended = await retrieve(batch.id);
    expect(ended.results_url).toBe(`http://localhost/v1/messages/batches/${batch.id}/results`);
    const response = await emulator.fetch(ended.results_url, { headers: HEADERS });
    expect(response.headers.get('content-type')).toBe('application/x-jsonl');
    expect(response.body).toBeInstanceOf(ReadableStream);
    const text = await response.text();
    // As recorded in 2026: every line ends with a newline, the last one too; no blank line.
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toMatch(/\}\n$/);
    expect(text).not.toMatch(/\n\n/);
  });

  it('puts publicBaseURL in results_url when given', async () => {
    const { emulator, create, retrieve } = setup({ publicBaseURL: 'https://emu.example/' });
    const batch = await create(requests(1));
    emulator.clock.advance(1000);
    expect((await retrieve(batch.id)).results_url).toBe(
      `https://emu.example/v1/messages/batches/${batch.id}/results`,
    );
  });
});

describe('list', () => {
  it('returns a valid page object with first_id and last_id', async () => {
    const { call, create } = setup();
    const a = await create(requests(1));
    const b = await create(requests(1));
    const page = await (await call('GET', '/v1/messages/batches')).json();
    expectValid(MessageBatchPageSchema, page);
    expect(page.data.map((x: { id: string }) => x.id)).toEqual([b.id, a.id]);
    expect(page).toMatchObject({ has_more: false, first_id: b.id, last_id: a.id });
  });

  it('returns an empty page with null ids when there is nothing', async () => {
    const { call } = setup();
    const page = await (await call('GET', '/v1/messages/batches')).json();
    expect(page).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it.each([
    ['0', 'limit: Input should be greater than or equal to 1'],
    ['1001', 'limit: Input should be less than or equal to 1000'],
    ['abc', 'limit: Input should be a valid integer, unable to parse string as an integer'],
  ])('refuses limit=%s with 400', async (limit, message) => {
    const { call } = setup();
    const response = await call('GET', `/v1/messages/batches?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ type: 'invalid_request_error', message });
  });

  it('accepts limit 1 and 1000', async () => {
    const { call } = setup();
    expect((await call('GET', '/v1/messages/batches?limit=1')).status).toBe(200);
    expect((await call('GET', '/v1/messages/batches?limit=1000')).status).toBe(200);
  });
});

describe('routing', () => {
  it('answers unknown paths with a 404 envelope', async () => {
    const { call } = setup();
    const response = await call('GET', '/v1/nothing');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).type).toBe('not_found_error');
  });
});
