/**
 * The positions of JSON's special bytes (`"`, `\` and those below 0x20) in a buffer, found
 * 16 bytes at a time by a small WebAssembly SIMD module (`wasm/specials.wat`, 232 bytes):
 * with them, the byte scanner of summarizeResults (json-scan.ts) crosses the text of a string
 * in one step instead of a loop over its bytes.
 *
 * Where WebAssembly or its SIMD is missing, or compiling is not allowed (a page's CSP without
 * `wasm-unsafe-eval`, Cloudflare Workers, which compile no code at run time), {@link
 * specialsOf} answers null and the scanner reads the bytes itself, with the same outcome for
 * every line (a property test holds the two ways together).
 */
import { SPECIALS_WASM } from './specials-wasm.ts';

/** Buffers longer than this are scanned without the index (memory: ~5 bytes per byte). */
const MAX_INDEXED_BYTES = 1 << 20;

interface Specials {
  memory: WebAssembly.Memory;
  index: (src: number, len: number, out: number) => number;
}

/** undefined: not tried yet; null: not available here. */
let module: Specials | null | undefined;
let enabled = true;

/** Compiles and instantiates the module once, synchronously (it is far below the 4 KB that
 * pages may compile on their main thread); null wherever that fails. */
function load(): Specials | null {
  try {
    const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (wasm === undefined || typeof atob !== 'function') return null;
    const bytes = Uint8Array.from(atob(SPECIALS_WASM), (c) => c.charCodeAt(0));
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    const { memory, index } = instance.exports as unknown as Specials;
    return { memory, index };
  } catch {
    return null;
  }
}

/**
 * The ascending indexes in `bytes` of every `"`, `\` and byte below 0x20, followed by
 * `bytes.length` (so a search for the next one always ends); null when the index is not
 * available here or `bytes` is too long for it. The array is a view of the module's memory,
 * valid until the next call.
 */
export function specialsOf(bytes: Uint8Array): Int32Array | null {
  if (!enabled || bytes.length > MAX_INDEXED_BYTES) return null;
  if (module === undefined) module = load();
  if (module === null) return null;
  const { memory, index } = module;
  const length = bytes.length;
  // The bytes at 0, padded to a whole 16-byte block; the positions after them.
  const padded = (length + 15) & ~15;
  const out = padded;
  const needed = out + 4 * (length + 1);
  if (needed > memory.buffer.byteLength) {
    memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65_536));
  }
  const heap = new Uint8Array(memory.buffer);
  heap.set(bytes, 0);
  heap.fill(0x41, length, padded); // `A`: not special
  const count = index(0, length, out);
  const positions = new Int32Array(memory.buffer, out, count + 1);
  positions[count] = length;
  return positions;
}

/**
 * For tests: false makes {@link specialsOf} answer null, as where WebAssembly is missing.
 * @returns the previous setting
 */
export function useSpecialsIndex(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
