import { describe, expect, it } from 'vitest';
import { batch, json, testClient } from './helpers/fake-fetch.ts';

const text = '{"requests":[{"custom_id":"a","params":{}}]}';
const streamed = () => ({
  stream: () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    }),
  bytes: text.length,
});

describe('a streamed request body', () => {
  it('reaches fetch in a Request whose redirect mode is "error", so fetch never tees it', async () => {
    // Node's fetch (undici) clones a request whose redirect mode is not "error" before sending
    // it (fetch spec, HTTP-network-or-cache fetch, step 8): the clone tees the body, and the
    // branch never read keeps every byte sent — a 120 MB chunk held whole (bench fig-jobs).
    const seen: Request[] = [];
    let received = '';
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      seen.push(request);
      received = await request.text();
      return json(batch());
    };
    const { client } = testClient(fetch as typeof globalThis.fetch);
    await client.transport.request({
      method: 'POST',
      path: '/v1/messages/batches',
      body: streamed(),
      idempotent: false,
    });
    expect(received).toBe(text);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.redirect).toBe('error');
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers.get('x-api-key')).toBeTruthy();
  });

  it('a string body keeps redirect "manual" (a 3xx answer is reported, never followed)', async () => {
    const seen: Request[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(request);
      return json(batch());
    };
    const { client } = testClient(fetch as typeof globalThis.fetch);
    await client.transport.request({
      method: 'POST',
      path: '/v1/messages/batches',
      body: text,
      idempotent: false,
    });
    expect(seen[0]?.redirect).toBe('manual');
  });
});
