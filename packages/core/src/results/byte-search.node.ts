/**
 * Where a byte next occurs in a chunk: the newline search of the results readers (and,
 * below, their decoding of valid UTF-8).
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

/** What this file takes from `node:buffer` (core's types leave out Node's). */
interface NodeBufferModule {
  isAscii?: (bytes: Uint8Array) => boolean;
  isUtf8?: (bytes: Uint8Array) => boolean;
  transcode?: (bytes: Uint8Array, from: string, to: string) => { toString(to: string): string };
  Buffer: {
    from(
      buffer: ArrayBufferLike,
      offset: number,
      length: number,
    ): { toString(encoding: string): string };
  };
}

// `process.getBuiltinModule` (Node >= 20.16) rather than an import: nothing to resolve for
// the bundlers of the CommonJS build, and where it or a function is missing (an older Bun)
// `decodeValidUtf8` answers undefined and the caller's TextDecoder does the work.
const nodeBuffer = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:buffer') as NodeBufferModule | undefined;
const { isAscii, isUtf8, transcode } = nodeBuffer ?? {};

/**
 * The text of `bytes` when they are valid UTF-8, else undefined (then decode them with a
 * TextDecoder, whose U+FFFD replacements this does not try to match). For valid UTF-8 the
 * text is exactly a TextDecoder's (`ignoreBOM: true`: a U+FEFF stays), found natively:
 * ASCII as Latin-1 (one-byte strings), anything else through `transcode` to UTF-16. Over
 * the 8 KB pieces of a 117 MB results body (bench/micro), about half the time of Node 20's
 * streaming TextDecoder (ICU).
 */
export const decodeValidUtf8 =
  isAscii && isUtf8 && transcode && nodeBuffer
    ? (bytes: Uint8Array): string | undefined => {
        if (isAscii(bytes)) {
          return nodeBuffer.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(
            'latin1',
          );
        }
        if (!isUtf8(bytes)) return undefined;
        try {
          return transcode(bytes, 'utf8', 'utf16le').toString('utf16le');
        } catch {
          return undefined; // never seen for valid UTF-8; the TextDecoder would answer
        }
      }
    : (): undefined => undefined;
