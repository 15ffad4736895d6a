/**
 * Hand-written checks of the two answers on the cancel path (`message_batch` and
 * `message_batch_deleted`), equal in what they accept and in the paths they name to
 * `MessageBatchSchema` and `DeletedMessageBatchSchema` — the schemas stay the one
 * source of the types; `test/answer-check.property.test.ts` holds the two together.
 *
 * Why by hand: valibot's object walk is about 1.3 KB gzip of a page that only
 * cancels, more than a tenth of the whole bundle (scripts/size.mjs). Answers of the
 * other operations, which load on first use, keep using the schemas.
 */

/** One mismatch: the dotted path of the field and what was wrong. */
export interface AnswerIssue {
  path: string;
  message: string;
}

/**
 * What a field must be: a `typeof` name, that name with `?` (or null), or a JSON
 * string literal; or the shape of a nested object.
 */
type Shape = { [key: string]: string | Shape };

const got = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

function matches(value: unknown, expected: string): boolean {
  if (expected.startsWith('"')) return JSON.stringify(value) === expected;
  if (expected.endsWith('?') && value === null) return true;
  // `string?` starts with `string`; no typeof name starts another (and no string is built).
  return expected.startsWith(typeof value);
}

/** Walks `shape` in its order, as valibot does, collecting every mismatch under `prefix`. */
function walk(value: unknown, shape: Shape, issues: AnswerIssue[], prefix = ''): void {
  // valibot's object check: any non-null object (an array too: its keys are then missing).
  if (typeof value !== 'object' || value === null) {
    issues.push({
      path: prefix.slice(0, -1) || '(root)',
      message: `expected an object, got ${got(value)}`,
    });
    return;
  }
  for (const key in shape) {
    const expected = shape[key]!;
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined && typeof expected === 'string' && expected.endsWith('?')) {
      // A nullable field the API left out (batches recorded in 2024 have no archived_at).
      (value as Record<string, unknown>)[key] = null;
    } else if (!(key in value)) issues.push({ path: prefix + key, message: 'missing' });
    else if (typeof expected !== 'string') walk(field, expected, issues, `${prefix + key}.`);
    else if (!matches(field, expected)) {
      issues.push({
        path: prefix + key,
        message: `expected ${expected.replace('?', ' or null')}, got ${got(field)}`,
      });
    }
  }
}

// Timestamps are RFC 3339 strings, kept as sent; `processing_status` is an open enum
// (a status added later must not break a running client), so any string.
const MESSAGE_BATCH: Shape = {
  id: 'string',
  type: '"message_batch"',
  processing_status: 'string',
  request_counts: {
    processing: 'number',
    succeeded: 'number',
    errored: 'number',
    canceled: 'number',
    expired: 'number',
  },
  ended_at: 'string?',
  created_at: 'string',
  expires_at: 'string',
  archived_at: 'string?',
  cancel_initiated_at: 'string?',
  results_url: 'string?',
};
const DELETED_MESSAGE_BATCH: Shape = { id: 'string', type: '"message_batch_deleted"' };

/**
 * Every way `value` is not a `message_batch` (unknown keys and statuses are fine). A
 * nullable field that is absent is set to null on `value`, as the schema reads it.
 *
 * @param value - a parsed answer
 * @returns the mismatches in field order; empty when `value` is a `MessageBatch`
 */
export function messageBatchIssues(value: unknown): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  walk(value, MESSAGE_BATCH, issues);
  return issues;
}

/**
 * Every way `value` is not the answer to delete.
 *
 * @param value - a parsed answer
 * @returns the mismatches in field order; empty when `value` is a `DeletedMessageBatch`
 */
export function deletedMessageBatchIssues(value: unknown): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  walk(value, DELETED_MESSAGE_BATCH, issues);
  return issues;
}
