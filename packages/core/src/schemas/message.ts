import * as v from 'valibot';
import { openEnum } from './open-enum.ts';

/** One content block of a message; its `type` decides the other keys, which are kept as sent. */
export const ContentBlockSchema = v.looseObject({ type: v.string() });

/** Prompt-cache writes of a message by time to live (recorded since 2026). */
export const CacheCreationSchema = v.looseObject({
  ephemeral_5m_input_tokens: v.number(),
  ephemeral_1h_input_tokens: v.number(),
});

/**
 * Token usage of a message. `service_tier` is `"batch"` for batch results; `cache_creation`
 * and `inference_geo` (e.g. `"not_available"`) appear in lines recorded since 2026.
 */
export const UsageSchema = v.looseObject({
  input_tokens: v.number(),
  output_tokens: v.number(),
  cache_creation_input_tokens: v.optional(v.nullable(v.number())),
  cache_read_input_tokens: v.optional(v.nullable(v.number())),
  cache_creation: v.optional(v.nullable(CacheCreationSchema)),
  service_tier: v.optional(v.nullable(v.string())),
  inference_geo: v.optional(v.nullable(v.string())),
});

/** Known stop reasons; newer ones are accepted. */
export const STOP_REASONS = [
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
] as const;

/**
 * A complete Messages API `Message`, as carried by a succeeded result line. Lines recorded
 * since 2026 put `model` before `id`; key order is not checked.
 */
export const MessageSchema = v.looseObject({
  id: v.string(),
  type: v.literal('message'),
  role: v.literal('assistant'),
  model: v.string(),
  content: v.array(ContentBlockSchema),
  stop_reason: v.nullable(openEnum(STOP_REASONS)),
  stop_sequence: v.optional(v.nullable(v.string())),
  /** Why the model stopped, in detail (e.g. a refusal's category); `null` when there is none. */
  stop_details: v.optional(v.nullable(v.looseObject({}))),
  usage: UsageSchema,
});

export type { ContentBlock, Message, Usage } from '../types.ts';
