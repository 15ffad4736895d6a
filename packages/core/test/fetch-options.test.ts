import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, MsgbatchClient } from '../src/index.ts';
import { batch, json } from './helpers/fake-fetch.ts';

/** A fetch that records the Request and the extra init each call received. */
function recordingFetch() {
  const calls: { request: Request; init: Record<string, unknown> }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ request: new Request(input), init: { ...(init as Record<string, unknown>) } });
    return json(batch());
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const clientWith = (fetch: typeof globalThis.fetch, fetchOptions?: Record<string, unknown>) =>
  new MsgbatchClient({
    apiKey: 'k',
    baseURL: 'http://127.0.0.1:9',
    fetch,
    fetchOptions,
    logLevel: 'off',
  });

describe('fetchOptions', () => {
  it("passes the client's fetchOptions to every fetch call (an undici dispatcher, say)", async () => {
    const dispatcher = { name: 'proxy-agent' };
    const { fetch, calls } = recordingFetch();
    const client = clientWith(fetch, { dispatcher, referrerPolicy: 'no-referrer' });
    await client.messages.batches.retrieve('msgbatch_1');
    await client.messages.batches.cancel('msgbatch_1');
    expect(calls.map((c) => c.init.dispatcher)).toEqual([dispatcher, dispatcher]);
    expect(calls.map((c) => c.request.referrerPolicy)).toEqual(['no-referrer', 'no-referrer']);
  });

  it("merges a call's fetchOptions over the client's, for that call only", async () => {
    const clientAgent = { name: 'client' };
    const callAgent = { name: 'call' };
    const { fetch, calls } = recordingFetch();
    const client = clientWith(fetch, { dispatcher: clientAgent, priority: 'low' });
    await client.messages.batches.retrieve('msgbatch_1', {
      fetchOptions: { dispatcher: callAgent },
    });
    await client.messages.batches.retrieve('msgbatch_1');
    expect(calls.map((c) => [c.init.dispatcher, c.init.priority])).toEqual([
      [callAgent, 'low'],
      [clientAgent, 'low'],
    ]);
  });

  it('keeps what msgbatch sets itself: method, headers and signal win', async () => {
    const { fetch, calls } = recordingFetch();
    const client = clientWith(fetch, { cache: 'no-store' });
    await client.messages.batches.cancel('msgbatch_1');
    expect(calls[0]!.request.method).toBe('POST');
    expect(calls[0]!.request.headers.get('x-api-key')).toBe('k');
  });

  it.each(['method', 'headers', 'body', 'signal', 'timeout', 'hooks', 'prefixUrl'])(
    'refuses a reserved key (%s) before anything is sent',
    async (key) => {
      const { fetch, calls } = recordingFetch();
      expect(() => clientWith(fetch, { [key]: 'x' })).toThrow(InvalidArgumentError);
      const client = clientWith(fetch);
      const error = await client.messages.batches
        .retrieve('msgbatch_1', { fetchOptions: { [key]: 'x' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toContain(`fetchOptions.${key}`);
      expect(calls).toHaveLength(0);
    },
  );
});
