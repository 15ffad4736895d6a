/**
 * `@msgbatch/core/cancel`: the functional cancel and the transport it runs on, for a
 * page or an edge Worker that only cancels. It loads neither the client class nor
 * anything a bundler could not leave out.
 *
 * @example
 * import { cancelBatch, transportFromOptions } from '@msgbatch/core/cancel';
 * const transport = transportFromOptions({ apiKey: env.ANTHROPIC_API_KEY });
 * const batch = await cancelBatch(transport, 'msgbatch_…');
 *
 * @module
 */

export { APIPromise } from '../api-promise.ts';
export * from '../errors.ts';
export * from '../errors-later.ts';
export type * from '../index.ts';
export { buildCancelBatch, cancelBatch } from '../operations/cancel-batch.ts';
export {
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  transportFromOptions,
} from '../transport/from-options.ts';
export { createTransport, systemClock } from '../transport/transport.ts';
