import type { EmulatorClock } from './clock.ts';
import { RateLimiter } from './gates.ts';
import { newBatchId, newUuid } from './ids.ts';
import type { ResolvedOptions } from './options.ts';
import { decideAll, type EmulatedRequest } from './outcomes.ts';
import type { BatchRecord } from './processing.ts';
import { createRandom, type Random } from './random.ts';
import { BatchStore } from './store.ts';

/** Everything one emulator owns. Created per emulator: nothing is shared between two. */
export interface EmulatorState {
  readonly options: ResolvedOptions;
  readonly clock: EmulatorClock;
  readonly store: BatchStore;
  readonly limiter: RateLimiter | undefined;
  /** Seeded source of response `request-id`s. */
  requestIds: Random;
  /** Seeded source of batch ids and creation-time jitter. */
  batchIds: Random;
  lastCreatedUs: number;
  /** The one organization of this emulator (`anthropic-organization-id`, the 429 message). */
  readonly organizationId: string;
  /** Set while `listen` is serving. */
  listenURL: string | undefined;
}

/** Builds a fresh state. */
export function createState(options: ResolvedOptions, clock: EmulatorClock): EmulatorState {
  return {
    options,
    clock,
    store: new BatchStore(),
    limiter: options.requestsPerMinute ? new RateLimiter(options.requestsPerMinute) : undefined,
    requestIds: createRandom(options.seed, 'request-ids'),
    batchIds: createRandom(options.seed, 'batch-ids'),
    lastCreatedUs: 0,
    organizationId: newUuid(createRandom(options.seed, 'organization')),
    listenURL: undefined,
  };
}

/** Empties the store and restarts the seeded sequences, as if newly created. */
export function resetState(state: EmulatorState): void {
  state.store.clear();
  state.limiter?.reset();
  state.requestIds = createRandom(state.options.seed, 'request-ids');
  state.batchIds = createRandom(state.options.seed, 'batch-ids');
  state.lastCreatedUs = 0;
}

/** Emulator time in epoch microseconds. */
export const nowUs = (state: EmulatorState): number => state.clock.now() * 1000;

/** The origin put in `results_url`: the option, else the request's origin, else the listen URL. */
export function baseURL(state: EmulatorState, request?: Request): string {
  if (state.options.publicBaseURL) return state.options.publicBaseURL;
  if (request) return new URL(request.url).origin;
  return state.listenURL ?? 'http://localhost';
}

/**
 * Stores a new batch of `workspace`: fresh id (unique across workspaces), strictly increasing
 * `created_at` (µs), outcomes decided now.
 */
export function createBatch(
  state: EmulatorState,
  requests: EmulatedRequest[],
  workspace: string,
): BatchRecord {
  let id = state.options.batchId?.() ?? newBatchId(state.batchIds);
  while (state.store.get(id)) id = newBatchId(state.batchIds);
  // Real clocks get sub-millisecond digits like the API's; a manual clock stays exact so
  // `advance(ms)` lands precisely on processing boundaries.
  const jitter = state.clock.mode === 'real' ? state.batchIds.int(1000) : 0;
  const createdUs = Math.max(state.clock.now() * 1000 + jitter, state.lastCreatedUs + 1);
  state.lastCreatedUs = createdUs;
  const record: BatchRecord = {
    id,
    workspace,
    createdUs,
    requests,
    decisions: decideAll(requests, state.options.outcome),
    cancelUs: null,
  };
  state.store.add(record);
  return record;
}
