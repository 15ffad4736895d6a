/**
 * `@msgbatch/core/client`: the client class with the modules it loads up front (the
 * transport, cancel, retrieve, delete, the errors), and every type of the package.
 * Runtime packages whose users bundle for the web (`@msgbatch/browser`) build on this
 * entry instead of the main one: nothing it imports is also a target of the client's
 * `import()`s, so code-splitting bundlers keep create, list, results and the workflows
 * (and valibot, which only they use) out of the chunk a page loads first.
 *
 * The functional API and the schemas are in `@msgbatch/core`.
 *
 * @module
 */

export { APIPromise } from '../api-promise.ts';
export {
  Batches,
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  MsgbatchClient,
  transportFromOptions,
} from '../client.ts';
export * from '../errors.ts';
export * from '../errors-later.ts';
export type * from '../index.ts';
export { buildCancelBatch, cancelBatch } from '../operations/cancel-batch.ts';
export { buildDeleteBatch, deleteBatch } from '../operations/delete-batch.ts';
export { buildRetrieveBatch, retrieveBatch } from '../operations/retrieve-batch.ts';
export { parseRetryAfter } from '../transport/retry-after.ts';
export { createTransport, systemClock } from '../transport/transport.ts';
