/**
 * Where a byte next occurs in a chunk: the newline search of the results readers.
 *
 * This is the variant pages, workers, Deno and bundles resolve (`#byte-search` in
 * package.json): the standard search. Node and Bun resolve `byte-search.node.ts`, which
 * borrows `Buffer#indexOf`.
 *
 * @param bytes - any Uint8Array (a subarray too)
 * @param value - a byte, 0–255
 * @param from - where to start, 0 ≤ from
 * @returns the index of the first `value` at or after `from`, or -1
 */
export const indexOfByte = (bytes: Uint8Array, value: number, from: number): number =>
  bytes.indexOf(value, from);

/** Whether {@link indexOfByte} borrows `Buffer#indexOf` (for tests and diagnostics). */
export const borrowsBufferSearch = false;

/**
 * The text of valid UTF-8 `bytes` where the runtime decodes it faster than a TextDecoder;
 * here never: undefined, and the caller's TextDecoder decodes (Node's variant,
 * `byte-search.node.ts`, borrows `node:buffer`).
 */
export const decodeValidUtf8 = (_bytes: Uint8Array): string | undefined => undefined;
