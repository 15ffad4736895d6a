/**
 * An edge Worker (Cloudflare Workers / workerd module syntax) that uses msgbatch with
 * its bindings:
 *
 * - `POST /batches/:id/cancel` cancels a batch with the Worker's own API key and
 *   answers the batch; `GET /batches/:id` reads one. (Your routes would check who is
 *   asking first; this example only shows the client.)
 * - `/api/batches-proxy/*` is the browser proxy: pages holding a token minted by your
 *   backend (`mintBrowserToken`, same `MSGBATCH_TOKEN_SECRET`) reach the batch
 *   operations their scopes allow, and never see the key.
 *
 * The client and the proxy call the upstream with the Worker's global `fetch`.
 */
import { isMsgbatchError, MsgbatchClient } from '@msgbatch/core';
import { createBatchesProxy } from '@msgbatch/core/proxy';

/** The Worker's bindings (wrangler `vars` / secrets). */
export interface Env {
  /** The real API key; a secret. */
  ANTHROPIC_API_KEY: string;
  /** Upstream base URL; default `https://api.anthropic.com`. */
  ANTHROPIC_BASE_URL?: string;
  /** Shared secret (≥ 32 bytes) the browser tokens are signed with. */
  MSGBATCH_TOKEN_SECRET: string;
  /** Comma-separated origins whose pages may use the proxy. */
  ALLOWED_ORIGINS: string;
}

/** The part of the Workers `ExecutionContext` this Worker uses (no types dependency). */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

const PROXY_MOUNT = '/api/batches-proxy';
const BATCH_ROUTE = /^\/batches\/([A-Za-z0-9_-]+)(\/cancel)?$/;

/** One client per binding set, made on first use: bindings do not change within an isolate. */
let cached: { env: Env; client: MsgbatchClient; proxy: (request: Request) => Promise<Response> };

function forEnv(env: Env) {
  if (cached?.env !== env) {
    const baseURL = env.ANTHROPIC_BASE_URL || undefined;
    cached = {
      env,
      client: new MsgbatchClient({ apiKey: env.ANTHROPIC_API_KEY, baseURL }),
      proxy: createBatchesProxy({
        upstream: {
          baseURL: baseURL ?? 'https://api.anthropic.com',
          apiKey: env.ANTHROPIC_API_KEY,
        },
        verify: { secret: env.MSGBATCH_TOKEN_SECRET },
        allowedOrigins: env.ALLOWED_ORIGINS.split(',').map((o) => o.trim()),
        mountPath: PROXY_MOUNT,
      }),
    };
  }
  return cached;
}

/** An error answered in the API's envelope, with the status the API gave (never the key). */
function errorResponse(error: unknown): Response {
  const status = isMsgbatchError(error) && 'status' in error ? Number(error.status) : 502;
  const type = isMsgbatchError(error) && 'type' in error ? String(error.type) : 'api_error';
  const message = error instanceof Error ? error.message : 'upstream failed';
  return Response.json({ type: 'error', error: { type, message } }, { status });
}

export default {
  async fetch(request: Request, env: Env, _ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const { client, proxy } = forEnv(env);
    if (url.pathname === PROXY_MOUNT || url.pathname.startsWith(`${PROXY_MOUNT}/`)) {
      return proxy(request);
    }
    const match = BATCH_ROUTE.exec(url.pathname);
    if (!match) return new Response('Not found', { status: 404 });
    const [, id, cancel] = match as unknown as [string, string, string | undefined];
    try {
      if (cancel && request.method === 'POST') {
        return Response.json(await client.messages.batches.cancel(id, { signal: request.signal }));
      }
      if (!cancel && request.method === 'GET') {
        return Response.json(
          await client.messages.batches.retrieve(id, { signal: request.signal }),
        );
      }
      return new Response('Method not allowed', { status: 405 });
    } catch (error) {
      return errorResponse(error);
    }
  },
};
