/**
 * The example Worker under workerd (through miniflare), built as it would be deployed
 * (dist/worker.js). Its upstream is an emulator in this process: miniflare's outbound
 * service receives every fetch the Worker makes.
 */
import { mintBrowserToken } from '@msgbatch/core/proxy';
import { createEmulator } from '@msgbatch/emulator';
import {
  Miniflare,
  type Request as MiniflareRequest,
  Response as MiniflareResponse,
} from 'miniflare';
import { afterAll, beforeAll, expect, test } from 'vitest';

const KEY = 'sk-ant-edge-worker-secret-key';
const SECRET = 'edge-worker-token-secret-0123456789abcdef';
const APP = 'http://app.test';
const upstream = createEmulator({
  clock: 'manual',
  apiKeys: [KEY],
  batchId: () => 'message_batch_id',
});
const seenKeys: (string | null)[] = [];
let mf: Miniflare;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    scriptPath: new URL('../dist/worker.js', import.meta.url).pathname,
    compatibilityDate: '2026-04-01',
    bindings: {
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: 'http://upstream.test',
      MSGBATCH_TOKEN_SECRET: SECRET,
      ALLOWED_ORIGINS: APP,
    },
    outboundService: async (request: MiniflareRequest) => {
      seenKeys.push(request.headers.get('x-api-key'));
      const answer = await upstream.fetch(request.url, {
        method: request.method,
        headers: request.headers as unknown as HeadersInit,
        body: request.body as unknown as BodyInit | null,
        duplex: 'half',
      } as RequestInit);
      return new MiniflareResponse(answer.body as never, {
        status: answer.status,
        headers: Object.fromEntries(answer.headers),
      });
    },
  });
  const client = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
  await upstream.fetch('http://upstream.test/v1/messages/batches', {
    method: 'POST',
    headers: { ...client, 'content-type': 'application/json' },
    body: JSON.stringify({
      requests: [0, 1, 2].map((i) => ({
        custom_id: `req-${i}`,
        params: {
          model: 'claude-sonnet-4-5',
          max_tokens: 8,
          messages: [{ role: 'user', content: 'hi' }],
        },
      })),
    }),
  });
});

afterAll(async () => {
  await mf?.dispose();
});

const token = (scopes: ('batches:read' | 'batches:cancel')[]) =>
  mintBrowserToken({ secret: SECRET, subject: 'user-1', scopes, ttlSeconds: 60 });

test('POST /batches/:id/cancel cancels with the bound key (the documented example)', async () => {
  const response = await mf.dispatchFetch('http://worker.test/batches/message_batch_id/cancel', {
    method: 'POST',
  });
  expect(response.status).toBe(200);
  const batch = (await response.json()) as { id: string; processing_status: string };
  expect(batch).toMatchObject({ id: 'message_batch_id', processing_status: 'canceling' });
  expect(seenKeys.at(-1)).toBe(KEY);
});

test('an upstream 404 comes back as the API error envelope, without the key', async () => {
  const response = await mf.dispatchFetch('http://worker.test/batches/msgbatch_missing');
  expect(response.status).toBe(404);
  const text = await response.text();
  expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  expect(text).not.toContain(KEY);
});

test('the browser proxy forwards what the token allows, with CORS for the app origin', async () => {
  const response = await mf.dispatchFetch(
    'http://worker.test/api/batches-proxy/v1/messages/batches/message_batch_id',
    { headers: { authorization: `Bearer ${await token(['batches:read'])}`, origin: APP } },
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  const text = await response.text();
  expect(JSON.parse(text)).toMatchObject({ id: 'message_batch_id' });
  expect(text).not.toContain(KEY);
  expect([...response.headers].join(' ')).not.toContain(KEY);
});

test('the proxy refuses a cancel the token does not allow, and a foreign preflight', async () => {
  const denied = await mf.dispatchFetch(
    'http://worker.test/api/batches-proxy/v1/messages/batches/message_batch_id/cancel',
    {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(['batches:read'])}`, origin: APP },
    },
  );
  expect(denied.status).toBe(403);
  const before = seenKeys.length;
  const preflight = await mf.dispatchFetch(
    'http://worker.test/api/batches-proxy/v1/messages/batches',
    {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'GET' },
    },
  );
  expect(preflight.status).toBe(403);
  expect(seenKeys.length).toBe(before);
});

test('unknown routes are 404', async () => {
  const response = await mf.dispatchFetch('http://worker.test/nope');
  expect(response.status).toBe(404);
  await response.arrayBuffer();
});
