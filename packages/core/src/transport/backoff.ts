// How long the transport waits between attempts when the server did not say (retry.ts
// holds the rules of what is retried, and the waits a server asks for).

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 8_000;

/** Exponential backoff 0.5 s doubling to 8 s, minus up to 25 % jitter. */
export function backoffDelay(retryIndex: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_START_MS * 2 ** retryIndex, BACKOFF_MAX_MS);
  return base * (1 - 0.25 * random());
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
