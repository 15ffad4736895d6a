import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from '../errors.ts';

/**
 * Wraps a response body so that a stall longer than `idleTimeoutMs` between two
 * chunks fails with `APIConnectionTimeoutError`, a network failure mid-body becomes
 * `APIConnectionError` (with the request id), and the caller's abort becomes
 * `APIUserAbortError`. Cancelling the wrapper cancels the body.
 */
export function guardBodyStream(
  body: ReadableStream<Uint8Array>,
  options: { idleTimeoutMs: number; requestID: string | null; signal?: AbortSignal | undefined },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const { idleTimeoutMs, requestID, signal } = options;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const idle = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new APIConnectionTimeoutError(
                  `No data arrived for ${idleTimeoutMs} ms while reading the response body; the stream was closed. Retry, or raise idleTimeout.`,
                  { requestID },
                ),
              ),
            idleTimeoutMs,
          );
        });
        try {
          const result = await Promise.race([reader.read(), idle]);
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch (error) {
          reader.cancel().catch(() => {});
          controller.error(mapBodyError(error, requestID, signal));
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function mapBodyError(error: unknown, requestID: string | null, signal?: AbortSignal) {
  if (error instanceof APIConnectionError) return error;
  if (signal?.aborted) return new APIUserAbortError(undefined, { cause: error });
  return new APIConnectionError(
    `The connection failed while reading the response body${requestID ? ` (request id ${requestID})` : ''}; what was delivered before is intact.`,
    { cause: error, requestID },
  );
}
