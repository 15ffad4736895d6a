/**
 * Streaming JSONL decoding for results bodies: bytes in, one parsed value per line out,
 * in linear time and with memory bounded by the longest line.
 */
import { JSONLDecodeError } from '../errors-later.ts';
import { throwRedacted } from '../transport/redaction.ts';
import { aborted, type LineSource, maxLineBytesOption, openLines } from './jsonl-lines.ts';

/** Options of {@link splitLines}. */
export interface SplitLinesOptions {
  /** Stops reading: the stream is cancelled and the iteration throws `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /**
   * The longest line to hold, in bytes (its `\n` not counted): a longer one ends the
   * iteration with `LineTooLongError` naming its line. Default 64 MiB; `Infinity` for none.
   */
  maxLineBytes?: number | undefined;
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
  /**
   * The longest line to hold, in bytes (its `\n` not counted): a longer one ends the
   * iteration with `LineTooLongError` naming its line. Default 64 MiB; `Infinity` for none.
   */
  maxLineBytes?: number | undefined;
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
 * @param options - `signal` to stop reading, `maxLineBytes`.
 * @returns The lines' text, without line terminators.
 * @throws `APIUserAbortError` when `signal` aborts; the stream's own error when reading fails;
 * `LineTooLongError` at a line longer than `maxLineBytes` (the lines before it were yielded);
 * `InvalidArgumentError` (at once) for a `maxLineBytes` that is not an integer >= 1.
 */
export function splitLines(
  stream: ReadableStream<Uint8Array>,
  options: SplitLinesOptions = {},
): AsyncGenerator<string, void, undefined> {
  return yieldLines(stream, options.signal, maxLineBytesOption(options.maxLineBytes));
}

async function* yieldLines(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  maxLineBytes: number,
): AsyncGenerator<string, void, undefined> {
  const source = openLines(stream, signal, null, maxLineBytes);
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
 * from the stream pass through unchanged; `APIUserAbortError` when `signal` aborts;
 * `LineTooLongError` at a line longer than `maxLineBytes` (default 64 MiB);
 * `InvalidArgumentError` (at once) for a `maxLineBytes` that is not an integer >= 1.
 */
export function decodeJSONL<T>(
  stream: ReadableStream<Uint8Array>,
  options: DecodeJSONLOptions<T> & { parse: (value: unknown, lineNumber: number) => T },
): AsyncGenerator<T, void, undefined>;
export function decodeJSONL(
  stream: ReadableStream<Uint8Array>,
  options?: DecodeJSONLOptions<unknown>,
): AsyncGenerator<unknown, void, undefined>;
export function decodeJSONL<T>(
  stream: ReadableStream<Uint8Array>,
  options: DecodeJSONLOptions<T> = {},
): AsyncGenerator<T, void, undefined> {
  return new DecodedLines(stream, options);
}

/**
 * {@link decodeJSONL} whose errors (and those of `parse`) leave through `redact`: the typed
 * iteration of results, which must never quote the credential. Redacting here, on the
 * failure path only, spares a line the extra promise that wrapping each `next()` cost.
 */
export function decodeRedactedJSONL<T>(
  stream: ReadableStream<Uint8Array>,
  options: DecodeJSONLOptions<T> & { parse: (value: unknown, lineNumber: number) => T },
  redact: (text: string) => string,
): AsyncGenerator<T, void, undefined> {
  return new DecodedLines(stream, options, redact);
}

/** %AsyncIteratorPrototype%: what async generators inherit `Symbol.asyncDispose` from, where
 * the runtime has it (`await using`). */
const AsyncIteratorPrototype: object = Object.getPrototypeOf(
  Object.getPrototypeOf(async function* () {}.prototype),
);

/**
 * The iteration of {@link decodeJSONL}: an async generator's protocol (calls queue in order,
 * `return` and `throw` close the body, a finished or failed iteration stays done), written
 * out by hand so that a line already read costs one resolved promise and no generator
 * resumption: the generator's steps were ~5% of a typed iteration's CPU time (200,000
 * lines, in process).
 */
class DecodedLines<T> implements AsyncGenerator<T, void, undefined> {
  readonly #stream: ReadableStream<Uint8Array>;
  readonly #parse: ((value: unknown, lineNumber: number) => T) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #requestID: string | null;
  readonly #customIdOf: (value: T) => string | null | undefined;
  readonly #maxLineBytes: number;
  readonly #redact: ((text: string) => string) | undefined;
  #source: LineSource | undefined;
  /** Index in `#source.lines` of the next line to hand out. */
  #next = 0;
  #lastCustomId: string | null = null;
  #done = false;
  /** The call in progress that had to wait for the body; later calls wait for it. */
  #busy: Promise<unknown> | undefined;

  constructor(
    stream: ReadableStream<Uint8Array>,
    options: DecodeJSONLOptions<T>,
    redact?: (text: string) => string,
  ) {
    this.#stream = stream;
    this.#redact = redact;
    this.#parse = options.parse;
    this.#signal = options.signal;
    this.#requestID = options.requestID ?? null;
    this.#customIdOf = options.customIdOf ?? (customIdField as (value: T) => string | undefined);
    this.#maxLineBytes = maxLineBytesOption(options.maxLineBytes);
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.#busy === undefined) {
      try {
        const ready = this.#ready();
        if (ready !== undefined) return Promise.resolve(ready);
      } catch (error) {
        return this.#redacted(Promise.reject(error));
      }
    }
    return this.#redacted(this.#enqueue(() => this.#read()));
  }

  return(value?: void | PromiseLike<void>): Promise<IteratorResult<T, void>> {
    return this.#redacted(
      this.#enqueue(async () => {
        this.#close();
        return { done: true, value: await value };
      }),
    );
  }

  throw(error: unknown): Promise<IteratorResult<T, void>> {
    return this.#redacted(
      this.#enqueue(async () => {
        this.#close();
        throw error;
      }),
    );
  }

  /** `result`, its error without the credential when there is a `redact`. */
  #redacted<R>(result: Promise<R>): Promise<R> {
    const redact = this.#redact;
    return redact === undefined
      ? result
      : result.catch((error: unknown) => throwRedacted(error, redact));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** As `Object.prototype.toString` names a generator object. */
  get [Symbol.toStringTag](): string {
    return 'AsyncGenerator';
  }

  /** The next result when it needs no reading: a line already read or in the chunk in hand. */
  #ready(): IteratorResult<T, void> | undefined {
    if (this.#done) return done();
    const source = this.#source;
    if (source === undefined) return undefined;
    try {
      // Checked where a generator would: before each line after the first.
      if (this.#signal?.aborted) throw aborted(this.#signal);
      if (this.#next >= source.lines.length) {
        // The next piece of the chunk in hand, if there is one: no promise for it. Else a
        // read, or the end, which `#read` answers.
        if (!source.fillReady()) return undefined;
        this.#next = 0;
      }
      return { done: false, value: this.#decode(source, this.#next++) };
    } catch (error) {
      this.#close();
      throw error;
    }
  }

  /** Opens the body or reads its next chunk, then hands out the first line (or the end). */
  async #read(): Promise<IteratorResult<T, void>> {
    const ready = this.#ready();
    if (ready !== undefined) return ready;
    try {
      this.#source ??= openLines(this.#stream, this.#signal, this.#requestID, this.#maxLineBytes);
      if (!(await this.#source.fill())) {
        this.#close();
        return done();
      }
    } catch (error) {
      this.#close();
      throw error;
    }
    this.#next = 0;
    return this.#ready() as IteratorResult<T, void>;
  }

  #decode(source: LineSource, index: number): T {
    const lineNumber = source.numbers[index]!;
    let json: unknown;
    try {
      json = JSON.parse(source.lines[index]!);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const what = source.terminated
        ? `A line of the results stream is not valid JSON (${reason})`
        : `The results stream ended inside a line, which is truncated (${reason})`;
      throw new JSONLDecodeError(
        `${what}. The lines before it were delivered; download the results again to read the rest`,
        lineNumber,
        this.#lastCustomId,
        { cause: error, requestID: this.#requestID },
      );
    }
    const value = this.#parse ? this.#parse(json, lineNumber) : (json as T);
    this.#lastCustomId = this.#customIdOf(value) ?? this.#lastCustomId;
    return value;
  }

  /** Runs `call` after every call before it has settled, as a generator queues them. */
  #enqueue<R>(call: () => Promise<R>): Promise<R> {
    const run = this.#busy === undefined ? call() : this.#busy.then(call, call);
    this.#busy = run;
    const settle = () => {
      if (this.#busy === run) this.#busy = undefined;
    };
    run.then(settle, settle);
    return run;
  }

  #close(): void {
    this.#done = true;
    this.#source?.close();
  }
}
Object.setPrototypeOf(DecodedLines.prototype, AsyncIteratorPrototype);

function done(): IteratorReturnResult<void> {
  return { done: true, value: undefined };
}

/**
 * Reads `custom_id` and `result.type` of a line without parsing all of it, when the line
 * starts exactly as the API writes it: `{"custom_id":"…","result":{"type":"…"`.
 *
 * Hint: the answer equals `JSON.parse(line)`'s for any line without duplicate keys, but
 * the rest of the line is not checked; parse it before trusting anything else in it.
 * `custom_id` is a slice of `line`, and in V8 a slice of 13 characters or more keeps the
 * whole text it was cut from in memory (for lines from {@link splitLines}, a piece of the
 * body): to collect the ids of a whole batch, use `summarizeResults`, which keeps copies.
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
  return { custom_id: line.slice(HEAD.length, idEnd), type: typeName(line, typeStart, typeEnd) };
}

/** A documented result type as its shared constant (nothing allocated), else the slice. */
function typeName(line: string, start: number, end: number): string {
  for (const type of DOCUMENTED_TYPES) {
    if (type.length === end - start && line.startsWith(type, start)) return type;
  }
  return line.slice(start, end);
}

const DOCUMENTED_TYPES = ['succeeded', 'errored', 'canceled', 'expired'];

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

function customIdField(value: unknown): string | undefined {
  const id = (value as { custom_id?: unknown } | null)?.custom_id;
  return typeof id === 'string' ? id : undefined;
}
