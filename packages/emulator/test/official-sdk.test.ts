import Anthropic, {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
} from '@anthropic-ai/sdk';
import { IndividualResponseSchema, MessageBatchSchema } from '@msgbatch/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type EmulatorServer } from '../src/index.ts';
import { expectValid } from './helpers.ts';

const BASE_URL = 'http://emulator.test';
const params = (n: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({
    custom_id: `req-${i}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 128,
      messages: [{ role: 'user' as const, content: `Question ${i}` }],
      ...extra,
    },
  }));

/** The official client over the in-process fetch, counting the calls it makes. */
function clientFor(emulator: Emulator, options: { apiKey?: string; maxRetries?: number } = {}) {
  const seen: Request[] = [];
  const client = new Anthropic({
    apiKey: options.apiKey ?? 'sk-ant-test',
    baseURL: BASE_URL,
    maxRetries: options.maxRetries ?? 0,
    fetch: (input, init) => {
      const request = new Request(input, init);
      seen.push(request.clone());
      return emulator.fetch(request);
    },
  });
  return { client, seen };
}

describe('official @anthropic-ai/sdk against the emulator (in-process fetch)', () => {
  it('runs the whole lifecycle', async () => {
    const emulator = createEmulator({ clock: 'manual', rate: 2, seed: 'sdk' });
    const { client } = clientFor(emulator);

    const created = await client.messages.batches.create({ requests: params(4) });
    expectValid(MessageBatchSchema, created);
    expect(created.processing_status).toBe('in_progress');
    expect(created.request_counts.processing).toBe(4);

    const retrieved = await client.messages.batches.retrieve(created.id);
    expect(retrieved.id).toBe(created.id);

    const toCancel = await client.messages.batches.create({ requests: params(6) });
    for (let i = 0; i < 3; i++) await client.messages.batches.create({ requests: params(1) });
    const listed: string[] = [];
    for await (const batch of client.messages.batches.list({ limit: 2 })) listed.push(batch.id);
    expect(listed).toHaveLength(5);
    expect(listed.at(-1)).toBe(created.id);
    expect(listed.at(-2)).toBe(toCancel.id);

    const canceling = await client.messages.batches.cancel(toCancel.id);
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).not.toBeNull();

    let current = await client.messages.batches.retrieve(created.id);
    while (current.processing_status !== 'ended') {
      emulator.clock.advance(500);
      current = await client.messages.batches.retrieve(created.id);
    }
    expect(current.request_counts).toMatchObject({ processing: 0, succeeded: 4 });
    expect(current.results_url).toBe(`${BASE_URL}/v1/messages/batches/${created.id}/results`);

    const lines = [];
    for await (const line of await client.messages.batches.results(created.id)) {
      expectValid(IndividualResponseSchema, line);
      lines.push(line);
    }
    expect(lines.map((l) => l.custom_id).sort()).toEqual(['req-0', 'req-1', 'req-2', 'req-3']);
    const first = lines[0]!.result;
    expect(first.type).toBe('succeeded');
    if (first.type === 'succeeded') expect(first.message.usage.service_tier).toBe('batch');

    const canceled = await client.messages.batches.retrieve(toCancel.id);
    expect(canceled.processing_status).toBe('ended');
    expect(canceled.request_counts.canceled + canceled.request_counts.succeeded).toBe(6);
    const cancelLines = [];
    for await (const line of await client.messages.batches.results(toCancel.id)) {
      cancelLines.push(line.result.type);
    }
    expect(cancelLines).toContain('canceled');

    const deleted = await client.messages.batches.delete(created.id);
    expect(deleted).toMatchObject({ id: created.id, type: 'message_batch_deleted' });
    await expect(client.messages.batches.retrieve(created.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('maps 404 to NotFoundError with the request id', async () => {
    const emulator = createEmulator({ clock: 'manual' });
    const { client } = clientFor(emulator);
    const error = await client.messages.batches.retrieve('msgbatch_missing').catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.requestID).toMatch(/^req_/);
    expect(error.error.error.message).toBe('Message Batch msgbatch_missing not found.');
  });

  it('maps a 400 to BadRequestError and does not retry it', async () => {
    const emulator = createEmulator({ clock: 'manual' });
    const { client, seen } = clientFor(emulator, { maxRetries: 2 });
    const duplicate = [...params(1), ...params(1)];
    const error = await client.messages.batches.create({ requests: duplicate }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('Duplicate custom_id found: req-0');
    expect(seen).toHaveLength(1);
  });

  it('maps a 401 to AuthenticationError (SDK 1.14 sends the key as a bearer token)', async () => {
    const emulator = createEmulator({ clock: 'manual', apiKeys: ['sk-right'] });
    const { client } = clientFor(emulator, { apiKey: 'sk-wrong', maxRetries: 2 });
    const error = await client.messages.batches.list().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error.error).toEqual({
      type: 'authentication_error',
      message: 'Invalid bearer token',
    });
  });

  it('retries an injected 529 (retry-after-ms) and succeeds', async () => {
    const emulator = createEmulator({ clock: 'manual' });
    const { client, seen } = clientFor(emulator, { maxRetries: 2 });
    const batch = await client.messages.batches.create({ requests: params(1) });
    emulator.faults.add({
      operation: 'retrieve',
      type: 'status',
      status: 529,
      headers: { 'retry-after-ms': '5' },
    });
    const retrieved = await client.messages.batches.retrieve(batch.id);
    expect(retrieved.id).toBe(batch.id);
    const retrieves = seen.filter((r) => r.method === 'GET');
    expect(retrieves).toHaveLength(2);
    expect(retrieves[1]!.headers.get('x-stainless-retry-count')).toBe('1');
    expect(emulator.faults.list()).toHaveLength(0);
  });

  it('reports a connection reset as APIConnectionError', async () => {
    const emulator = createEmulator({ clock: 'manual' });
    const { client } = clientFor(emulator, { maxRetries: 0 });
    emulator.faults.add({ operation: 'list', type: 'reset' });
    await expect(client.messages.batches.list()).rejects.toBeInstanceOf(APIConnectionError);
  });
});

describe('official @anthropic-ai/sdk over a loopback socket', () => {
  let server: EmulatorServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('creates, waits, reads results and deletes through listen()', async () => {
    const emulator = createEmulator({ clock: 'manual' });
    server = await emulator.listen({ port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new Anthropic({ apiKey: 'sk-ant', baseURL: server.url, maxRetries: 0 });
    const batch = await client.messages.batches.create({ requests: params(3) });
    emulator.clock.advance(1000);
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended.results_url).toBe(`${server.url}/v1/messages/batches/${batch.id}/results`);
    const ids = [];
    for await (const line of await client.messages.batches.results(batch.id))
      ids.push(line.custom_id);
    expect(ids.sort()).toEqual(['req-0', 'req-1', 'req-2']);
    await client.messages.batches.delete(batch.id);
    expect(emulator.store.size).toBe(0);
  });
});
