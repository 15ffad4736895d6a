import * as v from 'valibot';
import { invalidAnswer } from './answer.ts';
import { InvalidArgumentError } from './errors.ts';
import type { AnswerIssue } from './schemas/message-batch-check.ts';

/** valibot's issues as dotted paths and messages. */
function answerIssues(issues: readonly v.BaseIssue<unknown>[]): AnswerIssue[] {
  return issues.map((issue) => ({ path: v.getDotPath(issue) ?? '(root)', message: issue.message }));
}

/**
 * Checks a server answer against its schema. A mismatch is a
 * `ResponseValidationError` naming the first field and the request id.
 */
export function parseResponse<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  what: string,
  requestID: string | null,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  throw invalidAnswer(what, answerIssues(result.issues), requestID);
}

/**
 * A schema as an answer check for `sendJSON`: valibot's issues as dotted paths.
 * Answers are returned as parsed, so `schema` must not transform (none of the wire
 * schemas does; they check).
 */
export function schemaIssues(schema: v.GenericSchema): (value: unknown) => AnswerIssue[] {
  return (value) => {
    const result = v.safeParse(schema, value);
    return result.success ? [] : answerIssues(result.issues);
  };
}

/**
 * Checks a caller's argument before anything is sent. A mismatch is an
 * `InvalidArgumentError` naming the argument path, e.g. `params.requests.3.custom_id`.
 */
export function parseArgument<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  name: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortPipeEarly: true });
  if (result.success) return result.output;
  const first = result.issues[0];
  const path = v.getDotPath(first);
  throw new InvalidArgumentError(path ? `${name}.${path}` : name, first.message);
}
