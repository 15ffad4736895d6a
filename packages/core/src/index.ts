export { APIPromise, type WithResponse, type WithResponseAndIDs } from './api-promise.ts';
export {
  type AuthProvider,
  Batches,
  type ClientOptions,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  MsgbatchClient,
  transportFromOptions,
} from './client.ts';
export * from './error-classes.ts';
export * from './errors.ts';
export * from './errors-later.ts';
export * from './jobs/index.ts';
export {
  batchResults,
  buildBatchResults,
  type ResultsOptions,
} from './operations/batch-results.ts';
export { buildCancelBatch, cancelBatch } from './operations/cancel-batch.ts';
export { buildCreateBatch, createBatch } from './operations/create-batch.ts';
export { buildDeleteBatch, deleteBatch } from './operations/delete-batch.ts';
export { buildListBatches, type ListBatchesQuery, listBatches } from './operations/list-batches.ts';
export { withParamHeaders } from './operations/param-headers.ts';
export { buildRetrieveBatch, retrieveBatch } from './operations/retrieve-batch.ts';
export { attachRequestID, batchIdSegment, type WithRequestID } from './operations/shared.ts';
export { PagePromise } from './page-promise.ts';
export { CursorPage, type CursorPageBody, type CursorQuery } from './pagination.ts';
export { exceedsDeclaredLength, readBodyLimited } from './read-body-limited.ts';
export { BatchResults } from './results/batch-results.ts';
export {
  type DecodeJSONLOptions,
  decodeJSONL,
  peekCustomIdAndType,
  type SplitLinesOptions,
  splitLines,
} from './results/jsonl.ts';
export { DEFAULT_MAX_LINE_BYTES } from './results/jsonl-lines.ts';
export { ResultsPromise } from './results/results-promise.ts';
export * from './schemas/index.ts';
export { createLog, type Log, type Logger, type LogLevel } from './transport/logger.ts';
export { createRedactor, type Redactor } from './transport/redact.ts';
export {
  backoffDelay,
  isRetryableStatus,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from './transport/retry.ts';
export {
  type Clock,
  createTransport,
  type FetchOptions,
  type RequestOptions,
  type RequestSpec,
  type StreamedBody,
  systemClock,
  type Transport,
  type TransportConfig,
  type TransportResponse,
} from './transport/transport.ts';
export type * from './types.ts';
export * from './workflows/index.ts';
