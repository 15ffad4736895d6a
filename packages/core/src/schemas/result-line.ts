import * as v from 'valibot';
import { ErrorEnvelopeSchema } from './error-envelope.ts';
import { MessageSchema } from './message.ts';

/** Known result types; a line with another `type` is accepted and passed through as sent. */
export const RESULT_TYPES = ['succeeded', 'errored', 'canceled', 'expired'] as const;

/** The request ran; `message` is the model's answer. */
export const SucceededResultSchema = v.looseObject({
  type: v.literal('succeeded'),
  message: MessageSchema,
});
/** The request failed; `error` is a full error envelope. */
export const ErroredResultSchema = v.looseObject({
  type: v.literal('errored'),
  error: ErrorEnvelopeSchema,
});
/** The batch was canceled before this request was sent to the model. */
export const CanceledResultSchema = v.looseObject({ type: v.literal('canceled') });
/** The 24-hour deadline passed before this request was sent to the model. */
export const ExpiredResultSchema = v.looseObject({ type: v.literal('expired') });
/** A result type this version of msgbatch does not know yet. */
const UnknownResultSchema = v.looseObject({
  type: v.custom<string>(
    (input) => typeof input === 'string' && !(RESULT_TYPES as readonly string[]).includes(input),
    'Expected a result type',
  ),
});

/**
 * The `result` of one line. Hint: the four documented variants narrow on `type`;
 * a variant added by the API later passes validation with its own `type`, so keep a
 * `default` branch.
 */
export const BatchResultSchema = v.variant('type', [
  SucceededResultSchema,
  ErroredResultSchema,
  CanceledResultSchema,
  ExpiredResultSchema,
  UnknownResultSchema,
]);

/** One line of a batch's results: `{ custom_id, result }`. */
export const IndividualResponseSchema = v.looseObject({
  custom_id: v.string(),
  result: BatchResultSchema,
});

/** A succeeded result. */
export type SucceededResult = v.InferOutput<typeof SucceededResultSchema>;
/** An errored result. */
export type ErroredResult = v.InferOutput<typeof ErroredResultSchema>;
/** A canceled result. */
export type CanceledResult = v.InferOutput<typeof CanceledResultSchema>;
/** An expired result. */
export type ExpiredResult = v.InferOutput<typeof ExpiredResultSchema>;
/** The documented result variants (at runtime, a later variant may also appear). */
export type MessageBatchResult = SucceededResult | ErroredResult | CanceledResult | ExpiredResult;
/** One line of a batch's results. */
export interface MessageBatchIndividualResponse {
  /** The `custom_id` given to the request at create time. */
  custom_id: string;
  /** The outcome of the request. */
  result: MessageBatchResult;
  [key: string]: unknown;
}
