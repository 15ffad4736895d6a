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

/**
 * The `message_batch` object: ten keys; the four nullable ones read as null when absent
 * (batches recorded in 2024 have no `archived_at`).
 */
export const MessageBatchSchema = v.looseObject({
  id: v.string(),
  type: v.literal('message_batch'),
  processing_status: openEnum(PROCESSING_STATUSES),
  request_counts: RequestCountsSchema,
  ended_at: v.optional(v.nullable(TimestampSchema), null),
  created_at: TimestampSchema,
  expires_at: TimestampSchema,
  archived_at: v.optional(v.nullable(TimestampSchema), null),
  cancel_initiated_at: v.optional(v.nullable(TimestampSchema), null),
  results_url: v.optional(v.nullable(v.string()), null),
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

export type {
  DeletedMessageBatch,
  MessageBatch,
  MessageBatchPage,
  MessageBatchRequestCounts,
  ProcessingStatus,
} from '../types.ts';
