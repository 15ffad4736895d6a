import * as v from 'valibot';
import { openEnum } from './open-enum.ts';

/** One content block of a message; its `type` decides the other keys, which are kept as sent. */
export const ContentBlockSchema = v.looseObject({ type: v.string() });

/** Token usage of a message. `service_tier` is `"batch"` for batch results. */
export const UsageSchema = v.looseObject({
  input_tokens: v.number(),
  output_tokens: v.number(),
  cache_creation_input_tokens: v.optional(v.nullable(v.number())),
  cache_read_input_tokens: v.optional(v.nullable(v.number())),
  service_tier: v.optional(v.nullable(v.string())),
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

/** A complete Messages API `Message`, as carried by a succeeded result line. */
export const MessageSchema = v.looseObject({
  id: v.string(),
  type: v.literal('message'),
  role: v.literal('assistant'),
  model: v.string(),
  content: v.array(ContentBlockSchema),
  stop_reason: v.nullable(openEnum(STOP_REASONS)),
  stop_sequence: v.optional(v.nullable(v.string())),
  usage: UsageSchema,
});

export type { ContentBlock, Message, Usage } from '../types.ts';
