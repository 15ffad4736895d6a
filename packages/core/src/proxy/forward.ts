import { redactJSON } from '../transport/redact-values.ts';
import { errorResponse } from './envelope.ts';
import { redactStream } from './redact-stream.ts';
import type { ProxyRoute } from './route.ts';

/** Where and how the proxy reaches the API. Give `apiKey` or `authToken`. */
export interface UpstreamOptions {
  /** Base URL of the API (or of the emulator), e.g. `https://api.anthropic.com`. */
  baseURL: string;
  /** The real API key, sent as `x-api-key`. Never leaves the server. */
  apiKey?: string | undefined;
  /** A bearer credential instead of an API key. */
  authToken?: string | undefined;
  /** `anthropic-version` when the caller sends none. Default `2023-06-01`. */
  apiVersion?: string | undefined;
}

const VERSION = /^\d{4}-\d{2}-\d{2}$/;
/** Upstream response headers the page may see; everything else (cookies, org ids) stays here. */
const RELAYED_HEADERS = [
  'content-type',
  'request-id',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
];

/**
 * The request sent upstream. Its headers are built from scratch, never copied,
 * so the caller's `authorization`, cookies and anything else stay behind; the
 * path comes from the matched route, the query only carries list's cursors.
 */
export function upstreamRequest(
  upstream: UpstreamOptions,
  route: ProxyRoute,
  incoming: Request,
  body: Uint8Array | undefined,
): Request {
  const url = new URL(upstream.baseURL.replace(/\/+$/, '') + route.upstreamPath);
  if (route.operation === 'list') {
    const query = new URL(incoming.url).searchParams;
    for (const name of ['limit', 'before_id', 'after_id']) {
      const value = query.get(name);
      if (value !== null) url.searchParams.set(name, value);
    }
  }
  const asked = incoming.headers.get('anthropic-version');
  const headers: Record<string, string> = {
    'anthropic-version':
      asked && VERSION.test(asked) ? asked : (upstream.apiVersion ?? '2023-06-01'),
    accept: route.operation === 'results' ? 'application/x-jsonl' : 'application/json',
    ...(upstream.apiKey
      ? { 'x-api-key': upstream.apiKey }
      : { authorization: `Bearer ${upstream.authToken}` }),
  };
  if (body) headers['content-type'] = 'application/json';
  return new Request(url, {
    method: incoming.method,
    headers,
    body: body as BodyInit | undefined,
    // A redirect would carry x-api-key to wherever it points; the API never redirects.
    redirect: 'manual',
    signal: incoming.signal,
  });
}

/** What {@link relayResponse} needs besides the upstream answer. */
export interface RelayContext {
  route: ProxyRoute;
  /** The proxy's own public base (origin + mount path), for `results_url`. */
  publicBase: string;
  /** CORS headers for the caller. */
  cors: Record<string, string>;
  /** Removes the upstream credential from text. */
  redact: (text: string) => string;
  /** The upstream credentials, for redacting a streamed results body. */
  secrets?: readonly (string | undefined)[] | undefined;
}

/**
 * Turns the upstream answer into the caller's. Results are streamed through as
 * they arrive; JSON answers are small, so they are read to rewrite `results_url`
 * (which names the upstream) into the proxy's own results route.
 */
export async function relayResponse(upstream: Response, context: RelayContext): Promise<Response> {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...context.cors };
  for (const name of RELAYED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers[name] = context.redact(value);
  }
  if (upstream.status >= 300 && upstream.status < 400) {
    await upstream.body?.cancel();
    return errorResponse(
      502,
      'api_error',
      'The upstream API answered with a redirect.',
      context.cors,
    );
  }
  if (upstream.status === 401) {
    // The page's token was fine (the proxy checked it): the server's own credential was refused.
    // Passing a 401 on would only make the page refresh its token for nothing.
    await upstream.body?.cancel();
    return errorResponse(
      502,
      'api_error',
      "The proxy's upstream credential was refused; check the server's configuration.",
      context.cors,
    );
  }
  if (upstream.ok && context.route.operation === 'results') {
    const body = upstream.body && redactStream(upstream.body, context.secrets ?? []);
    return new Response(body, { status: upstream.status, headers });
  }
  // Redacted after decoding too: a JSON-escaped echo (`sk\u002dant…`) is the key once the
  // page parses it.
  const text = redactDecoded(await upstream.text(), context.redact);
  if (!upstream.ok) {
    if (!looksLikeJSON(text)) {
      return errorResponse(
        upstream.status >= 500 ? upstream.status : 502,
        'api_error',
        `The upstream API answered with status ${upstream.status}.`,
        context.cors,
      );
    }
    return new Response(text, { status: upstream.status, headers });
  }
  return new Response(rewriteResultsURLs(text, context.publicBase), {
    status: upstream.status,
    headers,
  });
}

function redactDecoded(raw: string, redact: (text: string) => string): string {
  try {
    const value = JSON.parse(raw);
    const clean = redactJSON(value, redact);
    return clean === value ? redact(raw) : JSON.stringify(clean);
  } catch {
    return redact(raw);
  }
}

function looksLikeJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Points every `results_url` (of a batch, or of each batch in a list page) at the proxy. */
function rewriteResultsURLs(text: string, publicBase: string): string {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  const batches = Array.isArray(body?.data) ? body.data : [body];
  for (const batch of batches) {
    if (batch && typeof batch.results_url === 'string' && typeof batch.id === 'string') {
      batch.results_url = `${publicBase}/v1/messages/batches/${encodeURIComponent(batch.id)}/results`;
    }
  }
  return JSON.stringify(body);
}
