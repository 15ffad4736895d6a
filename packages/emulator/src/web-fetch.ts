import { CONNECTION_RESET, type HandlerResult } from './handler.ts';

const INIT_KEYS = [
  'method',
  'headers',
  'body',
  'signal',
  'redirect',
  'duplex',
  'cache',
  'credentials',
];

/**
 * Builds the Request a `fetch(input, init)` call means. A Request passed with a
 * second argument that is not a RequestInit (Deno.serve's info, a Worker's env) is
 * used as is.
 */
export function toRequest(input: string | URL | Request, init?: RequestInit): Request {
  if (input instanceof Request) {
    const isInit = init && INIT_KEYS.some((key) => key in init);
    return isInit ? new Request(input, init) : input;
  }
  return new Request(input, init);
}

/** The error a real fetch rejects with when the connection drops (undici's shape). */
export function connectionResetError(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  return new TypeError('fetch failed', { cause });
}

const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

/** Rejects when `signal` aborts, like fetch does while waiting for headers. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Makes the body error when `signal` aborts mid-stream, as a real fetch body does. */
function followAbort(response: Response, signal: AbortSignal): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  let onAbort: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => {
          controller.error(abortReason(signal));
          reader.cancel(abortReason(signal)).catch(() => {});
        };
        signal.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            signal.removeEventListener('abort', onAbort!);
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          signal.removeEventListener('abort', onAbort!);
          controller.error(error);
        }
      },
      cancel(reason) {
        signal.removeEventListener('abort', onAbort!);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const { status, statusText, headers } = response;
  return new Response(body, { status, statusText, headers });
}

/** Wraps the handler as a `fetch`: no sockets, abort signals honoured, resets rejected. */
export function asFetch(handle: (request: Request) => Promise<HandlerResult>) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = toRequest(input, init);
    const result = await raceAbort(handle(request), request.signal);
    if (result === CONNECTION_RESET) throw connectionResetError();
    return followAbort(result, request.signal);
  };
}
