// @ts-check
/**
 * The browser token path, assembled in one process: an emulator as the upstream API,
 * `createBatchesProxy` in front of it holding the real key, and tokens minted with
 * `mintBrowserToken`. The browser client reaches the proxy through an in-process
 * fetch. (Chromium runs build the same thing over HTTP instead: see runners/chromium.mjs.)
 */
import { batchRequests } from '../scenarios/fixtures.js';

/** Where the proxy pretends to be mounted. */
export const PROXY_MOUNT = '/api/batches-proxy';
/** The shared HS256 secret of the conformance tokens (≥ 32 bytes). */
export const TOKEN_SECRET = 'conformance-token-secret-0123456789abcdef';

/**
 * @param {{ proxy: any, createEmulator: (options?: any) => any, Client: any }} deps
 *   `proxy` is `@msgbatch/core/proxy` (or a runtime package re-exporting it)
 * @returns {Promise<import('./harness.js').TokenPath>}
 */
export async function inProcessTokenPath({ proxy, createEmulator, Client }) {
  const upstreamKey = `sk-ant-upstream-${Math.random().toString(36).slice(2)}`;
  const upstreamURL = 'http://upstream.test';
  const api = createEmulator({ clock: 'manual', apiKeys: [upstreamKey] });
  const admin = new Client({ apiKey: upstreamKey, baseURL: upstreamURL, fetch: api.fetch });
  const batch = await admin.messages.batches.create({ requests: batchRequests(5) });

  const handler = proxy.createBatchesProxy({
    upstream: { baseURL: upstreamURL, apiKey: upstreamKey },
    verify: { secret: TOKEN_SECRET },
    allowedOrigins: ['http://app.test'],
    mountPath: PROXY_MOUNT,
    fetch: api.fetch,
    logLevel: 'off',
  });
  /** @param {string[]} scopes */
  const mint = (scopes) =>
    proxy.mintBrowserToken({ secret: TOKEN_SECRET, subject: 'user-1', scopes, ttlSeconds: 300 });
  return {
    baseURL: `http://app.test${PROXY_MOUNT}`,
    fetch: (input, init) => handler(new Request(input, init)),
    getToken: () => mint(['batches:read', 'batches:cancel']),
    getReadOnlyToken: () => mint(['batches:read']),
    batchId: batch.id,
    secretMarker: upstreamKey,
    close: async () => {},
  };
}
