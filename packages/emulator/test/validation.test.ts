import { MAX_CREATE_BODY_BYTES } from '@msgbatch/core';
import { describe, expect, it } from 'vitest';
import { errorOf, HEADERS, request, setup } from './helpers.ts';

const CREATE = '/v1/messages/batches';

async function refusal(body: unknown) {
  const { call } = setup();
  const response = await call('POST', CREATE, body);
  expect(response.status).toBe(400);
  expect(response.headers.get('x-should-retry')).toBe('false');
  const error = await errorOf(response);
  expect(error.type).toBe('invalid_request_error');
  return error.message;
}

describe('create body validation (the API’s own messages)', () => {
  it('refuses malformed JSON', async () => {
    expect(await refusal('{"requests": [')).toMatch(/^The request body is not valid JSON: .+/);
  });

  it('refuses an empty list', async () => {
    expect(await refusal({ requests: [] })).toBe(
      'requests: List should have at least 1 item after validation, not 0',
    );
  });

  it('refuses a missing requests key and extra top-level keys', async () => {
    expect(await refusal({})).toBe('requests: Field required');
    expect(await refusal({ requests: [request('a')], extra: 1 })).toBe(
      'extra: Extra inputs are not permitted',
    );
  });

  it('refuses a missing custom_id with its field path', async () => {
    const { params } = request('a');
    expect(await refusal({ requests: [request('ok'), { params }] })).toBe(
      'requests.1.custom_id: Field required',
    );
    expect(await refusal({ requests: [{ params }] })).toBe('requests.0.custom_id: Field required');
  });

  it('refuses a custom_id longer than 64 characters', async () => {
    expect(await refusal({ requests: [request('x'.repeat(65))] })).toBe(
      'requests.0.custom_id: String should have at most 64 characters',
    );
  });

  it('refuses a custom_id outside the pattern', async () => {
    expect(await refusal({ requests: [request('has space')] })).toBe(
      "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'",
    );
  });

  it('refuses duplicates', async () => {
    expect(await refusal({ requests: [request('a'), request('b'), request('a')] })).toBe(
      "requests: custom_id's must be unique within a batch. Duplicate custom_id found: a",
    );
  });

  it('refuses missing params and unknown per-request keys', async () => {
    expect(await refusal({ requests: [{ custom_id: 'a' }] })).toBe(
      'requests.0.params: Field required',
    );
    expect(await refusal({ requests: [{ ...request('a'), extra: true }] })).toBe(
      'requests.0.extra: Extra inputs are not permitted',
    );
  });

  it('refuses more than 100,000 requests', async () => {
    const tiny = { custom_id: 'x', params: {} };
    const many = Array.from({ length: 100_001 }, (_, i) => ({ ...tiny, custom_id: `r${i}` }));
    expect(await refusal({ requests: many })).toBe(
      'requests: List should have at most 100000 items after validation, not 100001',
    );
  });

  it('accepts exactly 64 characters and every allowed character', async () => {
    const { call } = setup();
    const id = `${'a'.repeat(60)}_-Z9`;
    expect((await call('POST', CREATE, { requests: [request(id)] })).status).toBe(200);
  });
});

describe('body size', () => {
  it('answers the edge 413 for a declared content-length over 256 MB: the bare body, no request id', async () => {
    const { emulator } = setup();
    const response = await emulator.fetch(`http://localhost${CREATE}`, {
      method: 'POST',
      headers: { ...HEADERS, 'content-length': String(MAX_CREATE_BODY_BYTES + 1) },
      body: '{}',
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe(
      '{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}',
    );
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.has('request-id')).toBe(false);
    expect(response.headers.has('anthropic-organization-id')).toBe(false);
    expect(response.headers.has('x-should-retry')).toBe(false);
    expect([...response.headers.keys()].filter((name) => name.startsWith('x-msgbatch'))).toEqual(
      [],
    );
  });

  it('answers 413 while streaming a body that grows past 256 MB', async () => {
    const { emulator, call } = setup();
    const chunk = new Uint8Array(8 * 1024 * 1024).fill(32);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await emulator.fetch(`http://localhost${CREATE}`, {
      method: 'POST',
      headers: HEADERS,
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(MAX_CREATE_BODY_BYTES + 3 * chunk.byteLength);
    expect(emulator.store.size).toBe(0);
    expect((await call('GET', CREATE)).status).toBe(200);
  });
});

describe('create refuses params that nest too deep', () => {
  /** A create body (as text) whose first request's messages nest `depth` arrays deep. */
  const nested = (depth: number) =>
    `{"requests":[{"custom_id":"deep","params":{"model":"claude-sonnet-4-5","max_tokens":8,"messages":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;

  it('a hundred thousand levels: 400 naming the request, without overflowing the stack', async () => {
    expect(await refusal(nested(100_000))).toBe(
      'requests.0.params: Input nests objects and arrays deeper than 256 levels',
    );
  });

  it('accepts 256 levels (params is level 1) and serves its results afterwards', async () => {
    const { call, emulator } = setup({ rate: 1000 });
    const created = await call('POST', CREATE, nested(255));
    expect(created.status).toBe(200);
    expect(await refusal(nested(256))).toMatch(/deeper than 256 levels/);
    const { id } = (await created.json()) as { id: string };
    emulator.clock.advance(60_000);
    const results = await call('GET', `${CREATE}/${id}/results`);
    expect(results.status).toBe(200);
    expect(await results.text()).toContain('"custom_id":"deep"');
  });
});
