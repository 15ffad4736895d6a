import {
  IndividualResponseSchema,
  type MessageBatchIndividualResponse,
} from '../schemas/result-line.ts';
import { guardBodyStream } from '../transport/guard-body-stream.ts';
import { throwRedacted } from '../transport/redaction.ts';
import type { TransportResponse } from '../transport/transport.ts';
import { parseResponse } from '../validate.ts';
import { decodeRedactedJSONL, splitLines } from './jsonl.ts';
import { DEFAULT_MAX_LINE_BYTES } from './jsonl-lines.ts';
import { isPlainResultLine } from './result-line-guard.ts';

/**
 * A batch's results, streamed: iterate it once with `for await`. Lines arrive
 * in no particular order; match them by `custom_id`. Memory stays constant
 * however large the results are; leaving the loop early closes the download.
 */
export class BatchResults implements AsyncIterable<MessageBatchIndividualResponse> {
  /** The HTTP response the lines are read from. */
  readonly response: Response;
  /** The `request-id` of that response. */
  readonly requestID: string | null;
  readonly #answer: TransportResponse;
  readonly #idleTimeout: number;
  readonly #maxLineBytes: number;
  readonly #redact: (text: string) => string;
  #taken = false;

  /**
   * @param answer - the results response
   * @param idleTimeout - the longest wait between chunks, in ms
   * @param maxLineBytes - the longest line to hold (checked by the caller)
   * @param redact - removes the credential from what the lines' errors quote
   */
  constructor(
    answer: TransportResponse,
    idleTimeout: number,
    maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
    redact: (text: string) => string = (text) => text,
  ) {
    this.#answer = answer;
    this.#redact = redact;
    this.#idleTimeout = idleTimeout;
    this.#maxLineBytes = maxLineBytes;
    this.response = answer.response;
    this.requestID = answer.requestID;
  }

  #stream(): ReadableStream<Uint8Array> {
    if (this.#taken) {
      throw new TypeError(
        'These results were already read; call results() again to read them anew.',
      );
    }
    this.#taken = true;
    return resultsBody(this.#answer, this.#idleTimeout);
  }

  /** The raw lines (JSON text, blank lines skipped), for callers that parse them themselves. */
  lines(): AsyncGenerator<string> {
    return redactingGenerator(
      splitLines(this.#stream(), {
        signal: this.#answer.signal,
        maxLineBytes: this.#maxLineBytes,
      }),
      this.#redact,
    );
  }

  /** Every line, parsed and checked: a line that does not match is a `ResponseValidationError`. */
  [Symbol.asyncIterator](): AsyncGenerator<MessageBatchIndividualResponse> {
    const requestID = this.requestID;
    // Errors from the lines (a quoted line, a custom_id, a cause) leave without the credential.
    return decodeRedactedJSONL(
      this.#stream(),
      {
        signal: this.#answer.signal,
        requestID,
        maxLineBytes: this.#maxLineBytes,
        // The guard passes the documented variants as parsed; the schema handles the rest
        // (later variants, and errors that name the field).
        parse: (value, lineNumber) =>
          isPlainResultLine(value)
            ? value
            : (parseResponse(
                IndividualResponseSchema,
                value,
                `results line ${lineNumber}`,
                requestID,
              ) as MessageBatchIndividualResponse),
      },
      this.#redact,
    );
  }
}

/**
 * The same generator, except that what it throws passes through `redactError` first.
 * Delegates call by call (no generator of its own), so a line costs no extra step.
 */
function redactingGenerator<T>(
  source: AsyncGenerator<T>,
  redact: (text: string) => string,
): AsyncGenerator<T> {
  const clean = (error: unknown) => throwRedacted(error, redact);
  const generator = {
    next: (...args: [] | [unknown]) => source.next(...args).catch(clean),
    return: (value?: unknown) => source.return(value as T).catch(clean),
    throw: (error?: unknown) => source.throw(error).catch(clean),
    [Symbol.asyncIterator]() {
      return generator;
    },
  };
  return generator as unknown as AsyncGenerator<T>;
}

/**
 * The body of a results response, guarded: a stall longer than `idleTimeout` between
 * chunks, a lost connection and the caller's abort end it with typed errors.
 */
export function resultsBody(
  answer: TransportResponse,
  idleTimeout: number,
): ReadableStream<Uint8Array> {
  const { response, requestID, signal } = answer;
  return guardBodyStream(response.body ?? new ReadableStream({ start: (c) => c.close() }), {
    idleTimeoutMs: idleTimeout,
    requestID,
    signal,
  });
}
