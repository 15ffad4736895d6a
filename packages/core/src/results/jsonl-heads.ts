/**
 * The `custom_id` and `result.type` of each line of a results body, read from the bytes
 * without decoding or parsing the rest of the line. For callers that need only those two
 * fields (summarizeResults): most of a line is its message, and decoding it to text cost
 * more than reading the body itself (bench/RESULTS.md, summarizeResults).
 */
import { indexOfByte } from '#byte-search';
import { LineTooLongError } from '../errors-later.ts';
import { headLineIsSound, wordsOf } from './json-scan.ts';
import { type WasmScanner, wasmScanner } from './json-scan-simd.ts';
import { aborted, DEFAULT_MAX_LINE_BYTES, isBlank, joinBytes, openChunks } from './jsonl-lines.ts';

/** What {@link readResultHeads} reports, once per line that is not blank, in order. */
export interface ResultHeadVisitor {
  /**
   * A line in the API's own form: its `custom_id` as the UTF-8 bytes `bytes[start..end)` of a
   * JSON string without escapes or control characters (valid only during the call: copy what
   * you keep), and its `result.type` as JSON.parse reads it.
   */
  head(bytes: Uint8Array, start: number, end: number, type: string): void;
  /**
   * A line in any other form (key order, whitespace, escapes, not JSON): its text to parse,
   * and its physical line number (from 1, blank lines counted, as `JSONLDecodeError` counts).
   */
  other(line: string, lineNumber: number): void;
}

/** Options of {@link readResultHeads}. */
export interface ReadResultHeadsOptions {
  /** Stops reading: the stream is cancelled and the promise rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** The `request-id` of the response, for read errors. */
  requestID?: string | null | undefined;
  /** The longest line to hold, in bytes (default 64 MiB); a longer one ends the read. */
  maxLineBytes?: number | undefined;
}

/**
 * Reads a results body to its end and reports each line that is not blank.
 *
 * Lines are split as {@link splitLines} splits them (`\n` or `\r\n`, blank lines skipped,
 * invalid UTF-8 as U+FFFD, a byte order mark at the start dropped). `head` is reported only
 * when `peekCustomIdAndType` of that line would answer and the whole line is one valid JSON
 * value in which no later key overrides that head (`JSON.parse` keeps the last of
 * duplicate keys), so that typed iteration of the line reads the same `custom_id` and
 * `result.type`: its id bytes decode (as UTF-8, invalid sequences as U+FFFD, a leading
 * U+FEFF kept) to that `custom_id`, and `type` is the same string, a fresh copy that never
 * keeps a chunk of the body alive. Every other line (a broken tail, a line cut short, a
 * repeated key, another form) goes to `other`, as text for `JSON.parse` to judge.
 *
 * @param stream - The body; it is cancelled when reading stops early or fails.
 * @param options - `signal`, `requestID`.
 * @param visitor - Called synchronously per line; what it throws ends the read and rejects.
 * @throws `APIUserAbortError` when `signal` aborts (also from inside `visitor`); the
 * stream's own error when reading fails; `LineTooLongError` at a line longer than
 * `maxLineBytes` (the lines before it were reported).
 */
export async function readResultHeads(
  stream: ReadableStream<Uint8Array>,
  options: ReadResultHeadsOptions,
  visitor: ResultHeadVisitor,
): Promise<void> {
  const { signal, requestID = null, maxLineBytes = DEFAULT_MAX_LINE_BYTES } = options;
  const chunks = openChunks(stream, signal, requestID);
  const reader = new HeadReader(visitor, signal, maxLineBytes, requestID);
  try {
    for (;;) {
      const chunk = await chunks.read();
      if (chunk === undefined) break;
      reader.push(chunk);
    }
    reader.end();
  } finally {
    chunks.close();
  }
}

/** A line as the API writes it starts `{"custom_id":"…","result":{"type":"…"`. */
const HEAD = ascii('{"custom_id":"');
const MIDDLE = ascii('","result":{"type":"');

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

/** Splits chunks into lines of bytes; a line spanning chunks is joined once, at its end. */
class HeadReader {
  readonly #visitor: ResultHeadVisitor;
  readonly #signal: AbortSignal | undefined;
  // `ignoreBOM`: a mark inside the body is text (as for the streaming decoder of splitLines);
  // the one at its start is dropped by hand in #line.
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #lineNumber = 0;
  /** The bytes being read as 32-bit words, for the JSON check (see wordsOf). */
  #words: Int32Array | null = null;
  #lead = 0;
  /** The WebAssembly scan, where there is one (json-scan-simd.ts). */
  readonly #wasm: WasmScanner | null = wasmScanner();
  /** Whether the bytes being read are in #wasm's memory. */
  #loaded = false;
  readonly #maxLineBytes: number;
  readonly #requestID: string | null;

  constructor(
    visitor: ResultHeadVisitor,
    signal: AbortSignal | undefined,
    maxLineBytes: number,
    requestID: string | null,
  ) {
    this.#visitor = visitor;
    this.#signal = signal;
    this.#maxLineBytes = maxLineBytes;
    this.#requestID = requestID;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    let newline = indexOfByte(chunk, 0x0a, 0);
    if (newline === -1) {
      if (chunk.length > 0) this.#hold(chunk);
      return;
    }
    if (this.#pending.length > 0) {
      if (this.#pendingBytes + newline > this.#maxLineBytes) throw this.#tooLong();
      this.#pending.push(chunk.subarray(0, newline));
      const line = this.#joinPending();
      this.#read(line);
      this.#line(line, 0, line.length);
      start = newline + 1;
      newline = indexOfByte(chunk, 0x0a, start);
    }
    const max = this.#maxLineBytes;
    if (newline !== -1) this.#read(chunk);
    for (; newline !== -1; newline = indexOfByte(chunk, 0x0a, start)) {
      if (newline - start > max) throw this.#tooLong();
      this.#line(chunk, start, newline);
      start = newline + 1;
    }
    if (start < chunk.length) this.#hold(chunk.subarray(start));
  }

  /** Keeps the start of a line that the next chunks finish. */
  #hold(piece: Uint8Array): void {
    this.#pendingBytes += piece.length;
    if (this.#pendingBytes > this.#maxLineBytes) throw this.#tooLong();
    this.#pending.push(piece);
  }

  /** The error for the next line, which is too long. */
  #tooLong(): LineTooLongError {
    return new LineTooLongError(this.#lineNumber + 1, this.#maxLineBytes, {
      requestID: this.#requestID,
    });
  }

  /** The body ended: a last line without its newline is a line too. */
  end(): void {
    if (this.#pending.length === 0) return;
    const line = this.#joinPending();
    this.#read(line);
    this.#line(line, 0, line.length);
  }

  /** Makes `bytes` the array that lines are read from. */
  #read(bytes: Uint8Array): void {
    this.#loaded = this.#wasm?.load(bytes) ?? false;
    if (this.#loaded) return;
    const { words, lead } = wordsOf(bytes);
    this.#words = words;
    this.#lead = lead;
  }

  #joinPending(): Uint8Array {
    const line = joinBytes(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    return line;
  }

  /** One physical line: `bytes` from `start` up to `end` (its `\n`, or the body's end). */
  #line(bytes: Uint8Array, start: number, end: number): void {
    if (++this.#lineNumber === 1) {
      if (matches(bytes, start, end, BYTE_ORDER_MARK)) start += BYTE_ORDER_MARK.length;
    }
    if (!this.#head(bytes, start, end)) {
      const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
      const text = this.#decoder.decode(bytes.subarray(start, stop));
      if (isBlank(text)) return;
      this.#visitor.other(text, this.#lineNumber);
    }
    if (this.#signal?.aborted) throw aborted(this.#signal);
  }

  /** Reports the line's head when it has the API's form (see peekCustomIdAndType). */
  #head(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.#loaded) {
      // The module reads the line as the code below does, its check included, in one call.
      const read = this.#wasm!.line(start, end);
      if (read === -1) return false;
      if (read >= 0) {
        const idEnd = read >>> 10;
        this.#report(bytes, start + HEAD.length, idEnd, idEnd + MIDDLE.length + (read & 1023));
        return true;
      }
      // -2: a type name too long for the module's answer, read below.
    }
    if (!matches(bytes, start, end, HEAD)) return false;
    const idStart = start + HEAD.length;
    const idEnd = plainStringEnd(bytes, idStart, end);
    if (idEnd === -1 || !matches(bytes, idEnd, end, MIDDLE)) return false;
    const typeStart = idEnd + MIDDLE.length;
    const typeEnd = plainStringEnd(bytes, typeStart, end);
    if (typeEnd === -1) return false;
    const after = typeEnd + 1 < end ? bytes[typeEnd + 1] : -1;
    if (after !== 0x2c && after !== 0x7d) return false; // `,` or `}`
    // A broken tail, a line cut short, or a later key that overrides the head: JSON.parse decides.
    const sound = this.#loaded
      ? this.#wasm!.sound(typeEnd + 1, end) === 1
      : headLineIsSound(bytes, typeEnd + 1, end, this.#words, this.#lead);
    if (!sound) return false;
    this.#report(bytes, idStart, idEnd, typeEnd);
    return true;
  }

  /** A head: the id `bytes[idStart..idEnd)`, the type up to `typeEnd`. */
  #report(bytes: Uint8Array, idStart: number, idEnd: number, typeEnd: number): void {
    const typeStart = idEnd + MIDDLE.length;
    this.#visitor.head(
      bytes,
      idStart,
      idEnd,
      knownType(bytes, typeStart, typeEnd) ??
        this.#decoder.decode(bytes.subarray(typeStart, typeEnd)),
    );
  }
}

function matches(bytes: Uint8Array, at: number, end: number, expected: readonly number[]): boolean {
  if (end - at < expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/** Index of the `"` closing a string that starts at `from`; -1 when an escape or a control
 * character means only JSON.parse can say what the string is, or the line ends first. */
function plainStringEnd(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0x22) return i;
    if (b === 0x5c || b < 0x20) return -1;
  }
  return -1;
}

/** The documented result types as shared constants: no string to allocate per line. */
function knownType(bytes: Uint8Array, start: number, end: number): string | undefined {
  for (const type of KNOWN_TYPES) {
    if (type.bytes.length === end - start && matches(bytes, start, end, type.bytes))
      return type.name;
  }
  return undefined;
}

const KNOWN_TYPES = ['succeeded', 'errored', 'canceled', 'expired'].map((name) => ({
  name,
  bytes: ascii(name),
}));
