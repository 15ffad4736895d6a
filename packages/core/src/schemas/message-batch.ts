import * as v from 'valibot';
import { openEnum, TimestampSchema } from './open-enum.ts';

/** Known values of `processing_status`; other strings are accepted too. */
export const PROCESSING_STATUSES = ['in_progress', 'canceling', 'ended'] as const;

/** Tally of a batch's requests by outcome. The five counts always add up to the batch size. */
export const RequestCountsSchema = v.looseObject({
  processing: v.number(),
  succeeded: v.number(),
  errored: v.number(),
  canceled: v.number(),
  expired: v.number(),
});

/** The `message_batch` object: all ten keys are always present; four are nullable. */
export const MessageBatchSchema = v.looseObject({
  id: v.string(),
  type: v.literal('message_batch'),
  processing_status: openEnum(PROCESSING_STATUSES),
  request_counts: RequestCountsSchema,
  ended_at: v.nullable(TimestampSchema),
  created_at: TimestampSchema,
  expires_at: TimestampSchema,
  archived_at: v.nullable(TimestampSchema),
  cancel_initiated_at: v.nullable(TimestampSchema),
  results_url: v.nullable(v.string()),
});

/** The answer to delete. */
export const DeletedMessageBatchSchema = v.looseObject({
  id: v.string(),
  type: v.literal('message_batch_deleted'),
});

/** One page of the list operation, newest batch first. */
export const MessageBatchPageSchema = v.looseObject({
  data: v.array(MessageBatchSchema),
  has_more: v.boolean(),
  first_id: v.nullable(v.string()),
  last_id: v.nullable(v.string()),
});

/** Processing status of a batch: `in_progress`, `canceling`, `ended`, or a value added later. */
export type ProcessingStatus = v.InferOutput<typeof MessageBatchSchema>['processing_status'];
/** Tally of a batch's requests by outcome. */
export type MessageBatchRequestCounts = v.InferOutput<typeof RequestCountsSchema>;
/** A message batch as the API returns it. */
export type MessageBatch = v.InferOutput<typeof MessageBatchSchema>;
/** The answer to delete: `{ id, type: 'message_batch_deleted' }`. */
export type DeletedMessageBatch = v.InferOutput<typeof DeletedMessageBatchSchema>;
/** One page of batches as the API returns it. */
export type MessageBatchPage = v.InferOutput<typeof MessageBatchPageSchema>;
