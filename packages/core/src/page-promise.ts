import { APIPromise } from './api-promise.ts';
import type { CursorPage } from './pagination.ts';

// Apart from CursorPage: the client returns a PagePromise at once, while the pages (and
// the list code) load with the first list() call.

/** What `list()` returns: await it for the first page, or `for await` it for every item. */
export class PagePromise<T> extends APIPromise<CursorPage<T>> implements AsyncIterable<T> {
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    yield* await this;
  }
}
