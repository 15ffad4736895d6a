import type { MessageBatchIndividualResponse } from '../schemas/result-line.ts';

/**
 * A fast check that says true only for lines `IndividualResponseSchema` accepts and
 * would return equal (as `toEqual` sees it: same keys and values, its own key order
 * aside): the four documented variants, checked field by field as `result-line.ts`,
 * `message.ts` and `error-envelope.ts` declare them. A false says nothing: run the
 * schema, which also accepts later variants and names the field that is wrong.
 *
 * Hint: it exists because valibot's generic walk copied every object of every line and
 * cost about as much as `JSON.parse` itself on a 117 MB results body (bench/RESULTS.md).
 * Keep it in step with the schemas; `test/results/result-line-guard.property.test.ts` checks that
 * it never accepts what they refuse.
 *
 * @param value - One parsed results line.
 * @returns True when the line is valid as it is.
 */
export function isPlainResultLine(value: unknown): value is MessageBatchIndividualResponse {
  if (!isLineObject(value) || typeof value.custom_id !== 'string') return false;
  const result = value.result;
  if (!isLineObject(result)) return false;
  switch (result.type) {
    case 'succeeded':
      return isMessage(result.message);
    case 'errored':
      return isErrorEnvelope(result.error);
    case 'canceled':
    case 'expired':
      return true;
    default:
      return false;
  }
}

type Fields = Record<string, unknown>;

/*
 * An object valibot would copy key for key: it leaves out own keys `__proto__`, `prototype`
 * and `constructor`, so a line with one of them takes the schema's path. For a value as
 * JSON.parse makes it (data only, its prototype Object.prototype), `constructor === Object`
 * says it is an object (a string's is String, an array's Array; null and undefined have
 * none) without an own `constructor` key, and `prototype === undefined` that it has no own
 * `prototype` key: no JSON value is the Object function or undefined. Anything else
 * (another prototype, another realm) reads false, which only sends it to the schema.
 *
 * Hint: the check is written three times on purpose. V8 keeps the feedback of
 * a function's property loads per function: one shared check saw every kind of object of
 * a line and its loads (then three `Object.hasOwn`) went megamorphic; three copies, each
 * seeing a few shapes (V8 keeps up to four per load), cost about nothing: the guard took
 * half the time (bench/micro). Merge none of them into another.
 * `test/results/result-line-guard.property.test.ts` puts the three keys on every object.
 */

/** A line and its `result`. */
function isLineObject(value: unknown): value is Fields {
  return (
    (value as Fields | null)?.constructor === Object &&
    (value as Fields).prototype === undefined &&
    !Object.hasOwn(value as Fields, '__proto__')
  );
}

/** A message and its content blocks. */
function isMessageObject(value: unknown): value is Fields {
  return (
    (value as Fields | null)?.constructor === Object &&
    (value as Fields).prototype === undefined &&
    !Object.hasOwn(value as Fields, '__proto__')
  );
}

/**
 * `usage`, a message's optional records (`stop_details`, `cache_creation`), an error
 * envelope and its error.
 */
function isInnerObject(value: unknown): value is Fields {
  return (
    (value as Fields | null)?.constructor === Object &&
    (value as Fields).prototype === undefined &&
    !Object.hasOwn(value as Fields, '__proto__')
  );
}

/** `v.optional(v.nullable(type))`: absent (undefined), null, or of `type`. */
function isOptional(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || value === null || typeof value === type;
}

function isMessage(message: unknown): boolean {
  if (
    !isMessageObject(message) ||
    typeof message.id !== 'string' ||
    message.type !== 'message' ||
    message.role !== 'assistant' ||
    typeof message.model !== 'string' ||
    (message.stop_reason !== null && typeof message.stop_reason !== 'string') ||
    !isOptional(message.stop_sequence, 'string') ||
    !isOptionalRecord(message.stop_details) ||
    !Array.isArray(message.content)
  ) {
    return false;
  }
  for (const block of message.content as unknown[]) {
    if (!isMessageObject(block) || typeof block.type !== 'string') return false;
  }
  const usage = message.usage;
  return (
    isInnerObject(usage) &&
    typeof usage.input_tokens === 'number' &&
    typeof usage.output_tokens === 'number' &&
    !Number.isNaN(usage.input_tokens) &&
    !Number.isNaN(usage.output_tokens) &&
    isOptional(usage.cache_creation_input_tokens, 'number') &&
    isOptional(usage.cache_read_input_tokens, 'number') &&
    !Number.isNaN(usage.cache_creation_input_tokens) &&
    !Number.isNaN(usage.cache_read_input_tokens) &&
    isOptional(usage.service_tier, 'string') &&
    isOptional(usage.inference_geo, 'string') &&
    isCacheCreation(usage.cache_creation)
  );
}

/** `v.optional(v.nullable(v.looseObject({})))`; an array (constructor Array) goes to the schema. */
function isOptionalRecord(value: unknown): boolean {
  return value === undefined || value === null || isInnerObject(value);
}

function isCacheCreation(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return (
    isInnerObject(value) &&
    typeof value.ephemeral_5m_input_tokens === 'number' &&
    typeof value.ephemeral_1h_input_tokens === 'number' &&
    !Number.isNaN(value.ephemeral_5m_input_tokens) &&
    !Number.isNaN(value.ephemeral_1h_input_tokens)
  );
}

function isErrorEnvelope(envelope: unknown): boolean {
  if (!isInnerObject(envelope) || envelope.type !== 'error') return false;
  const error = envelope.error;
  return (
    isInnerObject(error) &&
    typeof error.type === 'string' &&
    typeof error.message === 'string' &&
    isOptional(envelope.request_id, 'string')
  );
}
