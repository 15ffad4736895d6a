/**
 * Where a byte next occurs in a chunk: the newline search of the results readers.
 *
 * Hint: Node's `Buffer#indexOf` searches natively (memchr), about 15× as fast as
 * `Uint8Array#indexOf`, which tests one element at a time, and Bun's twice as fast
 * (bench/micro/byte-search.mjs, the newlines of 117 MB: Node ~3 ms against ~45 ms, Bun
 * ~4 ms against ~9 ms). It takes any Uint8Array as `this`, so chunks are searched where
 * they are; the probe below makes sure it does before it is used.
 *
 * Speed is the feature here, and no property shows it: Deno's global `Buffer` is written
 * in JavaScript and searches slower than `Uint8Array#indexOf` (~59 ms against ~44 ms), so
 * Deno, like browsers and runtimes without `Buffer`, uses the standard search.
 */
type IndexOf = (this: Uint8Array, value: number, from: number) => number;

function memchrSearch(): IndexOf | undefined {
  const global = globalThis as { Deno?: unknown; Buffer?: { prototype?: { indexOf?: unknown } } };
  const indexOf = global.Buffer?.prototype?.indexOf;
  if (typeof indexOf !== 'function' || global.Deno !== undefined) return undefined;
  try {
    const probe = Uint8Array.of(0x0a, 0x61, 0x0a);
    return indexOf.call(probe.subarray(1), 0x0a, 0) === 1 ? (indexOf as IndexOf) : undefined;
  } catch {
    return undefined;
  }
}

const fast = memchrSearch();

/** Whether {@link indexOfByte} borrows `Buffer#indexOf` here (for tests and diagnostics). */
export const borrowsBufferSearch = fast !== undefined;

/**
 * The index of the first `value` in `bytes` at or after `from`, or -1.
 * @param bytes - any Uint8Array (a subarray too)
 * @param value - a byte, 0–255
 * @param from - where to start, 0 ≤ from
 */
export const indexOfByte: (bytes: Uint8Array, value: number, from: number) => number = fast
  ? (bytes, value, from) => fast.call(bytes, value, from)
  : (bytes, value, from) => bytes.indexOf(value, from);
