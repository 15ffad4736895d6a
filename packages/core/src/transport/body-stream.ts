import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from '../errors.ts';

/** What a body reader needs to fail well: the idle limit, the request id, the caller's signal. */
export interface BodyReadOptions {
  idleTimeoutMs: number;
  requestID: string | null;
  signal?: AbortSignal | undefined;
}

/** The typed error for a body that failed mid-read: the caller's abort, a stall, or a lost connection. */
export function mapBodyError(error: unknown, { requestID, signal }: BodyReadOptions) {
  if (error instanceof APIConnectionError) return error;
  if (signal?.aborted) return new APIUserAbortError(undefined, { cause: error });
  return new APIConnectionError(
    `The connection failed while reading the response body${requestID ? ` (request id ${requestID})` : ''}; what was delivered before is intact.`,
    { cause: error, requestID },
  );
}

/** The error of a body that sent nothing for `idleTimeoutMs`. */
export function stalledBody({ idleTimeoutMs, requestID }: BodyReadOptions) {
  return new APIConnectionTimeoutError(
    `No data arrived for ${idleTimeoutMs} ms while reading the response body; the stream was closed. Retry, or raise idleTimeout.`,
    { requestID },
  );
}

/**
 * Reads a whole (JSON) body as text under the same rules as `guardBodyStream`. One timer
 * serves the body: it fires `idleTimeoutMs` after it was set, and is set again for what is
 * left of the limit when a chunk came in the meantime. A timer and a `Promise.race` per
 * read cost a tenth of a cancel round trip's own CPU time (bench/, cancel round trips).
 */
export async function readBodyText(response: Response, options: BodyReadOptions): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  // Decoded once at the end: a streaming TextDecoder costs a converter per body.
  const chunks: Uint8Array[] = [];
  let size = 0;
  let lastChunk = Date.now();
  let stalled: APIConnectionTimeoutError | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watch = (ms: number) => {
    timer = setTimeout(() => {
      const idle = Date.now() - lastChunk;
      if (idle < options.idleTimeoutMs) return watch(options.idleTimeoutMs - idle);
      stalled = stalledBody(options);
      // Settles the pending read at once, which the loop turns into `stalled`.
      reader.cancel(stalled).catch(() => {});
    }, ms);
  };
  watch(options.idleTimeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (stalled) throw stalled;
      if (done) return new TextDecoder().decode(joinChunks(chunks, size));
      lastChunk = Date.now();
      chunks.push(value);
      size += value.length;
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw mapBodyError(stalled ?? error, options);
  } finally {
    clearTimeout(timer);
  }
}

function joinChunks(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}
