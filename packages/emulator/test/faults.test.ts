import { MessageBatchPageSchema, MessageBatchSchema } from '@msgbatch/core';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { errorOf, HEADERS, requests, setup } from './helpers.ts';

const LIST = '/v1/messages/batches';

async function endedBatch(count = 20) {
  const ctx = setup();
  const batch = await ctx.create(requests(count));
  ctx.emulator.clock.advance(60_000);
  return { ...ctx, batch, resultsPath: `/v1/messages/batches/${batch.id}/results` };
}

describe('status faults', () => {
  it.each([
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [503, 'api_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ])('answers %i with the %s envelope and the given headers', async (status, type) => {
    const { emulator, call } = setup();
    emulator.faults.add({
      operation: 'list',
      type: 'status',
      status,
      headers: { 'retry-after': '2', 'x-should-retry': 'true' },
    });
    const response = await call('GET', LIST);
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect((await errorOf(response)).type).toBe(type);
    expect((await call('GET', LIST)).status).toBe(200);
  });

  it('answers 502 with an HTML body', async () => {
    const { emulator, call } = setup();
    emulator.faults.add({ type: 'status', status: 502 });
    const response = await call('GET', LIST);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toContain('<title>502 Bad Gateway</title>');
  });

  it('applies `times` and matches by method and path pattern', async () => {
    const { emulator, call, create } = setup({ rate: 1 });
    const batch = await create(requests(1));
    const handle = emulator.faults.add({
      method: 'get',
      path: '/v1/messages/batches/*',
      type: 'status',
      status: 500,
      times: 2,
    });
    expect((await call('GET', LIST)).status).toBe(200);
    expect((await call('POST', `${LIST}/${batch.id}/cancel`)).status).toBe(200);
    expect((await call('GET', `${LIST}/${batch.id}`)).status).toBe(500);
    expect(handle.remaining).toBe(1);
    expect((await call('GET', `${LIST}/${batch.id}`)).status).toBe(500);
    expect((await call('GET', `${LIST}/${batch.id}`)).status).toBe(200);
    expect(emulator.faults.list()).toEqual([]);
  });

  it('can be removed and cleared', async () => {
    const { emulator, call } = setup();
    const handle = emulator.faults.add({ type: 'status', status: 500, times: Infinity });
    handle.remove();
    expect((await call('GET', LIST)).status).toBe(200);
    emulator.faults.add({ type: 'status', status: 500, times: Infinity });
    emulator.faults.clear();
    expect((await call('GET', LIST)).status).toBe(200);
  });
});

describe('delay and connection faults (fetch mode)', () => {
  it('delays before the headers', async () => {
    const { emulator, call } = setup();
    emulator.faults.add({ operation: 'list', type: 'delay', delayMs: 80 });
    const started = performance.now();
    const response = await call('GET', LIST);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('rejects with a TypeError before the request is handled (nothing created)', async () => {
    const { emulator, call } = setup();
    emulator.faults.add({ operation: 'create', type: 'reset', phase: 'before-body' });
    const error = await call('POST', LIST, { requests: requests(1) }).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause.code).toBe('ECONNRESET');
    expect(emulator.store.size).toBe(0);
  });

  it('rejects after the request was handled (the batch exists)', async () => {
    const { emulator, call } = setup();
    emulator.faults.add({ operation: 'create', type: 'reset', phase: 'after-body' });
    await expect(call('POST', LIST, { requests: requests(1) })).rejects.toBeInstanceOf(TypeError);
    expect(emulator.store.size).toBe(1);
  });

  it('honours an abort signal while a delay is pending', async () => {
    const { emulator } = setup();
    emulator.faults.add({ type: 'delay', delayMs: 5000 });
    const controller = new AbortController();
    const pending = emulator.fetch(`http://localhost${LIST}`, {
      headers: HEADERS,
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('matching on the body', () => {
  it('hits only the create whose body contains the text, among several', async () => {
    const { emulator, call } = setup();
    emulator.faults.add({
      operation: 'create',
      bodyIncludes: '"custom_id":"second-0"',
      type: 'reset',
      phase: 'before-body',
    });
    const one = (prefix: string) =>
      call('POST', LIST, { requests: [{ ...requests(1)[0], custom_id: `${prefix}-0` }] });
    expect((await one('first')).status).toBe(200);
    await expect(one('second')).rejects.toBeInstanceOf(TypeError);
    expect((await one('third')).status).toBe(200);
    expect(emulator.store.list().map((b) => emulator.store.requests(b.id)?.[0]?.custom_id)).toEqual(
      ['third-0', 'first-0'],
    );
    // Used up: the same body goes through now, and the body it read was a copy.
    expect((await one('second')).status).toBe(200);
    expect(emulator.faults.list()).toEqual([]);
  });
});

describe('body faults', () => {
  it('cuts a body short: reading it errors after N bytes', async () => {
    const { emulator, call, resultsPath } = await endedBatch();
    emulator.faults.add({ operation: 'results', type: 'truncate', afterBytes: 100 });
    const response = await call('GET', resultsPath);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += value.byteLength;
      }
    })().catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(received).toBe(100);
  });

  it('stalls a results stream after N bytes until the client aborts', async () => {
    const { emulator, resultsPath } = await endedBatch();
    emulator.faults.add({ operation: 'results', type: 'stall', afterBytes: 50 });
    const controller = new AbortController();
    const response = await emulator.fetch(`http://localhost${resultsPath}`, {
      headers: HEADERS,
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBe(50);
    const next = reader.read();
    const outcome = await Promise.race([
      next.then(() => 'data'),
      new Promise((resolve) => setTimeout(() => resolve('stalled'), 100)),
    ]);
    expect(outcome).toBe('stalled');
    controller.abort();
    await expect(next).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('inserts a malformed JSONL line after N lines', async () => {
    const { emulator, call, resultsPath } = await endedBatch(5);
    emulator.faults.add({ operation: 'results', type: 'malformed-line', afterLines: 2 });
    const lines = (await (await call('GET', resultsPath)).text()).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe('');
    expect(() => JSON.parse(lines[2]!)).toThrow(SyntaxError);
    for (const i of [0, 1, 3, 4, 5]) expect(() => JSON.parse(lines[i]!)).not.toThrow();
  });

  it('appends a malformed line past the last one as a line of its own, no blank line', async () => {
    const { emulator, call, resultsPath } = await endedBatch(2);
    emulator.faults.add({ operation: 'results', type: 'malformed-line', afterLines: 9, text: 'x' });
    const text = await (await call('GET', resultsPath)).text();
    expect(text).not.toMatch(/\n\n/);
    expect(text.endsWith('\nx\n')).toBe(true);
  });

  it('inserts the malformed line first by default', async () => {
    const { emulator, call, resultsPath } = await endedBatch(3);
    emulator.faults.add({ operation: 'results', type: 'malformed-line', text: 'oops' });
    const lines = (await (await call('GET', resultsPath)).text()).split('\n');
    expect(lines[0]).toBe('oops');
    expect(lines).toHaveLength(5);
  });

  it('sends a schema-violating batch and page that core’s schemas reject', async () => {
    const { emulator, call, create } = setup();
    const batch = await create(requests(1));
    emulator.faults.add({ operation: 'retrieve', type: 'schema-violation' });
    emulator.faults.add({ operation: 'list', type: 'schema-violation' });
    const retrieved = await (await call('GET', `${LIST}/${batch.id}`)).json();
    expect(v.safeParse(MessageBatchSchema, retrieved).success).toBe(false);
    expect(retrieved.id).toBe(batch.id);
    const page = await (await call('GET', LIST)).json();
    expect(v.safeParse(MessageBatchPageSchema, page).success).toBe(false);
  });

  it('replaces the first results line with a schema-violating one', async () => {
    const { emulator, call, resultsPath } = await endedBatch(3);
    emulator.faults.add({ operation: 'results', type: 'schema-violation' });
    const lines = (await (await call('GET', resultsPath)).text()).split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0]!).custom_id).toBe(12345);
  });
});
