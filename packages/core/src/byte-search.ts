/**
 * Where a byte next occurs in a chunk: the newline search of the results readers.
 *
 * Hint: Node's and Bun's `Buffer#indexOf` searches with memchr, about 15× as fast as
 * `Uint8Array#indexOf`, which tests one element at a time (bench/micro/byte-search.mjs:
 * ~3 ms against ~45 ms for the newlines of 117 MB). It takes any Uint8Array as `this`, so
 * chunks are searched where they are; the check below makes sure it does before it is
 * used. Runtimes without it (browsers, Deno, workers) use the standard search.
 */
type IndexOf = (this: Uint8Array, value: number, from: number) => number;

function memchrSearch(): IndexOf | undefined {
  const indexOf = (globalThis as { Buffer?: { prototype?: { indexOf?: unknown } } }).Buffer
    ?.prototype?.indexOf;
  if (typeof indexOf !== 'function') return undefined;
  try {
    const probe = Uint8Array.of(0x0a, 0x61, 0x0a);
    return indexOf.call(probe.subarray(1), 0x0a, 0) === 1 ? (indexOf as IndexOf) : undefined;
  } catch {
    return undefined;
  }
}

const fast = memchrSearch();

/**
 * The index of the first `value` in `bytes` at or after `from`, or -1.
 * @param bytes - any Uint8Array (a subarray too)
 * @param value - a byte, 0–255
 * @param from - where to start, 0 ≤ from
 */
export const indexOfByte: (bytes: Uint8Array, value: number, from: number) => number = fast
  ? (bytes, value, from) => fast.call(bytes, value, from)
  : (bytes, value, from) => bytes.indexOf(value, from);
