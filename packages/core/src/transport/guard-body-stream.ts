import { type BodyReadOptions, idleGuardedReader, mapBodyError } from './body-stream.ts';

// Apart from body-stream.ts, which the cancel path loads: only results stream a body.

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
