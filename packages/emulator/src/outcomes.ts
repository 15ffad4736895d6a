import { newMessageId } from './ids.ts';
import { createRandom } from './random.ts';

/** One request of a batch as the emulator stores it. */
export interface EmulatedRequest {
  /** The request's `custom_id`. */
  custom_id: string;
  /** The Messages parameters, exactly as sent. */
  params: Record<string, unknown>;
}

/**
 * What happens to a request once it is processed.
 * - `succeeded`: a realistic `Message`; `text` replaces the reply text and `message`
 *   fields override the generated ones (e.g. `{ stop_reason: 'max_tokens' }`).
 * - `errored`: the documented errored line; `error` defaults to an `api_error`,
 *   `requestId` (default `null`) is the envelope's `request_id`.
 */
export type OutcomeDecision =
  | { type: 'succeeded'; text?: string; message?: Record<string, unknown> }
  | { type: 'errored'; error?: { type: string; message: string }; requestId?: string | null };

/**
 * Decides a request's outcome from its content and index. Must be deterministic:
 * it is called once per request at create time.
 */
export type OutcomeFunction = (
  request: EmulatedRequest,
  index: number,
) => OutcomeDecision | undefined;

const SUCCEEDED: OutcomeDecision = Object.freeze({ type: 'succeeded' });

const invalid = (message: string): OutcomeDecision => ({
  type: 'errored',
  error: { type: 'invalid_request_error', message },
});

/**
 * The default rule: a request succeeds unless its params break a batch rule —
 * missing `model` / `messages` / `max_tokens`, `max_tokens` below 1, `stream: true`
 * (`invalid_request_error`), or a model whose name does not start with `claude-`
 * (`not_found_error`, message `model: <name>`), as the real API reports them.
 */
export function defaultOutcome(request: EmulatedRequest): OutcomeDecision {
  const { params } = request;
  if (params.model === undefined) return invalid('model: Field required');
  if (params.messages === undefined) return invalid('messages: Field required');
  if (params.max_tokens === undefined) return invalid('max_tokens: Field required');
  if (!Number.isInteger(params.max_tokens)) {
    return invalid('max_tokens: Input should be a valid integer');
  }
  if ((params.max_tokens as number) < 1) {
    return invalid('max_tokens: must be greater than or equal to 1');
  }
  if (params.stream === true) {
    return invalid('"stream=True" is not supported in the Message Batches API');
  }
  if (typeof params.model !== 'string' || !params.model.startsWith('claude-')) {
    return {
      type: 'errored',
      error: { type: 'not_found_error', message: `model: ${String(params.model)}` },
    };
  }
  return SUCCEEDED;
}

/** Decides every request of a new batch (custom function first, then the default rule). */
export function decideAll(
  requests: readonly EmulatedRequest[],
  custom: OutcomeFunction | undefined,
): OutcomeDecision[] {
  return requests.map((request, index) => custom?.(request, index) ?? defaultOutcome(request));
}

/** Where a line's deterministic ids come from. */
export interface LineContext {
  seed: string;
  batchId: string;
  index: number;
}

/** Builds the `result` object of a processed request. */
export function processedResult(
  request: EmulatedRequest,
  decision: OutcomeDecision,
  context: LineContext,
): Record<string, unknown> {
  if (decision.type === 'errored') {
    const error = decision.error ?? { type: 'api_error', message: 'Internal server error' };
    return {
      type: 'errored',
      // A third-party note's shape (`details` first); no errored line is in the recordings.
      error: {
        type: 'error',
        error: { details: { error_visibility: 'user_facing' }, ...error },
        request_id: decision.requestId ?? null,
      },
    };
  }
  const random = createRandom(context.seed, context.batchId, context.index);
  const text = decision.text ?? `Emulated reply to ${request.custom_id}.`;
  const maxTokens = typeof request.params.max_tokens === 'number' ? request.params.max_tokens : 1;
  const promptSize = JSON.stringify(request.params.messages ?? '').length;
  // Keys in the order of the lines recorded in 2026: `model` before `id`, `stop_details`,
  // and `usage` with `cache_creation`, `service_tier` and `inference_geo`.
  const message = {
    model: request.params.model,
    id: newMessageId(random),
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    stop_details: null,
    usage: {
      input_tokens: Math.max(1, Math.ceil(promptSize / 4)),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: Math.max(1, Math.min(maxTokens, Math.ceil(text.length / 4))),
      service_tier: 'batch',
      inference_geo: 'not_available',
    },
    ...decision.message,
  };
  return { type: 'succeeded', message };
}
