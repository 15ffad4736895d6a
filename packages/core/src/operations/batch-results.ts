import { BatchResults } from '../results/batch-results.ts';
import { maxLineBytesOption } from '../results/jsonl-lines.ts';
import { ResultsPromise } from '../results/results-promise.ts';
import type { RequestOptions, RequestSpec, Transport } from '../transport/transport.ts';
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

/** Options of {@link batchResults}: the request's, and how long a line may be. */
export interface ResultsOptions extends RequestOptions {
  /**
   * The longest line to hold, in bytes: a longer one ends the iteration with
   * `LineTooLongError` naming its line, instead of growing memory without bound when a
   * server never sends a newline. Default 64 MiB (`DEFAULT_MAX_LINE_BYTES`); `Infinity`
   * for no limit.
   */
  maxLineBytes?: number | undefined;
}

/**
 * Streams the results of an ended batch. Before the batch has ended the API
 * answers 404 (`NotFoundError`: "has no available results").
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param id - the batch id
 * @param options - signal (also stops the stream), timeout, maxRetries, headers, maxLineBytes
 * @returns an async iterable of typed result lines
 * @throws `InvalidArgumentError` (nothing sent) for a `maxLineBytes` that is not an integer >= 1
 * @example
 * for await (const line of batchResults(transport, id)) {
 *   if (line.result.type === 'canceled') console.log(line.custom_id);
 * }
 */
export function batchResults(
  transport: Transport,
  id: string,
  options: ResultsOptions = {},
): ResultsPromise {
  const run = async () => {
    const { maxLineBytes, ...request } = options;
    const max = maxLineBytesOption(maxLineBytes);
    const answer = await transport.request(buildBatchResults(id), request);
    return {
      data: new BatchResults(answer, transport.config.idleTimeout, max, transport.config.redact),
      response: answer.response,
    };
  };
  return new ResultsPromise(run());
}
