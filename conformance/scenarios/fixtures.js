// @ts-check
/** Small builders the scenarios share. Web-standard APIs only. */

/** The model every fixture request names (the emulator accepts any `claude-*`). */
export const MODEL = 'claude-sonnet-4-5';

/** A base URL no network ever sees: requests go to an in-process `fetch`. */
export const IN_PROCESS_URL = 'http://emulator.test';

/**
 * `n` valid batch requests with `custom_id`s `req-0` … `req-{n-1}`.
 * @param {number} n
 */
export function batchRequests(n) {
  return Array.from({ length: n }, (_, i) => ({
    custom_id: `req-${i}`,
    params: { model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: `Say ${i}` }] },
  }));
}

/**
 * A client clock that moves a manual emulator clock instead of waiting: every
 * backoff or poll pause advances the emulator by exactly that long.
 * @param {any} emulator created with `clock: 'manual'`
 */
export function emulatorClock(emulator) {
  return {
    now: () => emulator.clock.now(),
    /** @param {number} ms @param {AbortSignal} [signal] */
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      emulator.clock.advance(ms);
    },
  };
}

/**
 * The real clock (setTimeout) that also records every pause it was asked for.
 */
export function recordingClock() {
  /** @type {number[]} */
  const sleeps = [];
  return {
    sleeps,
    now: () => Date.now(),
    /** @param {number} ms @param {AbortSignal} [signal] */
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        sleeps.push(ms);
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  };
}

/**
 * Wraps a fetch and counts the requests that went through it.
 * @param {typeof fetch} inner
 */
export function countingFetch(inner) {
  const calls = /** @type {string[]} */ ([]);
  /** @type {typeof fetch} */
  const wrapped = (input, init) => {
    const request = new Request(input, init);
    calls.push(`${request.method} ${new URL(request.url).pathname}`);
    return inner(request);
  };
  return { fetch: wrapped, calls };
}
