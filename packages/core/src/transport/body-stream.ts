import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from '../errors.ts';

/** What a body reader needs to fail well: the idle limit, the request id, the caller's signal. */
export interface BodyReadOptions {
  idleTimeoutMs: number;
  requestID: string | null;
  signal?: AbortSignal | undefined;
}

/**
 * Reads chunks with an idle limit: a read pending for `idleTimeoutMs` cancels the body
 * and fails with `APIConnectionTimeoutError`. Time a consumer spends between reads does
 * not count: only waiting on the network does.
 *
 * One timer serves the whole body, re-armed only when it fires (for what is left of the
 * limit), not per chunk: a timer and a `Promise.race` per read cost about 25 µs a chunk,
 * a tenth of `summarizeResults`' time on a large body.
 */
export function idleGuardedReader(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  { idleTimeoutMs, requestID }: BodyReadOptions,
) {
  let readingSince = 0; // 0: no read pending
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stalled: APIConnectionTimeoutError | undefined;
  // Between reads the timer may stay armed until it next fires; then it must not keep a
  // Node process alive (Timeout#ref/unref; other runtimes' timers are plain numbers).
  type NodeTimer = { ref?: () => void; unref?: () => void };
  const arm = (ms: number) => {
    timer = setTimeout(watch, ms);
  };
  const watch = () => {
    timer = undefined;
    if (readingSince === 0) return; // re-armed by the next read
    const waited = Date.now() - readingSince;
    if (waited < idleTimeoutMs) {
      arm(idleTimeoutMs - waited);
      return;
    }
    stalled = new APIConnectionTimeoutError(
      `No data arrived for ${idleTimeoutMs} ms while reading the response body; the stream was closed. Retry, or raise idleTimeout.`,
      { requestID },
    );
    // Settles the pending read at once (as done), which `read` turns into `stalled`.
    reader.cancel(stalled).catch(() => {});
  };
  return {
    async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
      readingSince = Date.now();
      if (timer === undefined) arm(idleTimeoutMs);
      else (timer as NodeTimer).ref?.();
      try {
        const result = await reader.read();
        if (stalled) throw stalled;
        return result;
      } catch (error) {
        throw stalled ?? error;
      } finally {
        readingSince = 0;
        (timer as NodeTimer | undefined)?.unref?.();
      }
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
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

/** Reads a whole (JSON) body as text under the same rules as {@link guardBodyStream}. */
export async function readBodyText(response: Response, options: BodyReadOptions): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const guarded = idleGuardedReader(reader, options);
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await guarded.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw mapBodyError(error, options);
  } finally {
    guarded.stop();
  }
}
