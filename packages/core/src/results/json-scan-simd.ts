/**
 * `headLineIsSound` of json-scan.ts in WebAssembly (`wasm/json-scan.wat`, the same checks branch for
 * branch, the text of strings crossed 16 bytes at a time with SIMD): summarizeResults' check
 * of each line, about twice as fast as the JavaScript scan. The bytes being read are copied
 * into the module's memory once (a chunk, or a line that spanned chunks), then each line
 * of them is checked there.
 *
 * Where WebAssembly or its SIMD is missing, or compiling is not allowed (a page's CSP without
 * `wasm-unsafe-eval`; Cloudflare Workers compile no code at run time), {@link wasmScanner}
 * answers null and the reader calls the JavaScript scan, with the same answer for every
 * line (a property test holds the two together).
 */
import { JSON_SCAN_WASM } from './json-scan-wasm.ts';

/** Buffers longer than this are checked in JavaScript: the module's memory stays small. */
const MAX_BYTES = 1 << 20;

/** The module, holding one buffer at a time. */
export interface WasmScanner {
  /** Copies `bytes` into the module; false (nothing copied) when they are too long for it. */
  load(bytes: Uint8Array): boolean;
  /**
   * `headLineIsSound` of the bytes last loaded, `[from, end)`: 1 for true, 0 for false. The
   * memory holds one buffer for all readers: load it and check its lines in one synchronous
   * step (the head reader does so per chunk).
   */
  sound(from: number, end: number): number;
  /**
   * The line `[start, end)` of the bytes last loaded, read as the head reader reads it
   * (jsonl-heads.ts): for a line `{"custom_id":"…","result":{"type":"…"` (no escapes in
   * either string) followed by `,` or `}` whose rest is sound, `idEnd * 1024 + typeLength`
   * (idEnd: the index of the `"` closing the id); -1 for any other line; -2 for such a line
   * whose type is 1024 bytes or longer, which the caller reads itself.
   */
  line(start: number, end: number): number;
}

/** undefined: not tried yet; null: not available here. */
let scanner: WasmScanner | null | undefined;
let enabled = true;

/** The module, compiled and instantiated on first use; null where that fails. */
export function wasmScanner(): WasmScanner | null {
  if (!enabled) return null;
  if (scanner === undefined) scanner = instantiate();
  return scanner;
}

/** Synchronously: the module is below the 4 KB that pages may compile on their main thread. */
function instantiate(): WasmScanner | null {
  try {
    const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (wasm === undefined || typeof atob !== 'function') return null;
    const code = Uint8Array.from(atob(JSON_SCAN_WASM), (c) => c.charCodeAt(0));
    const exports = new wasm.Instance(new wasm.Module(code), {}).exports as {
      memory: WebAssembly.Memory;
      sound: (from: number, end: number) => number;
      line: (start: number, end: number) => number;
    };
    const memory = exports.memory;
    let heap = new Uint8Array(memory.buffer);
    return {
      load(bytes) {
        if (bytes.length > MAX_BYTES) return false;
        // 16 bytes of room after them: a block load may read past a line's end.
        const needed = bytes.length + 16;
        if (needed > heap.length) {
          memory.grow(Math.ceil((needed - heap.length) / 65_536));
          heap = new Uint8Array(memory.buffer);
        }
        heap.set(bytes);
        return true;
      },
      sound: exports.sound,
      line: exports.line,
    };
  } catch {
    return null;
  }
}

/**
 * For tests: false makes {@link wasmScanner} answer null, as where WebAssembly is missing.
 * @returns the previous setting
 */
export function useWasmScanner(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
