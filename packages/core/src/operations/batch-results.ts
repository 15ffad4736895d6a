import { decodeJSONL, splitLines } from '../jsonl.ts';
import {
  IndividualResponseSchema,
  type MessageBatchIndividualResponse,
} from '../schemas/result-line.ts';
import { isPlainResultLine } from '../schemas/result-line-guard.ts';
import { guardBodyStream } from '../transport/guard-body-stream.ts';
import type {
  RequestOptions,
  RequestSpec,
  Transport,
  TransportResponse,
} from '../transport/transport.ts';
import { parseResponse } from '../validate.ts';
import { ResultsPromise } from './results-promise.ts';
import { batchPath } from './shared.ts';

/**
 * The request for a batch's results: `GET /v1/messages/batches/{id}/results`,
 * always under the client's base URL. The batch's `results_url` is not followed,
 * so the credential never goes to another origin, whatever that URL names.
 */
export function buildBatchResults(id: string): RequestSpec {
  return {
    method: 'GET',
    path: `${batchPath(id)}/results`,
    idempotent: true,
    accept: 'application/x-jsonl',
  };
}

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
  #taken = false;

  constructor(answer: TransportResponse, idleTimeout: number) {
    this.#answer = answer;
    this.#idleTimeout = idleTimeout;
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
    return splitLines(this.#stream(), { signal: this.#answer.signal });
  }

  /** Every line, parsed and checked: a line that does not match is a `ResponseValidationError`. */
  [Symbol.asyncIterator](): AsyncGenerator<MessageBatchIndividualResponse> {
    const requestID = this.requestID;
    return decodeJSONL(this.#stream(), {
      signal: this.#answer.signal,
      requestID,
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
    });
  }
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

/**
 * Streams the results of an ended batch. Before the batch has ended the API
 * answers 404 (`NotFoundError`: "has no available results").
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - the batch id
 * @param options - signal (also stops the stream), timeout, maxRetries, headers
 * @returns an async iterable of typed result lines
 * @example
 * for await (const line of batchResults(transport, id)) {
 *   if (line.result.type === 'canceled') console.log(line.custom_id);
 * }
 */
export function batchResults(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): ResultsPromise {
  const run = async () => {
    const answer = await transport.request(buildBatchResults(id), options);
    return {
      data: new BatchResults(answer, transport.config.idleTimeout),
      response: answer.response,
    };
  };
  return new ResultsPromise(run());
}

export { ResultsPromise };
