import * as v from 'valibot';

/** Most requests one batch may hold. */
export const MAX_REQUESTS_PER_BATCH = 100_000;
/** Largest create body the API accepts, in bytes (256 MB). */
export const MAX_CREATE_BODY_BYTES = 256 * 1024 * 1024;
/** The API's own rule for `custom_id`. */
export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** One message of the conversation sent to the model. */
export const MessageParamSchema = v.looseObject({
  role: v.picklist(['user', 'assistant']),
  content: v.union([v.string(), v.array(v.looseObject({ type: v.string() }))]),
});

/**
 * The Messages `create` body of one batch request, as the Messages API requires it.
 * Create does **not** check it (see {@link BatchRequestSchema}): the API accepts a batch
 * whose `params` lack `messages` and reports the problem as that request's `errored`
 * line. Use it to check params yourself.
 */
export const BatchRequestParamsSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1, 'model must be a non-empty string')),
  max_tokens: v.pipe(v.number(), v.integer('max_tokens must be an integer')),
  messages: v.array(MessageParamSchema),
});

/**
 * What create checks of `params`: a JSON object. Its fields pass through untouched
 * (unknown ones too: `inference_geo`, `output_config`, tools with `strict`, …), because the
 * API judges them per request and reports a problem as an `errored` line, never as a
 * create refusal.
 */
const ParamsObjectSchema = v.custom<BatchRequestParams>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
  'params must be an object of Messages parameters',
);

/**
 * One request of a batch: exactly `custom_id` and `params`. Checked before sending, as the
 * API refuses them at create: the `custom_id` rule, and `params` being an object.
 */
export const BatchRequestSchema = v.strictObject({
  custom_id: v.pipe(
    v.string('custom_id must be a string'),
    v.regex(
      CUSTOM_ID_PATTERN,
      'custom_id must be 1-64 characters of letters, digits, "_" or "-" (^[a-zA-Z0-9_-]{1,64}$)',
    ),
  ),
  params: ParamsObjectSchema,
});

/**
 * The body of create, checked before sending exactly as far as the API refuses at create:
 * only `requests`, 1 to 100,000 of them, unique `custom_id`s (and, in `buildCreateBatch`,
 * at most 256 MB as JSON). Everything inside `params` is reported per request.
 */
export const BatchCreateParamsSchema = v.strictObject({
  requests: v.pipe(
    v.array(BatchRequestSchema),
    v.minLength(1, 'requests must hold at least 1 request'),
    v.maxLength(
      MAX_REQUESTS_PER_BATCH,
      `requests must hold at most ${MAX_REQUESTS_PER_BATCH} requests; split them into several batches`,
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const seen = new Set<string>();
      dataset.value.forEach((request, index) => {
        if (seen.has(request.custom_id)) {
          addIssue({
            message: `custom_id "${request.custom_id}" is used twice; custom_ids must be unique within a batch`,
            path: [
              {
                type: 'array',
                origin: 'value',
                input: dataset.value,
                key: index,
                value: request,
              },
            ],
          });
        }
        seen.add(request.custom_id);
      });
    }),
  ),
});

export type { BatchCreateParams, MessageParam } from '../types.ts';
/** The Messages parameters of one batch request. */
export type BatchRequestParams = import('../types.ts').MessageCreateParamsNonStreaming;
/** One request of a batch. */
export type BatchRequest = import('../types.ts').BatchCreateParams.Request;
