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

export type {
  MessageBatchCanceledResult,
  MessageBatchErroredResult,
  MessageBatchExpiredResult,
  MessageBatchIndividualResponse,
  MessageBatchResult,
  MessageBatchSucceededResult,
} from '../types.ts';
/** A succeeded result (the official SDK's `MessageBatchSucceededResult`). */
export type SucceededResult = import('../types.ts').MessageBatchSucceededResult;
/** An errored result (the official SDK's `MessageBatchErroredResult`). */
export type ErroredResult = import('../types.ts').MessageBatchErroredResult;
/** A canceled result (the official SDK's `MessageBatchCanceledResult`). */
export type CanceledResult = import('../types.ts').MessageBatchCanceledResult;
/** An expired result (the official SDK's `MessageBatchExpiredResult`). */
export type ExpiredResult = import('../types.ts').MessageBatchExpiredResult;
