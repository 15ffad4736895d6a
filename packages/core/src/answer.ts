import { ResponseValidationError } from './errors.ts';
import type { AnswerIssue } from './schemas/message-batch-check.ts';

// Kept apart from validate.ts: the cancel path needs these two and not valibot, and a
// bundler that splits code puts a module in one chunk whole, so a module that imports
// valibot would bring it into the chunk every page loads (scripts/size.mjs).

/**
 * The error for an answer that does not match: it names the first field, lists every
 * mismatch as `path: message`, and carries the request id.
 */
export function invalidAnswer(
  what: string,
  issues: readonly AnswerIssue[],
  requestID: string | null,
): ResponseValidationError {
  return new ResponseValidationError(
    what,
    issues[0]?.path ?? '(root)',
    issues.map((issue) => `${issue.path}: ${issue.message}`),
    requestID,
  );
}

/**
 * The error for an answer that is not JSON (`issues` undefined) or does not match
 * (`issues` lists how); the body's start is quoted, so it is redacted before it is thrown.
 */
export function answerError(
  text: string,
  what: string,
  issues: readonly AnswerIssue[] | undefined,
  requestID: string | null,
): ResponseValidationError {
  return issues
    ? invalidAnswer(what, issues, requestID)
    : new ResponseValidationError(
        what,
        '(body)',
        [`(body): not JSON: ${text.slice(0, 80)}`],
        requestID,
      );
}
