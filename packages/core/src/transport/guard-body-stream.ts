import type { APIConnectionTimeoutError } from '../errors.ts';
import { type BodyReadOptions, mapBodyError, stalledBody } from './body-errors.ts';

// Apart from body-stream.ts, which the cancel path loads: only results stream a body.

/**
 * Reads chunks with an idle limit: a read pending for `idleTimeoutMs` cancels the body
 * and fails with `APIConnectionTimeoutError`. Time a consumer spends between reads does
 * not count: only waiting on the network does.
 *
 * One timer serves the whole body, re-armed only when it fires (for what is left of the
 * limit), not per chunk: a timer and a `Promise.race` per read cost about 25 µs a chunk,
 * a tenth of `summarizeResults`' time on a large body.
 */
function idleGuardedReader(
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
    stalled = stalledBody({ idleTimeoutMs, requestID });
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
  const guarded = idleGuardedReader(reader, options);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const result = await guarded.read();
          if (result.done) {
            guarded.stop();
            controller.close();
          } else controller.enqueue(result.value);
        } catch (error) {
          guarded.stop();
          reader.cancel().catch(() => {});
          controller.error(mapBodyError(error, options));
        }
      },
      cancel(reason) {
        guarded.stop();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
