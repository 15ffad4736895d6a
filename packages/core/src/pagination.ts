/** Cursor query of a list call. */
export interface CursorQuery {
  /** Items per page, 1 to 1000 (API default 20). */
  limit?: number | undefined;
  /** Page toward newer items: the page just before this id. */
  before_id?: string | undefined;
  /** Page toward older items: the page just after this id. */
  after_id?: string | undefined;
}

/** One page as the API returns it. */
export interface CursorPageBody<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * One page of a list, which is also an async iterable over every item of this
 * page and all that follow: `for await (const batch of page)` fetches further
 * pages as it goes, following `last_id` (or `first_id` when paging with `before_id`).
 */
export class CursorPage<T> implements AsyncIterable<T> {
  /** The items of this page, in list order (newest first). */
  readonly data: T[];
  /** Whether more items exist in the direction being paged. */
  readonly has_more: boolean;
  /** Id of `data[0]`, or null for an empty page. */
  readonly first_id: string | null;
  /** Id of the last item, or null for an empty page. */
  readonly last_id: string | null;
  readonly #query: CursorQuery;
  readonly #fetchPage: (query: CursorQuery) => Promise<CursorPage<T>>;

  constructor(
    body: CursorPageBody<T>,
    query: CursorQuery,
    fetchPage: (query: CursorQuery) => Promise<CursorPage<T>>,
  ) {
    this.data = body.data;
    this.has_more = body.has_more;
    this.first_id = body.first_id;
    this.last_id = body.last_id;
    this.#query = query;
    this.#fetchPage = fetchPage;
  }

  /** True when another page follows (`has_more` and this page is not empty). */
  hasNextPage(): boolean {
    return this.has_more && this.data.length > 0;
  }

  /** The query of the next page, or null at the end. */
  nextPageQuery(): CursorQuery | null {
    if (!this.hasNextPage()) return null;
    const { before_id: _b, after_id: _a, ...rest } = this.#query;
    return this.#query.before_id !== undefined
      ? { ...rest, before_id: this.first_id ?? undefined }
      : { ...rest, after_id: this.last_id ?? undefined };
  }

  /** Fetches the next page; throws when there is none (check `hasNextPage()` first). */
  getNextPage(): Promise<CursorPage<T>> {
    const next = this.nextPageQuery();
    if (!next) return Promise.reject(new Error('No next page; check hasNextPage() first.'));
    return this.#fetchPage(next);
  }

  /** Every page from this one on. */
  async *iterPages(): AsyncGenerator<CursorPage<T>> {
    let page: CursorPage<T> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}
