/**
 * The lines of a results body, for the decoders of jsonl.ts: chunks read under the caller's
 * signal, decoded to text a piece at a time and split into lines.
 */

import { decodeValidUtf8 } from '#byte-search';
import { APIConnectionError, APIUserAbortError, InvalidArgumentError } from '../errors.ts';
import { LineTooLongError } from '../errors-later.ts';

/**
 * The longest line the results readers hold, by default: 64 MiB. A results line is a
 * message of at most the model's output tokens (about 1 MB of text); a server that never
 * sends a newline would otherwise grow memory without bound.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The `maxLineBytes` option, checked: an integer of at least 1, or `Infinity` for no limit.
 * @throws `InvalidArgumentError` for anything else
 */
export function maxLineBytesOption(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_LINE_BYTES;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1)) return value;
  throw new InvalidArgumentError(
    'maxLineBytes',
    `must be an integer >= 1 or Infinity, got ${String(value)}`,
  );
}

/**
 * The lines of a body, a piece at a time: each `fill()` reads until at least one
 * line is complete and leaves the piece's lines in `lines`. Consumers loop over that
 * array synchronously, so a line costs one async step (the consumer's own `yield`),
 * not one per layer of generators.
 */
export interface LineSource {
  /** The lines that are not blank, without terminators, from the last `fill()`. */
  readonly lines: string[];
  /** The physical line number (from 1, blank lines counted) of each of `lines`. */
  readonly numbers: number[];
  /** False only when `lines` is the last line and the body ended without its newline. */
  terminated: boolean;
  /** Reads on; resolves false once the body has ended and every line was handed out. */
  fill(): Promise<boolean>;
  /**
   * `fill()` without reading: the next lines from the chunk already read, synchronously.
   * True when `lines` holds new lines, false at the end (as `fill()`), undefined when the
   * next chunk must be read first (then call `fill()`). A chunk holds ~8 pieces of lines:
   * taking them this way spares each piece the promises of an asynchronous `fill()`.
   */
  fillReady(): boolean | undefined;
  /** Stops: cancels the body if it was not read to its end, and releases it. */
  close(): void;
}

/**
 * Bytes decoded at once, at most (plus the rest of the line they end in). The lines handed
 * out are slices of the decoded text and keep all of it alive until the consumer moves on.
 * Whole 64 KB network chunks (~128 KB strings when a chunk holds any character beyond
 * Latin-1) peaked ~25 MB higher in RSS over 1 GB of results than 8 KB pieces, and 16 KB
 * pieces as high as whole chunks (bench figure 7). Pieces decode as fast.
 */
const PIECE_BYTES = 8_192;

/**
 * Text longer than this is decoded by a non-streaming TextDecoder. Node's (<= 22) streaming
 * one goes through ICU: ~35% faster on the short mixed-script pieces of figure 4's results,
 * but on an 8 MB line in one call it took ~1.5x the non-streaming one (the fast path), with
 * more page faults.
 */
const LONG_TEXT_BYTES = 65_536;

/**
 * Each piece of a chunk is decoded once, up to its last newline, and lines are slices of
 * the text. Decoding text rather than scanning bytes and decoding each line measured ~1.7x
 * faster (bench/micro/); jsonl-heads.ts scans bytes because it decodes only the ids.
 *
 * What follows a chunk's last newline (a line the next chunks finish) stays bytes, as they
 * came, and its line is decoded in one piece once its newline arrives: one copy of its
 * bytes and one decode, in linear time. Decoding such a line as it arrived and joining the
 * texts at its end (as before) kept ~130 strings of 64 KB per 8 MB line alive on the heap
 * across reads, which the GC copied and promoted (7 mark-compacts instead of 2 over 7 runs
 * of bench figure 6 in one worker); in quiet interleaved runs it took ~1.5x the CPU time
 * and ~2x the page faults of this way. (A fresh worker's first runs are noisy either way.)
 *
 * In Node a piece of valid UTF-8 is decoded by `decodeValidUtf8` (`#byte-search`: node:buffer,
 * about half the time of the streaming TextDecoder), the same text; other pieces, and every
 * piece elsewhere, by the decoders here.
 *
 * Only text that ends with a newline is decoded before the body ends, and a newline ends
 * any incomplete character (as U+FFFD) whatever the decoder, so no decoder state ever
 * crosses a piece and the two decoders can share the work. Both keep a U+FEFF (a later
 * line may start with one); the body's own BOM is dropped by hand, as a streaming decoder
 * drops it: only at the very start.
 */
export function openLines(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  requestID: string | null,
  maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
): LineSource {
  const chunks = openChunks(stream, signal, requestID);
  const streaming = new TextDecoder('utf-8', { ignoreBOM: true });
  const whole = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The bytes of the line in progress, not decoded yet. */
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  /** Thrown by the next `fill()`, once the lines before the long one are handed out. */
  let tooLong: LineTooLongError | undefined;
  /** Stops at line `number`, which is too long: nothing after it is read. */
  const stop = (number: number) => {
    tooLong = new LineTooLongError(number, maxLineBytes, { requestID });
    chunk = undefined;
    finished = true;
    pending.length = 0;
    pendingBytes = 0;
  };
  const lines: string[] = [];
  const numbers: number[] = [];
  let chunk: Uint8Array | undefined;
  let offset = 0;
  let lineNumber = 0;
  let finished = false;
  /** True until the first decode, which always starts at the body's first byte. */
  let atStart = true;

  /** Text that ends with a newline, or (`last`) the end of the body. */
  const decode = (bytes: Uint8Array, last = false): string => {
    const text =
      bytes.length > LONG_TEXT_BYTES
        ? whole.decode(bytes)
        : (decodeValidUtf8(bytes) ??
          (last ? whole.decode(bytes) : streaming.decode(bytes, { stream: true })));
    if (!atStart) return text;
    atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };

  /** The pending bytes followed by `tail`, in one array; empties `pending`. */
  const takePending = (tail?: Uint8Array): Uint8Array => {
    if (tail !== undefined) pending.push(tail);
    const bytes = joinBytes(pending);
    pending.length = 0;
    pendingBytes = 0;
    return bytes;
  };

  const take = (line: string) => {
    lineNumber++;
    if (isBlank(line)) return;
    lines.push(line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line);
    numbers.push(lineNumber);
  };

  const source: LineSource = {
    lines,
    numbers,
    terminated: true,
    fillReady() {
      lines.length = 0;
      numbers.length = 0;
      while (lines.length === 0) {
        if (tooLong !== undefined) throw tooLong;
        if (chunk === undefined) {
          if (finished) {
            if (pending.length === 0) return false;
            source.terminated = false;
            // An incomplete character at the very end decodes to U+FFFD, never a newline.
            take(decode(takePending(), true));
            continue;
          }
          return undefined;
        }
        // The next piece of the chunk: whole lines up to PIECE_BYTES, or all that is left.
        const bytes = chunk;
        const start = offset;
        let end = bytes.length;
        let unscanned = end; // [unscanned, end) is known to hold no newline
        if (end - start > PIECE_BYTES) {
          const newline = bytes.indexOf(0x0a, start + PIECE_BYTES);
          if (newline !== -1) end = newline + 1;
          else unscanned = start + PIECE_BYTES;
        }
        if (end === bytes.length) chunk = undefined;
        else offset = end;
        if (end === start) continue;
        // A piece starts after a newline (or at the chunk's start): this stops there.
        const last = bytes.lastIndexOf(0x0a, Math.min(end, unscanned) - 1);
        if (last < start) {
          pending.push(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
          pendingBytes += end - start;
          if (pendingBytes > maxLineBytes) stop(lineNumber + 1);
          continue;
        }
        let from = start;
        if (pending.length > 0) {
          from = bytes.indexOf(0x0a, start) + 1;
          if (pendingBytes + (from - 1 - start) > maxLineBytes) {
            stop(lineNumber + 1);
            continue;
          }
          const text = decode(takePending(bytes.subarray(start, from)));
          take(text.slice(0, -1));
        }
        // Whole lines [from, upTo): all of them, or those before the first that is too long.
        let upTo = last + 1;
        const long = upTo - from > maxLineBytes ? longLine(bytes, from, upTo, maxLineBytes) : -1;
        if (long !== -1) upTo = long;
        if (from < upTo) {
          const text = decode(bytes.subarray(from, upTo));
          let at = 0;
          for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', at)) {
            take(text.slice(at, nl));
            at = nl + 1;
          }
        }
        if (long !== -1) {
          stop(lineNumber + 1);
          continue;
        }
        if (last + 1 < end) {
          pending.push(bytes.subarray(last + 1, end));
          pendingBytes = end - last - 1;
          if (pendingBytes > maxLineBytes) stop(lineNumber + 1);
        }
      }
      return true;
    },
    async fill() {
      for (;;) {
        const ready = source.fillReady();
        if (ready !== undefined) return ready;
        chunk = await chunks.read();
        offset = 0;
        finished = chunk === undefined; // fillReady asks for a read only before the end
      }
    },
    close() {
      chunk = undefined;
      pending.length = 0;
      pendingBytes = 0;
      chunks.close();
    },
  };
  return source;
}

/** The chunks of a body, read under the caller's signal; see {@link openChunks}. */
export interface ChunkReader {
  /** The next chunk, or undefined once the body has ended. */
  read(): Promise<Uint8Array | undefined>;
  /** Stops: cancels the body if it was not read to its end, and releases it. Idempotent. */
  close(): void;
}

/**
 * Locks `stream` for reading. An abort of `signal` cancels the body, so a pending read
 * settles at once and `read()` throws `APIUserAbortError`; a failed read throws the
 * stream's own error (an `APIConnectionError` when it was not an Error).
 */
export function openChunks(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  requestID: string | null,
): ChunkReader {
  if (signal?.aborted) throw aborted(signal);
  const reader = stream.getReader();
  // Cancelling settles a pending read() with `done`, so an abort never waits for the network.
  const onAbort = () => reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  let closed = false;
  return {
    async read() {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        finished = true; // the stream is errored: nothing left to cancel
        throw error instanceof Error
          ? error
          : new APIConnectionError('Reading the results stream failed.', {
              cause: error,
              requestID,
            });
      }
      if (signal?.aborted) throw aborted(signal);
      if (result.done) finished = true;
      return result.value;
    },
    close() {
      if (closed) return;
      closed = true;
      signal?.removeEventListener('abort', onAbort);
      // Not awaited: a consumer's `break` should not wait on the body's network teardown.
      if (!finished) reader.cancel().catch(() => {});
      reader.releaseLock();
    },
  };
}

/**
 * Where the first line longer than `max` bytes starts among the whole lines
 * `bytes[from..upTo)` (each ends with `\n`); -1 when none is.
 */
function longLine(bytes: Uint8Array, from: number, upTo: number, max: number): number {
  for (let start = from; start < upTo; ) {
    const newline = bytes.indexOf(0x0a, start);
    if (newline - start > max) return start;
    start = newline + 1;
  }
  return -1;
}

/** The pieces in one array: the only piece itself, else one copy of all of them. */
export function joinBytes(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    joined.set(piece, at);
    at += piece.length;
  }
  return joined;
}

/** Cheap for the common `{…}` line: trim() would scan from both ends of a long line. */
export function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) !== 0x7b && line.trim() === '');
}

/** The error an aborted read ends with. */
export function aborted(signal: AbortSignal): APIUserAbortError {
  return new APIUserAbortError(undefined, { cause: signal.reason });
}
