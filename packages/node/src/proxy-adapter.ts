import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as NodeStream from 'node:stream';
import type * as NodeStreamPromises from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Logger } from '@msgbatch/core';

/** The stream helpers the adapter uses, loaded by `toNodeHandler` rather than with `@msgbatch/node`. */
interface Streams {
  Readable: typeof NodeStream.Readable;
  pipeline: typeof NodeStreamPromises.pipeline;
}

// node:stream is a few dozen internal modules; programs that import `@msgbatch/node`
// only for the client should not load it, so the adapter starts loading it when it is
// created and each request waits for that (already settled) promise.
async function loadStreams(): Promise<Streams> {
  const [{ Readable }, { pipeline }] = await Promise.all([
    import('node:stream'),
    import('node:stream/promises'),
  ]);
  return { Readable, pipeline };
}

/** A web-style handler, such as the one `createBatchesProxy` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * A `node:http` request (an `IncomingMessage`, or Express's, with `originalUrl` when
 * mounted under a path). Declared by the parts the adapter uses, so that the package's
 * types do not need `@types/node` in the user's compilation.
 */
export interface NodeRequest extends AsyncIterable<any> {
  method?: string | undefined;
  url?: string | undefined;
  originalUrl?: string | undefined;
  headers: { host?: string | undefined };
  rawHeaders: string[];
  socket: object;
}

/** A `node:http` `ServerResponse` (or Express's), by the parts the adapter uses. */
export interface NodeResponse {
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  on(event: 'close', listener: () => void): unknown;
  writeHead(statusCode: number, ...rest: any[]): unknown;
  end(...args: any[]): unknown;
  destroy(error?: Error): unknown;
}

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * Where the adapter's own refusals (a request it cannot hand on) and failures are
   * logged, as one `warn` or `error` line each. Default `console`.
   */
  logger?: Pick<Logger, 'warn' | 'error'> | undefined;
}

/** Methods a web `Request` cannot carry; answered 405 before the handler runs. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** A Host header as RFC 9110 allows it: a name or address, an optional port, nothing else. */
const VALID_HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::\d{1,5})?$/;

/**
 * Adapts a fetch-style handler (`(Request) => Promise<Response>`) to `node:http`
 * and Express-style listeners. Bodies stream both ways: a create body is handed
 * on as it arrives, results go out chunk by chunk with backpressure, and a client
 * that disconnects aborts the request's signal (and so the upstream call).
 *
 * The URL is rebuilt from `originalUrl` (Express keeps the mount prefix there)
 * and the `Host` header, so mount the proxy before any body parser, and give
 * `createBatchesProxy` a `publicURL` when it runs behind a reverse proxy.
 *
 * @example
 * http.createServer(toNodeHandler(proxy)).listen(8787);
 * app.use('/api/batches-proxy', toNodeHandler(proxy)); // Express
 */
export function toNodeHandler(
  handler: FetchHandler,
  options: NodeHandlerOptions = {},
): (req: NodeRequest, res: NodeResponse, next?: (error?: unknown) => void) => void {
  const streams = loadStreams();
  const logger = options.logger ?? console;
  return (nodeReq, nodeRes, next) => {
    const req = nodeReq as IncomingMessage & { originalUrl?: string };
    const res = nodeRes as ServerResponse;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const refusal = refuse(req);
    if (refusal) {
      logger.warn(
        `[msgbatch] node adapter: ${refusal.status} for ${describeRequest(req)}: ${refusal.message}`,
      );
      sendError(res, refusal.status, refusal.message, refusal.headers);
      req.resume();
      return;
    }
    serve(handler, req, res, controller.signal, streams).catch((error) => {
      if (next) return next(error);
      logger.error(
        `[msgbatch] node adapter: 500 for ${describeRequest(req)}: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!res.headersSent) {
        sendError(res, 500, 'The server failed to handle the request.', {}, 'api_error');
      } else {
        res.destroy(error instanceof Error ? error : undefined);
      }
    });
  };
}

/** A request the adapter cannot represent as a web `Request`, and what to answer it. */
function refuse(
  req: NodeRequest,
): { status: number; message: string; headers: Record<string, string> } | null {
  const method = req.method ?? 'GET';
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    return {
      status: 405,
      message: `The ${method} method is not allowed.`,
      headers: { allow: 'GET, POST, DELETE, OPTIONS' },
    };
  }
  const host = req.headers.host;
  if (host !== undefined && !VALID_HOST.test(host)) {
    return { status: 400, message: 'The Host header is not a valid host.', headers: {} };
  }
  try {
    const url = requestURL(req);
    if (url.username || url.password) throw new Error('credentials in the URL');
  } catch {
    return { status: 400, message: 'The request target is not a valid URL.', headers: {} };
  }
  return null;
}

/** An answer in the API's error envelope, so clients map it to their typed errors. */
function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string>,
  type = 'invalid_request_error',
) {
  const requestId = `adapterreq_${crypto.randomUUID().replaceAll('-', '')}`;
  const body = JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'request-id': requestId,
      'x-should-retry': 'false',
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    })
    .end(body);
}

/** The method and path for a log line, quoted and cut short (they come from the client). */
function describeRequest(req: NodeRequest): string {
  return `${JSON.stringify(req.method ?? '').slice(0, 20)} ${JSON.stringify(req.url ?? '').slice(0, 200)}`;
}

function requestURL(req: NodeRequest): URL {
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  return new URL(
    req.originalUrl ?? req.url ?? '/',
    `${scheme}://${req.headers.host ?? 'localhost'}`,
  );
}

async function serve(
  handler: FetchHandler,
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  signal: AbortSignal,
  streams: Promise<Streams>,
) {
  const { Readable, pipeline } = await streams;
  // A handler may answer without reading the whole body (a 401, a 413): the rest is read
  // and dropped once the answer is out. Left unread, the connection stalled and closed
  // with bytes still in its buffer, which the client sees as a reset instead of the status.
  res.on('finish', () => {
    if (!req.readableEnded && !req.destroyed) discard(req);
  });
  const response = await handler(toRequest(req, signal));
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
  } catch (error) {
    // The client went away: nothing more to send, and not an error of the handler.
    if (signal.aborted) return;
    throw error;
  }
}

function toRequest(req: IncomingMessage & { originalUrl?: string }, signal: AbortSignal): Request {
  const url = requestURL(req);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // HTTP/2 pseudo-headers (`:path`) are not valid header names for a web Request.
    if (!name.startsWith(':')) headers.append(name, req.rawHeaders[i + 1]!);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? bodyStream(req) : undefined,
    signal,
    duplex: 'half',
  } as RequestInit);
}

/** Reads the rest of a request body and drops it, keeping the connection whole. */
function discard(req: IncomingMessage): void {
  req.removeAllListeners('readable');
  req.resume();
}

/**
 * The request body as a web stream, read on demand (backpressure: nothing is read
 * until the handler pulls). Unlike `Readable.toWeb`, cancelling it does not destroy the
 * request, whose socket would then reset under the answer: the rest is read and dropped.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        return new Promise<void>((resolve, reject) => {
          const cleanup = () => {
            req.off('readable', tryRead);
            req.off('end', onEnd);
            req.off('error', onError);
            req.off('close', onClose);
          };
          const onEnd = () => {
            cleanup();
            controller.close();
            resolve();
          };
          const onError = (error: Error) => {
            cleanup();
            reject(error);
          };
          const onClose = () => {
            if (req.readableEnded) return onEnd();
            cleanup();
            reject(new Error('The client closed the connection before the request body ended.'));
          };
          function tryRead(): boolean {
            const chunk = req.read() as Buffer | null;
            if (chunk !== null) {
              cleanup();
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
              resolve();
              return true;
            }
            if (req.readableEnded) {
              onEnd();
              return true;
            }
            return false;
          }
          if (req.destroyed && !req.readableEnded) return onClose();
          if (tryRead()) return;
          req.on('readable', tryRead);
          req.on('end', onEnd);
          req.on('error', onError);
          req.on('close', onClose);
        });
      },
      cancel() {
        discard(req);
      },
    },
    { highWaterMark: 0 },
  );
}
