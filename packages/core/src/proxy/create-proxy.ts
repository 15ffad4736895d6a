import { InvalidArgumentError } from '../errors.ts';
import { createLog, type Logger, type LogLevel } from '../transport/logger.ts';
import { createRedactor } from '../transport/redact.ts';
import { authorize, isRefusal, type Refusal } from './authorize.ts';
import { type AllowedOrigins, createCorsPolicy } from './cors.ts';
import { errorResponse } from './envelope.ts';
import { relayResponse, type UpstreamOptions, upstreamRequest } from './forward.ts';
import { checkKeyChoice } from './keys.ts';
import { DEFAULT_MAX_BODY_BYTES, exceedsDeclaredLength, readBodyLimited } from './read-body.ts';
import { matchRoute, normalizeMountPath } from './route.ts';
import type { ProxyOperation } from './scopes.ts';
import {
  type BrowserTokenClaims,
  createTokenVerifier,
  type VerifyOptions,
} from './verify-token.ts';

/** What `onRequest` is told about a request the token allows, before it is forwarded. */
export interface ProxyRequestEvent {
  request: Request;
  operation: ProxyOperation;
  /** The batch the request is about; null for create and list. */
  batchId: string | null;
  /** The verified token. */
  claims: BrowserTokenClaims;
}

/** Options of {@link createBatchesProxy}. */
export interface BatchesProxyOptions {
  /** The API and the real credential. */
  upstream: UpstreamOptions;
  /** How tokens are checked: the secret or public key they were minted with, and optional iss/aud. */
  verify: VerifyOptions;
  /** Origins whose pages may call the proxy (`https://app.example.com`), or a predicate. */
  allowedOrigins: AllowedOrigins;
  /** Where the proxy is mounted, e.g. `/api/batches-proxy`; the client's `baseURL` ends with it. */
  mountPath?: string | undefined;
  /** The proxy's public URL (with the mount path), when the request URL is not it (behind a reverse proxy). */
  publicURL?: string | undefined;
  /** The fetch used to reach upstream; default the global one. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /**
   * Called for each request the token allows, before it is forwarded: audit it, rate-limit per
   * user, or check that the batch belongs to the user. Return a `Response` to answer instead.
   */
  onRequest?: // biome-ignore lint/suspicious/noConfusingVoidType: a hook that only observes returns nothing.
  ((event: ProxyRequestEvent) => void | Response | Promise<void | Response>) | undefined;
  /** Largest request body accepted, in bytes; larger ones get 413. Default 32 MiB. */
  maxBodyBytes?: number | undefined;
  /** Where log lines go. Default `console`. The upstream credential is redacted from every line. */
  logger?: Logger | undefined;
  /** Lowest level logged: `info` logs one line per request. Default `warn`. */
  logLevel?: LogLevel | undefined;
  /** Time source in ms since the epoch, for token expiry; default `Date.now`. */
  now?: (() => number) | undefined;
}

/** A fetch-style handler: Node (through `toNodeHandler`), Deno, Bun and edge workers all take it. */
export type BatchesProxyHandler = (request: Request) => Promise<Response>;

/**
 * Creates the backend half of browser use: a handler that checks a page's
 * short-lived token (see `mintBrowserToken`), allows only the batch operations
 * its scopes and batch ids name, and forwards those with the real credential.
 *
 * @example
 * const proxy = createBatchesProxy({
 *   upstream: { baseURL: 'https://api.anthropic.com', apiKey: env.ANTHROPIC_API_KEY },
 *   verify: { secret: env.MSGBATCH_TOKEN_SECRET },
 *   allowedOrigins: ['https://app.example.com'],
 *   mountPath: '/api/batches-proxy',
 * });
 * export default { fetch: proxy }; // or Deno.serve(proxy), or toNodeHandler(proxy)
 */
export function createBatchesProxy(options: BatchesProxyOptions): BatchesProxyHandler {
  const { upstream } = options;
  checkUpstream(upstream);
  checkKeyChoice('verify', options.verify?.secret, options.verify?.publicKey, 'verify');
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isInteger(maxBody) && maxBody >= 0)) {
    throw new InvalidArgumentError('maxBodyBytes', `must be a whole number >= 0, got ${maxBody}`);
  }
  const verifyToken = createTokenVerifier(options.verify);
  const cors = createCorsPolicy(options.allowedOrigins);
  const mountPath = normalizeMountPath(options.mountPath);
  const redact = createRedactor([upstream.apiKey, upstream.authToken]);
  const log = createLog(options.logger ?? console, options.logLevel ?? 'warn', redact);
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const now = options.now ?? Date.now;

  async function handle(request: Request, url: URL, note: { subject?: string }) {
    const origin = request.headers.get('origin');
    if (!cors.permits(origin)) {
      return errorResponse(403, 'permission_error', 'This origin may not call the proxy.', {
        vary: 'Origin',
      });
    }
    const corsHeaders = cors.headers(origin);
    const refuse = (r: Refusal) =>
      errorResponse(r.status, r.type, r.message, { ...corsHeaders, ...r.headers });
    const isPreflight =
      request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
    if (isPreflight && origin !== null) return cors.preflight(request, origin);
    const route = matchRoute(request.method, url.pathname, mountPath);
    if (route === 'not_found') return refuse(NOT_FOUND);
    if (route === 'bad_path') return refuse(BAD_PATH);
    const tooLarge: Refusal = {
      status: 413,
      type: 'request_too_large',
      message: `The request body is larger than ${maxBody} bytes.`,
    };
    if (exceedsDeclaredLength(request, maxBody)) return refuse(tooLarge);
    const claims = await authorize(request, route, verifyToken, now());
    if (isRefusal(claims)) return refuse(claims);
    note.subject = claims.subject;
    let body: Uint8Array | undefined;
    if (route.operation === 'create') {
      const read = await readBodyLimited(request, maxBody);
      if (read === null) return refuse(tooLarge);
      body = read;
    }
    const { operation, batchId } = route;
    const replaced = await options.onRequest?.({ request, operation, batchId, claims });
    if (replaced instanceof Response) return withHeaders(replaced, corsHeaders);
    let answer: Response;
    try {
      answer = await send(upstreamRequest(upstream, route, request, body));
    } catch (error) {
      log('warn', `proxy: upstream ${operation} failed: ${describe(error)}`);
      return refuse(UNREACHABLE);
    }
    const publicBase = options.publicURL?.replace(/\/+$/, '') ?? url.origin + mountPath;
    return relayResponse(answer, {
      route,
      publicBase,
      cors: corsHeaders,
      redact,
      secrets: [upstream.apiKey, upstream.authToken],
    });
  }

  return async (request) => {
    const url = new URL(request.url);
    const note: { subject?: string } = {};
    let response: Response;
    try {
      response = await handle(request, url, note);
    } catch (error) {
      log('error', `proxy: ${request.method} ${url.pathname} failed: ${describe(error)}`);
      response = errorResponse(500, 'api_error', 'The proxy failed to handle the request.');
    }
    log(
      'info',
      `proxy: ${request.method} ${url.pathname} → ${response.status}${note.subject ? ` (sub ${note.subject})` : ''}`,
    );
    return response;
  };
}

const NOT_FOUND: Refusal = {
  status: 404,
  type: 'not_found_error',
  message: 'Not found: the proxy serves only the Message Batches operations.',
};
const BAD_PATH: Refusal = {
  status: 400,
  type: 'invalid_request_error',
  message: 'The request path is not allowed.',
};
const UNREACHABLE: Refusal = {
  status: 502,
  type: 'api_error',
  message: 'The proxy could not reach the upstream API.',
};

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function checkUpstream(upstream: UpstreamOptions | undefined) {
  try {
    new URL(upstream?.baseURL ?? '');
  } catch {
    throw new InvalidArgumentError(
      'upstream.baseURL',
      'must be an absolute URL, e.g. https://api.anthropic.com',
    );
  }
  if (!upstream!.apiKey && !upstream!.authToken) {
    throw new InvalidArgumentError('upstream', 'pass the real credential as apiKey or authToken');
  }
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: merged,
  });
}
