import * as v from 'valibot';
import type { WithResponse } from '../api-promise.ts';
import { InvalidArgumentError } from '../errors.ts';
import { PagePromise } from '../page-promise.ts';
import { CursorPage, type CursorQuery } from '../pagination.ts';
import {
  type MessageBatch,
  type MessageBatchPage,
  MessageBatchPageSchema,
} from '../schemas/message-batch.ts';
import { messageBatchIssues } from '../schemas/message-batch-check.ts';
import type { RequestOptions, RequestSpec, Transport } from '../transport/transport.ts';
import { parseArgument, schemaIssues } from '../validate.ts';
import { attachRequestID, sendJSON } from './shared.ts';

const pageIssues = schemaIssues(MessageBatchPageSchema);
/** The page's issues; on a valid page, each batch's absent nullable fields are set to null. */
const checkPage = (value: unknown) => {
  const issues = pageIssues(value);
  if (issues.length === 0)
    for (const batch of (value as MessageBatchPage).data) messageBatchIssues(batch);
  return issues;
};

/** Query of the list operation. */
export type ListBatchesQuery = CursorQuery;

const CursorId = v.optional(v.pipe(v.string(), v.minLength(1, 'must be a non-empty batch id')));
const ListQuerySchema = v.object({
  limit: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be an integer'),
      v.minValue(1, 'must be between 1 and 1000'),
      v.maxValue(1000, 'must be between 1 and 1000'),
    ),
  ),
  before_id: CursorId,
  after_id: CursorId,
});

/** The request for one page: `GET /v1/messages/batches?limit=&before_id=&after_id=`. */
export function buildListBatches(query: ListBatchesQuery = {}): RequestSpec {
  parseArgument(ListQuerySchema, query, 'query');
  if (query.before_id !== undefined && query.after_id !== undefined) {
    throw new InvalidArgumentError('query', 'give before_id or after_id, not both');
  }
  return { method: 'GET', path: '/v1/messages/batches', query: { ...query }, idempotent: true };
}

/**
 * Lists batches, newest first. Await it for one page, or iterate it with
 * `for await` to walk every batch; further pages are fetched as the loop goes.
 *
 * @param transport - from `createTransport`, or `client.transport`
 * @param query - `limit` (1-1000), `before_id` or `after_id`
 * @param options - signal, timeout, maxRetries, headers (used for every page)
 * @returns a page that is also an async iterable over all batches
 * @example
 * for await (const batch of listBatches(transport, { limit: 100 })) console.log(batch.id);
 */
export function listBatches(
  transport: Transport,
  query: ListBatchesQuery = {},
  options?: RequestOptions,
): PagePromise<MessageBatch> {
  const fetchPage = (q: CursorQuery): Promise<WithResponse<CursorPage<MessageBatch>>> =>
    sendJSON<MessageBatchPage>(
      transport,
      () => buildListBatches(q),
      checkPage,
      'list page',
      options,
    )
      .withResponse()
      .then(({ data, response }) => ({
        data: attachRequestID(
          new CursorPage<MessageBatch>(data, q, (next) => fetchPage(next).then((r) => r.data)),
          data._request_id ?? null,
        ),
        response,
      }));
  return new PagePromise(fetchPage(query));
}
