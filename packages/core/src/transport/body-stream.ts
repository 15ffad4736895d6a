import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from '../errors.ts';

/** What a body reader needs to fail well: the idle limit, the request id, the caller's signal. */
export interface BodyReadOptions {
  idleTimeoutMs: number;
  requestID: string | null;
  signal?: AbortSignal | undefined;
}

/** Reads one chunk, or fails with `APIConnectionTimeoutError` after `idleTimeoutMs` without one. */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  { idleTimeoutMs, requestID }: BodyReadOptions,
): Promise<ReadableStreamReadResult<Uint8Array>> {
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
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** The typed error for a body that failed mid-read: the caller's abort, a stall, or a lost connection. */
function mapBodyError(error: unknown, { requestID, signal }: BodyReadOptions) {
  if (error instanceof APIConnectionError) return error;
  if (signal?.aborted) return new APIUserAbortError(undefined, { cause: error });
  return new APIConnectionError(
    `The connection failed while reading the response body${requestID ? ` (request id ${requestID})` : ''}; what was delivered before is intact.`,
    { cause: error, requestID },
  );
}

/**
 * Wraps a response body so that a stall longer than `idleTimeoutMs` between two
 * chunks fails with `APIConnectionTimeoutError`, a network failure mid-body becomes
 * `APIConnectionError` (with the request id), and the caller's abort becomes
 * `APIUserAbortError`. Cancelling the wrapper cancels the body.
 */
export function guardBodyStream(
  body: ReadableStream<Uint8Array>,
  options: BodyReadOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const result = await readWithin(reader, options);
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch (error) {
          reader.cancel().catch(() => {});
          controller.error(mapBodyError(error, options));
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Reads a whole (JSON) body as text under the same rules as {@link guardBodyStream}. */
export async function readBodyText(response: Response, options: BodyReadOptions): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await readWithin(reader, options);
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw mapBodyError(error, options);
  }
}
