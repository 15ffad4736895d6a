// The errors of a body that failed mid-read: loaded on the first such failure (body-stream.ts)
// or with the results reader (guard-body-stream.ts), so a page that cancels skips them.
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from '../errors.ts';

/** What a body reader needs to fail well: the idle limit, the request id, the caller's signal. */
export interface BodyReadOptions {
  idleTimeoutMs: number;
  requestID: string | null;
  signal?: AbortSignal | undefined;
}

/** The typed error for a body that failed mid-read: the caller's abort, a stall, or a lost connection. */
export function mapBodyError(error: unknown, { requestID, signal }: BodyReadOptions) {
  if (error instanceof APIConnectionError) return error;
  if (signal?.aborted) return new APIUserAbortError(undefined, { cause: error });
  return new APIConnectionError(
    `The connection failed while reading the response body${requestID ? ` (request id ${requestID})` : ''}; what was delivered before is intact.`,
    { cause: error, requestID },
  );
}

/** The error of a body that sent nothing for `idleTimeoutMs`. */
export function stalledBody({ idleTimeoutMs, requestID }: BodyReadOptions) {
  return new APIConnectionTimeoutError(
    `No data arrived for ${idleTimeoutMs} ms while reading the response body; the stream was closed. Retry, or raise idleTimeout.`,
    { requestID },
  );
}
