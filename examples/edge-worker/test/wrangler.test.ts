/**
 * The example as a Cloudflare user runs it: `wrangler dev --local` with this folder's
 * wrangler.jsonc (wrangler bundles src/worker.ts itself), under the Node 22 this
 * package installs from the registry (wrangler needs Node 22.12 or later). The secrets
 * come from the environment, as `wrangler.jsonc` declares; the upstream is an emulator
 * served on 127.0.0.1. Nothing is fetched from the network: no banner or update check,
 * no metrics, no `cf` object download.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { mintBrowserToken } from '@msgbatch/core/proxy';
import { createEmulator, type EmulatorServer } from '@msgbatch/emulator';
import { afterAll, beforeAll, expect, test } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const node22 = `${here}node_modules/node22/bin/node`;
const wrangler = `${here}node_modules/wrangler/bin/wrangler.js`;
const KEY = 'sk-ant-wrangler-dev-secret-key';
const SECRET = 'wrangler-dev-token-secret-0123456789abcdef';
const APP = 'https://app.example.com'; // ALLOWED_ORIGINS in wrangler.jsonc

const upstream = createEmulator({
  clock: 'manual',
  apiKeys: [KEY],
  batchId: () => 'message_batch_id',
});
let server: EmulatorServer;
let child: ChildProcess;
let output = '';
let base = '';

/** A port nobody listens on now (wrangler wants a number, not 0). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  server = await upstream.listen();
  await fetch(`${server.url}/v1/messages/batches`, {
    method: 'POST',
    headers: {
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
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
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    ANTHROPIC_API_KEY: KEY,
    MSGBATCH_TOKEN_SECRET: SECRET,
    WRANGLER_HIDE_BANNER: 'true',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    NO_COLOR: '1',
  };
  delete env.NODE_OPTIONS;
  child = spawn(
    node22,
    [
      wrangler,
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--var',
      `ANTHROPIC_BASE_URL:${server.url}`,
      '--persist-to',
      '.tmp/wrangler-state',
      '--show-interactive-dev-session=false',
    ],
    { cwd: here, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (ready?.[1]) {
        base = ready[1];
        resolve();
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => reject(new Error(`wrangler dev exited (${code}):\n${output}`)));
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await server?.close();
});

test('wrangler dev reads the bindings of wrangler.jsonc and the secrets from the environment', () => {
  expect(output).toContain('env.ALLOWED_ORIGINS ("https://app.example.com")');
  expect(output).toMatch(/env\.ANTHROPIC_API_KEY \("\(hidden\)"\)/);
  expect(output).toMatch(/env\.MSGBATCH_TOKEN_SECRET \("\(hidden\)"\)/);
  expect(output).not.toContain(KEY);
});

test('POST /batches/:id/cancel cancels upstream with the secret key', async () => {
  const response = await fetch(`${base}/batches/message_batch_id/cancel`, { method: 'POST' });
  const text = await response.text();
  expect(response.status).toBe(200);
  expect(JSON.parse(text)).toMatchObject({
    id: 'message_batch_id',
    processing_status: 'canceling',
  });
  expect(text).not.toContain(KEY);
});

test('the browser proxy answers a page of ALLOWED_ORIGINS holding a token, never with the key', async () => {
  const token = await mintBrowserToken({
    secret: SECRET,
    subject: 'user-1',
    scopes: ['batches:read'],
    ttlSeconds: 60,
  });
  const response = await fetch(`${base}/api/batches-proxy/v1/messages/batches/message_batch_id`, {
    headers: { authorization: `Bearer ${token}`, origin: APP },
  });
  const text = await response.text();
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  expect(JSON.parse(text)).toMatchObject({ id: 'message_batch_id' });
  expect(text).not.toContain(KEY);
  const refused = await fetch(
    `${base}/api/batches-proxy/v1/messages/batches/message_batch_id/cancel`,
    { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: APP } },
  );
  expect(refused.status).toBe(403);
  await refused.arrayBuffer();
});
