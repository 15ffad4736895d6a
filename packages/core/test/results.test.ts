import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  JSONLDecodeError,
  NotFoundError,
  ResponseValidationError,
} from '../src/index.ts';
import { apiError, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const message = {
  id: 'msg_014VwiXbi91y3JMjcpyGBHX5',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [{ type: 'text', text: 'Hello ✓' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 2, service_tier: 'batch' },
};
const lines = [
  { custom_id: 'ok-1', result: { type: 'succeeded', message } },
  { custom_id: 'c-1', result: { type: 'canceled' } },
  {
    custom_id: 'bad-1',
    result: {
      type: 'errored',
      error: {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: 'max_tokens: must be greater than or equal to 1',
        },
        request_id: null,
      },
    },
  },
  { custom_id: 'e-1', result: { type: 'expired' } },
];

function jsonl(text: string, chunkSize = 7, headers: Record<string, string> = {}) {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'application/x-jsonl', 'request-id': 'req_results', ...headers },
  });
}

describe('results', () => {
  it('GETs the results path under baseURL and yields typed lines', async () => {
    const { fetch, requests } = scriptedFetch(() =>
      jsonl(lines.map((l) => JSON.stringify(l)).join('\n')),
    );
    const { client } = testClient(fetch);
    const seen: string[] = [];
    for await (const line of await client.messages.batches.results('msgbatch_x')) {
      seen.push(`${line.custom_id}:${line.result.type}`);
      if (line.result.type === 'succeeded')
        expect(line.result.message.content[0]).toEqual({ type: 'text', text: 'Hello ✓' });
    }
    expect(seen).toEqual(['ok-1:succeeded', 'c-1:canceled', 'bad-1:errored', 'e-1:expired']);
    expect(requests[0]!.url).toBe('http://127.0.0.1:9/v1/messages/batches/msgbatch_x/results');
    expect(requests[0]!.headers.get('x-api-key')).toBe('sk-ant-api03-canary-SECRET-key-000');
  });

  it('can be iterated without awaiting first', async () => {
    const { fetch } = scriptedFetch(() =>
      jsonl(lines.map((l) => JSON.stringify(l)).join('\r\n') + '\r\n'),
    );
    const { client } = testClient(fetch);
    const ids: string[] = [];
    for await (const line of client.messages.batches.results('msgbatch_x'))
      ids.push(line.custom_id);
    expect(ids).toEqual(['ok-1', 'c-1', 'bad-1', 'e-1']);
  });

  it('passes a result type the API adds later through as sent', async () => {
    const { fetch } = scriptedFetch(() =>
      jsonl(JSON.stringify({ custom_id: 'n', result: { type: 'deferred', until: 'x' } })),
    );
    const { client } = testClient(fetch);
    const all = [];
    for await (const line of client.messages.batches.results('msgbatch_x')) all.push(line);
    expect(all).toEqual([{ custom_id: 'n', result: { type: 'deferred', until: 'x' } }]);
  });

  it('maps "no available results" to NotFoundError', async () => {
    const { fetch } = scriptedFetch(
      apiError(404, 'not_found_error', 'Message Batch msgbatch_x has no available results.', {
        'x-should-retry': 'false',
      }),
    );
    const { client } = testClient(fetch);
    await expect(client.messages.batches.results('msgbatch_x')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('a line that breaks the schema names line, field and request id after delivering the lines before', async () => {
    const broken = {
      custom_id: 'ok-2',
      result: {
        type: 'succeeded',
        message: { ...message, usage: { input_tokens: 'x', output_tokens: 1 } },
      },
    };
    const text = [lines[0], broken].map((l) => JSON.stringify(l)).join('\n');
    const { fetch } = scriptedFetch(() => jsonl(text));
    const { client } = testClient(fetch);
    const ids: string[] = [];
    const error = await (async () => {
      for await (const line of client.messages.batches.results('msgbatch_x'))
        ids.push(line.custom_id);
    })().catch((e: any) => e);
    expect(ids).toEqual(['ok-1']);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.field).toBe('result.message.usage.input_tokens');
    expect(error.message).toContain('results line 2');
    expect(error.requestID).toBe('req_results');
  });

  it('a malformed line is a JSONLDecodeError with its line number and the last good custom_id', async () => {
    const text = `${JSON.stringify(lines[0])}\n{"custom_id": "oops", \n${JSON.stringify(lines[1])}\n`;
    const { fetch } = scriptedFetch(() => jsonl(text));
    const { client } = testClient(fetch);
    const error = await (async () => {
      for await (const _ of client.messages.batches.results('msgbatch_x'));
    })().catch((e: any) => e);
    expect(error).toBeInstanceOf(JSONLDecodeError);
    expect(error.lineNumber).toBe(2);
    expect(error.lastCustomId).toBe('ok-1');
  });

  it('breaking out of the loop cancels the download', async () => {
    let canceled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(`${JSON.stringify(lines[1])}\n`));
      },
      cancel() {
        canceled = true;
      },
    });
    const { fetch } = scriptedFetch(() => new Response(body));
    const { client } = testClient(fetch);
    let count = 0;
    for await (const _ of client.messages.batches.results('msgbatch_x')) if (++count === 3) break;
    expect(count).toBe(3);
    expect(canceled).toBe(true);
  });

  it('a stream that stalls fails after idleTimeout with APIConnectionTimeoutError', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`${JSON.stringify(lines[1])}\n`));
      },
    });
    const { fetch } = scriptedFetch(
      () => new Response(body, { headers: { 'request-id': 'req_stall' } }),
    );
    const { client } = testClient(fetch, { idleTimeout: 30 });
    const ids: string[] = [];
    const error = await (async () => {
      for await (const line of client.messages.batches.results('msgbatch_x'))
        ids.push(line.custom_id);
    })().catch((e: any) => e);
    expect(ids).toEqual(['c-1']);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.requestID).toBe('req_stall');
  });

  it('idleTimeout counts only time waiting on the network, not a slow consumer', async () => {
    // Every line is there at once; the consumer takes 3× idleTimeout per line.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const n of [1, 2, 3]) {
          controller.enqueue(new TextEncoder().encode(`${JSON.stringify(lines[n])}\n`));
        }
        controller.close();
      },
    });
    const { fetch } = scriptedFetch(() => new Response(body));
    const { client } = testClient(fetch, { idleTimeout: 40 });
    const ids: string[] = [];
    for await (const line of client.messages.batches.results('msgbatch_x')) {
      ids.push(line.custom_id);
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    expect(ids).toEqual(['c-1', 'bad-1', 'e-1']);
  });

  it('a body that trickles in for longer than idleTimeout, a chunk at a time, is read whole', async () => {
    let n = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        n++;
        controller.enqueue(new TextEncoder().encode(`${JSON.stringify(lines[(n % 3) + 1])}\n`));
        if (n === 24) controller.close();
      },
    });
    const { fetch } = scriptedFetch(() => new Response(body));
    // A wide margin between a chunk's 25 ms and idleTimeout, so a loaded machine's
    // late timers cannot look like a stalled body.
    const { client } = testClient(fetch, { idleTimeout: 500 });
    let count = 0;
    for await (const _ of client.messages.batches.results('msgbatch_x')) count++;
    expect(count).toBe(24); // 24 × 25 ms: over 500 ms in all, never 500 ms without a chunk
  });

  it('a body cut short by the network is an APIConnectionError with the request id', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(
            new TextEncoder().encode(`${JSON.stringify(lines[1])}\n{"custom_id":"c-`),
          );
        } else controller.error(new TypeError('terminated'));
      },
    });
    const { fetch } = scriptedFetch(
      () => new Response(body, { headers: { 'request-id': 'req_cut' } }),
    );
    const { client } = testClient(fetch);
    const error = await (async () => {
      for await (const _ of client.messages.batches.results('msgbatch_x'));
    })().catch((e: any) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.requestID).toBe('req_cut');
  });

  it('reading the same results twice says to call results() again', async () => {
    const { fetch } = scriptedFetch(() => jsonl(JSON.stringify(lines[1])));
    const { client } = testClient(fetch);
    const results = await client.messages.batches.results('msgbatch_x');
    for await (const _ of results);
    expect(() => results[Symbol.asyncIterator]()).toThrow(/call results\(\) again/);
  });
});

describe('error bodies', () => {
  it('a 404 whose body stalls still fails promptly with NotFoundError and its status', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"type":"error","err'));
      },
    });
    const { fetch } = scriptedFetch(
      () => new Response(body, { status: 404, headers: { 'request-id': 'req_stall404' } }),
    );
    const { client } = testClient(fetch, { idleTimeout: 30 });
    const error = await client.messages.batches.retrieve('msgbatch_x').catch((e: any) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.requestID).toBe('req_stall404');
  });
});

describe('JSON answers', () => {
  const batch = {
    id: 'msgbatch_x',
    type: 'message_batch',
    processing_status: 'canceling',
    request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: null,
    created_at: '2026-11-28T10:00:00Z',
    expires_at: '2026-11-29T10:00:00Z',
    archived_at: null,
    cancel_initiated_at: '2026-11-28T10:01:00Z',
    results_url: null,
  };

  it('an answer whose body stalls fails after idleTimeout with APIConnectionTimeoutError', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":"msgbatch_x",'));
      },
    });
    const { fetch } = scriptedFetch(
      () => new Response(body, { headers: { 'request-id': 'req_stall200' } }),
    );
    const { client } = testClient(fetch, { idleTimeout: 30, maxRetries: 0 });
    const error = await client.messages.batches.cancel('msgbatch_x').catch((e: any) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.message).toMatch(/No data arrived for 30 ms/);
    expect(error.requestID).toBe('req_stall200');
  });

  it('an answer that trickles in for longer than idleTimeout, a chunk at a time, is read whole', async () => {
    const text = JSON.stringify(batch);
    const pieces = [0, 1, 2, 3, 4, 5].map((i) =>
      text.slice((i * text.length) / 6, ((i + 1) * text.length) / 6),
    );
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        controller.enqueue(new TextEncoder().encode(pieces.shift()));
        if (pieces.length === 0) controller.close();
      },
    });
    const { fetch } = scriptedFetch(() => new Response(body));
    const { client } = testClient(fetch, { idleTimeout: 150 });
    // 6 × 30 ms: more than 150 ms in all, never 150 ms without a chunk.
    expect(await client.messages.batches.cancel('msgbatch_x')).toEqual(batch);
  });
});
