import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatch } from '../../src/operations/create-batch.ts';
import type { StreamedBody } from '../../src/transport/transport.ts';
import { apiError, batch, json, testClient } from '../helpers/fake-fetch.ts';

const PIECES = 50;
const PIECE = 'x'.repeat(1024);

/** A body of 50 pieces made as they are pulled; counts what was made and how often it was asked for. */
function countedBody() {
  const counts = { factories: 0, produced: 0 };
  const body: StreamedBody = {
    bytes: PIECES * PIECE.length,
    stream() {
      counts.factories++;
      let made = 0;
      return new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (made === PIECES) return controller.close();
            made++;
            counts.produced++;
            controller.enqueue(new TextEncoder().encode(PIECE));
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
  return { body, counts };
}

const spec = (body: StreamedBody) => ({
  method: 'POST' as const,
  path: '/v1/messages/batches',
  body,
  idempotent: false,
});

afterEach(() => vi.restoreAllMocks());

describe('a streamed request body', () => {
  it('reaches fetch as a stream read piece by piece, never cloned or read ahead', async () => {
    const { body, counts } = countedBody();
    const clones: (ReadableStream | null)[] = [];
    const clone = Request.prototype.clone;
    vi.spyOn(Request.prototype, 'clone').mockImplementation(function (this: Request) {
      clones.push(this.body);
      return clone.call(this);
    });
    let maxAhead = 0;
    let received = 0;
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input as Request;
      expect(init).not.toHaveProperty('stream');
      expect(request.headers.get('content-type')).toBe('application/json');
      const reader = request.body!.getReader();
      for (let read = 0; ; read++) {
        const next = await reader.read();
        if (next.done) break;
        received += next.value.byteLength;
        maxAhead = Math.max(maxAhead, counts.produced - (read + 1));
      }
      return json(batch());
    };
    const { client } = testClient(fetch as typeof globalThis.fetch);
    const answer = await client.transport.request(spec(body));
    expect(answer.response.status).toBe(200);
    expect(received).toBe(body.bytes);
    // Pulled as fetch read it: at most a piece or two ahead, never the whole body.
    expect(maxAhead).toBeLessThanOrEqual(2);
    expect(counts.factories).toBe(1);
    // ky clones the Request it is given; that one never holds the body (a tee would buffer it).
    expect(clones.length).toBeGreaterThan(0);
    expect(clones.every((b) => b === null)).toBe(true);
  });

  it('a 529 retry sends the body again from the factory', async () => {
    const { body, counts } = countedBody();
    const sizes: number[] = [];
    let calls = 0;
    const fetch = async (input: RequestInfo | URL) => {
      const text = await (input as Request).text();
      sizes.push(text.length);
      return ++calls === 1
        ? apiError(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '5' })
        : json(batch());
    };
    const { client, slept } = testClient(fetch as typeof globalThis.fetch);
    await client.transport.request(spec(body), { maxRetries: 2 });
    expect(counts.factories).toBe(2);
    expect(sizes).toEqual([body.bytes, body.bytes]);
    expect(slept).toEqual([5]);
  });

  it('a stream of a one-shot source is asked for once per attempt: a second read would fail', async () => {
    let given = false;
    const body: StreamedBody = {
      bytes: 2,
      stream() {
        if (given) throw new Error('read twice');
        given = true;
        return new Blob(['{}']).stream();
      },
    };
    const fetch = async (input: RequestInfo | URL) => {
      expect(await (input as Request).text()).toBe('{}');
      return json(batch());
    };
    const { client } = testClient(fetch as typeof globalThis.fetch);
    await expect(client.transport.request(spec(body))).resolves.toBeDefined();
  });

  it('leaves a string body as it was', async () => {
    let seen: unknown;
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      seen = init;
      expect(await (input as Request).text()).toContain('"requests"');
      return json(batch());
    };
    const { client } = testClient(fetch as typeof globalThis.fetch);
    await createBatch(client.transport, {
      requests: [{ custom_id: 'a', params: { model: 'm', max_tokens: 1, messages: [] } }],
    });
    expect(seen).not.toHaveProperty('stream');
  });
});
