import * as v from 'valibot';
import { openEnum } from './open-enum.ts';

/** Error types the API documents; new ones may appear, so any string is accepted. */
export const ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'conflict_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
] as const;

/** The inner `error` object: a type and a human message (extra keys such as `details` are kept). */
export const ErrorObjectSchema = v.looseObject({
  type: openEnum(ERROR_TYPES),
  message: v.string(),
});

/** `{ type: 'error', error: { type, message }, request_id }` — HTTP error bodies and errored result lines. */
export const ErrorEnvelopeSchema = v.looseObject({
  type: v.literal('error'),
  error: ErrorObjectSchema,
  request_id: v.optional(v.nullable(v.string())),
});

export type { ErrorObject, ErrorType } from '../types.ts';
/** The API's error body (the official SDK calls it `ErrorResponse`). */
export type ErrorEnvelope = import('../types.ts').ErrorResponse;
