/**
 * Where a byte next occurs in a chunk: the newline search of the results readers.
 *
 * This is the variant Node and Bun resolve (`#byte-search` in package.json). Their
 * `Buffer#indexOf` searches natively (memchr): about 15× as fast as `Uint8Array#indexOf`
 * in Node, which tests one element at a time, and 2× in Bun (bench/micro/byte-search.mjs,
 * the newlines of 117 MB: Node ~3 ms against ~45 ms, Bun ~4 ms against ~9 ms). It takes
 * any Uint8Array as `this`, so chunks are searched where they are, without a copy.
 *
 * Deno would resolve this file through its `node` condition too, but its `Buffer` is
 * written in JavaScript and searches slower than `Uint8Array#indexOf` (~59 ms against
 * ~44 ms): package.json sends Deno to the standard variant first.
 *
 * @param bytes - any Uint8Array (a subarray too)
 * @param value - a byte, 0–255
 * @param from - where to start, 0 ≤ from
 * @returns the index of the first `value` at or after `from`, or -1
 */
export const indexOfByte = (bytes: Uint8Array, value: number, from: number): number =>
  search.call(bytes, value, from);

// Node's and Bun's global; core's types leave out Node's, so it is typed here.
const search = (
  globalThis as unknown as {
    Buffer: { prototype: { indexOf(this: Uint8Array, value: number, from: number): number } };
  }
).Buffer.prototype.indexOf;

/** Whether {@link indexOfByte} borrows `Buffer#indexOf` (for tests and diagnostics). */
export const borrowsBufferSearch = true;
