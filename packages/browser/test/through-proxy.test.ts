import { createBatchesProxy, mintBrowserToken } from '@msgbatch/core/proxy';
import { createEmulator } from '@msgbatch/emulator';
import { describe, expect, it } from 'vitest';
import { BrowserClient, PermissionDeniedError } from '../src/index.ts';

const API_KEY = 'sk-ant-api03-through-proxy-canary-000';
const SECRET = new Uint8Array(32).fill(7);
const PAGE = 'https://app.test';
const PROXY = 'https://app.test/api/batches-proxy';

/** A page's client → the proxy → the emulator, all in process, with each step's fetch wired to the next. */
function wire(scopes: Parameters<typeof mintBrowserToken>[0]['scopes']) {
  const emulator = createEmulator({ apiKeys: [API_KEY], clock: 'manual', seed: 1 });
  const proxy = createBatchesProxy({
    upstream: { baseURL: 'http://emulator.test', apiKey: API_KEY },
    verify: { secret: SECRET },
    allowedOrigins: [PAGE],
    mountPath: '/api/batches-proxy',
    fetch: (request) => emulator.fetch(request),
    logLevel: 'off',
  });
  let minted = 0;
  const client = new BrowserClient({
    baseURL: PROXY,
    getToken: () => {
      minted++;
      return mintBrowserToken({ secret: SECRET, subject: 'alice', scopes });
    },
    // As a page would send it: with its Origin.
    fetch: (input, init) => {
      const request = new Request(input, init);
      request.headers.set('origin', PAGE);
      return proxy(request);
    },
  });
  return { emulator, client, minted: () => minted };
}

describe('BrowserClient through createBatchesProxy to the emulator', () => {
  it('cancels, waits for the end and reads the canceled custom_ids from the streamed results', async () => {
    const { emulator, client, minted } = wire([
      'batches:read',
      'batches:results',
      'batches:cancel',
    ]);
    const created = await emulator.fetch(
      new Request('http://emulator.test/v1/messages/batches', {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          requests: Array.from({ length: 50 }, (_, i) => ({
            custom_id: `req-${i}`,
            params: {
              model: 'claude-x',
              max_tokens: 1,
              messages: [{ role: 'user', content: 'hi' }],
            },
          })),
        }),
      }),
    );
    const { id } = await created.json();
    const canceling = await client.messages.batches.cancel(id);
    expect(canceling.processing_status).toBe('canceling');
    emulator.clock.advance(5_000);
    const ended = await client.messages.batches.retrieve(id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.results_url).toBe(`${PROXY}/v1/messages/batches/${id}/results`);
    const ids = await client.messages.batches.canceledRequests(id);
    expect(ids).toHaveLength(ended.request_counts.canceled);
    expect(ids.length).toBeGreaterThan(0);
    expect(minted()).toBe(1);
  });

  it("surfaces the proxy's 403 as PermissionDeniedError, without a token refresh", async () => {
    const { client, minted } = wire(['batches:read']);
    const error = await client.messages.batches
      .cancel('msgbatch_x')
      .catch((e) => e as PermissionDeniedError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.type).toBe('permission_error');
    expect(minted()).toBe(1);
  });
});
