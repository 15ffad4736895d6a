export { type CancelAndWaitResult, cancelAndWait } from './cancel-and-wait.ts';
export {
  type CancelManyFilter,
  type CancelManyOptions,
  type CancelOutcome,
  cancelMany,
} from './cancel-many.ts';
export {
  type CountMismatch,
  isAlreadyEndedError,
  ResultsMismatchError,
} from './shared.ts';
export {
  canceledRequests,
  compareCounts,
  type PerResultType,
  type ResultsSummary,
  type SummarizeResultsOptions,
  summarizeResults,
  totalRequests,
} from './summarize-results.ts';
export { type WaitForEndOptions, waitForEnd } from './wait-for-end.ts';
