import type { MessageBatch, MessageBatchIndividualResponse } from '@msgbatch/core';
import type { EmulatedRequest } from './outcomes.ts';
import { serializeBatch, statusAt, timelineOf } from './processing.ts';
import { resultLine } from './results.ts';
import { baseURL, type EmulatorState, nowUs } from './state.ts';

/** Read-only view of an emulator's server-side state, for assertions in tests. */
export interface StoreInspector {
  /** Number of batches (deleted ones excluded). */
  readonly size: number;
  /** Every batch as the API would return it now, newest first. */
  list(): MessageBatch[];
  /** One batch as the API would return it now. */
  get(id: string): MessageBatch | undefined;
  /** How many batches are in each processing status now. */
  counts(): { in_progress: number; canceling: number; ended: number };
  /** The requests a batch was created with, in order. */
  requests(id: string): readonly EmulatedRequest[] | undefined;
  /**
   * A batch's result lines in *request* order (the results endpoint shuffles them),
   * once it has ended; `undefined` for an unknown or unfinished batch.
   */
  results(id: string): MessageBatchIndividualResponse[] | undefined;
}

/** Builds the inspector over a state. */
export function createInspector(state: EmulatorState): StoreInspector {
  const show = (id: string) => {
    const record = state.store.get(id);
    return record && serializeBatch(record, nowUs(state), state.options, baseURL(state));
  };
  return {
    get size() {
      return state.store.size;
    },
    list: () => state.store.newestFirst().map((r) => show(r.id)!),
    get: show,
    counts() {
      const counts = { in_progress: 0, canceling: 0, ended: 0 };
      for (const record of state.store.newestFirst()) {
        counts[statusAt(record, nowUs(state), state.options)]++;
      }
      return counts;
    },
    requests: (id) => state.store.get(id)?.requests,
    results(id) {
      const record = state.store.get(id);
      if (!record || statusAt(record, nowUs(state), state.options) !== 'ended') return undefined;
      const timeline = timelineOf(record, state.options);
      return record.requests.map(
        (_, index) =>
          resultLine(
            record,
            index,
            timeline,
            state.options.seed,
          ) as unknown as MessageBatchIndividualResponse,
      );
    },
  };
}
