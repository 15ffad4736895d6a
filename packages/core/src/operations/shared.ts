import { failures } from '#failures';
import { APIPromise, type WithRequestID, type WithResponse } from '../api-promise.ts';
import { InvalidArgumentError } from '../errors.ts';
import type { AnswerIssue } from '../schemas/message-batch-check.ts';
import { throwRedacted } from '../transport/redaction.ts';
import type { RequestOptions, RequestSpec, Transport } from '../transport/transport.ts';

/**
 * Turns a batch id into exactly one path segment. Ids are opaque (their format
 * may change), so only what would break the path is refused: empty, non-string,
 * and the dot segments that a URL parser would resolve to another endpoint.
 */
export function batchIdSegment(id: unknown, name = 'id'): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError(
      name,
      `a batch id must be a non-empty string, got ${describe(id)}`,
    );
  }
  if (id === '.' || id === '..') {
    throw new InvalidArgumentError(name, `"${id}" is not a batch id`);
  }
  try {
    return encodeURIComponent(id);
  } catch {
    throw new InvalidArgumentError(
      name,
      'a batch id must be well-formed text (it has a lone surrogate)',
    );
  }
}

function describe(value: unknown): string {
  if (value === '') return 'an empty string';
  return value === null ? 'null' : typeof value;
}

/** The path of one batch. */
export const batchPath = (id: unknown) => `/v1/messages/batches/${batchIdSegment(id)}`;

export type { WithRequestID } from '../api-promise.ts';

/** Makes `_request_id` reachable on a returned object without showing up in JSON or spreads. */
export function attachRequestID<T extends object>(data: T, requestID: string | null): T {
  Object.defineProperty(data, '_request_id', {
    value: requestID,
    enumerable: false,
    configurable: true,
  });
  return data;
}

/**
 * Says every way a parsed answer is not what the operation returns; empty when it is.
 * `messageBatchIssues` on the cancel path, `schemaIssues(schema)` elsewhere.
 */
export type AnswerCheck = (value: unknown) => readonly AnswerIssue[];

/**
 * Runs a request whose answer is a JSON object: builds it (argument errors reject
 * before any I/O), sends it, checks the body with `check`. A mismatch is a
 * `ResponseValidationError` naming the first field and the request id.
 */
export function sendJSON<T extends object>(
  transport: Transport,
  build: () => RequestSpec,
  check: AnswerCheck,
  what: string,
  options?: RequestOptions,
): APIPromise<WithRequestID<T>> {
  const run = async (): Promise<WithResponse<WithRequestID<T>>> => {
    const spec = build();
    const answer = await transport.request(spec, options);
    const { response, requestID } = answer;
    const text = await answer.text();
    let parsed: { body: unknown } | undefined;
    try {
      parsed = { body: JSON.parse(text) };
    } catch {
      // Not JSON: said below.
    }
    const issues = parsed && check(parsed.body);
    if (issues?.length === 0)
      return { data: attachRequestID(parsed!.body as T, requestID), response };
    // A body that is not JSON, or a field that does not match, is quoted in the error
    // (redacted); the code that words it loads only now.
    const { answerError } = await failures();
    return throwRedacted(answerError(text, what, issues, requestID), transport.config.redact);
  };
  return new APIPromise(run());
}
