/**
 * Streaming JSONL decoding for results bodies: bytes in, one parsed value per line out,
 * in linear time and with memory bounded by the longest line.
 */
import { APIConnectionError, APIUserAbortError, JSONLDecodeError } from './errors.ts';

/** Options of {@link splitLines}. */
export interface SplitLinesOptions {
  /** Stops reading: the stream is cancelled and the iteration throws `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link decodeJSONL}. */
export interface DecodeJSONLOptions<T> {
  /**
   * Checks and converts one parsed line. It may throw its own typed error, which reaches
   * the caller unchanged. Without it, lines come out as `unknown`.
   */
  parse?: ((value: unknown, lineNumber: number) => T) | undefined;
  /** Stops reading: the stream is cancelled and the iteration throws `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** The `request-id` of the response, copied onto decode errors. */
  requestID?: string | null | undefined;
  /** Reads the `custom_id` reported as `lastCustomId` on errors; defaults to `value.custom_id`. */
  customIdOf?: ((value: T) => string | null | undefined) | undefined;
}

/**
 * Splits a UTF-8 byte stream into lines, yielding each line that is not blank.
 *
 * Lines end at `\n` or `\r\n`; a last line without a newline is yielded too. Lines that
 * are empty or whitespace only (as `String.prototype.trim` sees it) are skipped. A chunk
 * may end anywhere, also inside a character or between `\r` and `\n`. Invalid UTF-8
 * becomes U+FFFD. Breaking out of the loop cancels the stream.
 *
 * @param stream - The body to read; it is locked until the iteration ends.
 * @param options - `signal` to stop reading.
 * @returns The lines' text, without line terminators.
 * @throws `APIUserAbortError` when `signal` aborts; the stream's own error when reading fails.
 */
export function splitLines(
  stream: ReadableStream<Uint8Array>,
  options: SplitLinesOptions = {},
): AsyncGenerator<string, void, undefined> {
  return yieldLines(stream, options.signal);
}

async function* yieldLines(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<string, void, undefined> {
  const source = openLines(stream, signal, null);
  try {
    while (await source.fill()) {
      for (const line of source.lines) {
        yield line;
        if (signal?.aborted) throw aborted(signal);
      }
    }
  } finally {
    source.close();
  }
}

/**
 * Decodes a JSONL results body into one value per non-blank line.
 *
 * @example
 * ```ts
 * for await (const line of decodeJSONL(response.body, { parse: parseResultLine, requestID })) {
 *   console.log(line.custom_id, line.result.type);
 * }
 * ```
 * @param stream - The body to read; it is cancelled when the loop stops early or fails.
 * @param options - `parse` to validate each line, `signal`, `requestID`, `customIdOf`.
 * @returns The parsed (and, with `parse`, validated) lines in order.
 * @throws `JSONLDecodeError` for a line that is not JSON, or a last line cut off before its
 * end; its `lineNumber` counts every physical line from 1, blank ones included, so it
 * points into the raw body. The lines before it were delivered. Errors from `parse` and
 * from the stream pass through unchanged; `APIUserAbortError` when `signal` aborts.
 */
export function decodeJSONL<T>(
  stream: ReadableStream<Uint8Array>,
  options: DecodeJSONLOptions<T> & { parse: (value: unknown, lineNumber: number) => T },
): AsyncGenerator<T, void, undefined>;
export function decodeJSONL(
  stream: ReadableStream<Uint8Array>,
  options?: DecodeJSONLOptions<unknown>,
): AsyncGenerator<unknown, void, undefined>;
export async function* decodeJSONL<T>(
  stream: ReadableStream<Uint8Array>,
  options: DecodeJSONLOptions<T> = {},
): AsyncGenerator<T, void, undefined> {
  const { parse, signal, requestID = null, customIdOf = customIdField } = options;
  const source = openLines(stream, signal, requestID);
  let lastCustomId: string | null = null;
  try {
    while (await source.fill()) {
      const { lines, numbers } = source;
      for (let i = 0; i < lines.length; i++) {
        let json: unknown;
        try {
          json = JSON.parse(lines[i]!);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          const what = source.terminated
            ? `A line of the results stream is not valid JSON (${reason})`
            : `The results stream ended inside a line, which is truncated (${reason})`;
          throw new JSONLDecodeError(
            `${what}. The lines before it were delivered; download the results again to read the rest`,
            numbers[i]!,
            lastCustomId,
            { cause: error, requestID },
          );
        }
        const value = parse ? parse(json, numbers[i]!) : (json as T);
        lastCustomId = customIdOf(value) ?? lastCustomId;
        yield value;
        if (signal?.aborted) throw aborted(signal);
      }
    }
  } finally {
    source.close();
  }
}

/**
 * Reads `custom_id` and `result.type` of a line without parsing all of it, when the line
 * starts exactly as the API writes it: `{"custom_id":"…","result":{"type":"…"`.
 *
 * Hint: the answer equals `JSON.parse(line)`'s for any line without duplicate keys, but
 * the rest of the line is not checked; parse it before trusting anything else in it.
 *
 * @param line - One line as yielded by {@link splitLines}.
 * @returns Both strings, or null when the line has another form (other key order,
 * whitespace, escapes in either string): then parse the line instead.
 */
export function peekCustomIdAndType(line: string): { custom_id: string; type: string } | null {
  if (!line.startsWith(HEAD)) return null;
  const idEnd = plainStringEnd(line, HEAD.length);
  if (idEnd === -1 || !line.startsWith(MIDDLE, idEnd)) return null;
  const typeStart = idEnd + MIDDLE.length;
  const typeEnd = plainStringEnd(line, typeStart);
  const after = line.charCodeAt(typeEnd + 1);
  if (typeEnd === -1 || (after !== 0x2c && after !== 0x7d)) return null; // `,` or `}`
  return { custom_id: line.slice(HEAD.length, idEnd), type: line.slice(typeStart, typeEnd) };
}

const HEAD = '{"custom_id":"';
const MIDDLE = '","result":{"type":"';

/** Index of the `"` closing a string that starts at `from`; -1 when an escape or control
 * character means only JSON.parse can say what the string is. */
function plainStringEnd(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}

/**
 * The lines of a body, one chunk at a time: each `fill()` reads until at least one
 * line is complete and leaves the chunk's lines in `lines`. Consumers loop over that
 * array synchronously, so a line costs one async step (the consumer's own `yield`),
 * not one per layer of generators.
 */
interface LineSource {
  /** The lines that are not blank, without terminators, from the last `fill()`. */
  readonly lines: string[];
  /** The physical line number (from 1, blank lines counted) of each of `lines`. */
  readonly numbers: number[];
  /** False only when `lines` is the last line and the body ended without its newline. */
  terminated: boolean;
  /** Reads on; resolves false once the body has ended and every line was handed out. */
  fill(): Promise<boolean>;
  /** Stops: cancels the body if it was not read to its end, and releases it. */
  close(): void;
}

/**
 * One streaming TextDecoder turns each chunk into text once, and lines are slices of
 * it. A line spanning chunks is kept as pieces joined once at its end, so a long line
 * costs linear time (re-concatenating per chunk would be quadratic).
 * Decoding text rather than scanning bytes measured ~1.7x faster (bench/micro/).
 */
function openLines(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  requestID: string | null,
): LineSource {
  if (signal?.aborted) throw aborted(signal);
  const reader = stream.getReader();
  // Cancelling settles a pending read() with `done`, so an abort never waits for the network.
  const onAbort = () => reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  const decoder = new TextDecoder();
  const pending: string[] = [];
  const lines: string[] = [];
  const numbers: number[] = [];
  let lineNumber = 0;
  let finished = false;
  let closed = false;

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
    async fill() {
      lines.length = 0;
      numbers.length = 0;
      while (lines.length === 0) {
        if (finished) {
          if (pending.length === 0) return false;
          source.terminated = false;
          take(pending.join(''));
          pending.length = 0;
          continue;
        }
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          finished = true; // the stream is errored: nothing left to cancel
          pending.length = 0;
          throw error instanceof Error
            ? error
            : new APIConnectionError('Reading the results stream failed.', {
                cause: error,
                requestID,
              });
        }
        if (signal?.aborted) throw aborted(signal);
        if (result.done) {
          finished = true;
          // Only an incomplete character can be left: U+FFFD, never a newline.
          const rest = decoder.decode();
          if (rest) pending.push(rest);
          continue;
        }
        const text = decoder.decode(result.value, { stream: true });
        let start = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
          if (pending.length > 0) {
            pending.push(text.slice(start, nl));
            take(pending.join(''));
            pending.length = 0;
          } else {
            take(text.slice(start, nl));
          }
          start = nl + 1;
        }
        if (start < text.length) pending.push(start === 0 ? text : text.slice(start));
      }
      return true;
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
  return source;
}

/** Cheap for the common `{…}` line: trim() would scan from both ends of a long line. */
function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) !== 0x7b && line.trim() === '');
}

function customIdField(value: unknown): string | undefined {
  const id = (value as { custom_id?: unknown } | null)?.custom_id;
  return typeof id === 'string' ? id : undefined;
}

function aborted(signal: AbortSignal): APIUserAbortError {
  return new APIUserAbortError(undefined, { cause: signal.reason });
}
