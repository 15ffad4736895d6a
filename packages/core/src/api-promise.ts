/**
 * A returned object, with the request id of the response it came from (non-enumerable,
 * so it stays out of JSON and spreads).
 */
export type WithRequestID<T> = T & { readonly _request_id?: string | null };

/** A value together with the HTTP response it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
}

/** What `withResponse()` resolves to: as the official SDK's, with the ids from the response headers. */
export interface WithResponseAndIDs<T> extends WithResponse<T> {
  /** The `request-id` header: give it to Anthropic when reporting a problem. */
  request_id: string | null;
  /** The `anthropic-workspace-id` header: the workspace the call acted in. */
  workspace_id: string | null;
}

/**
 * The promise every call returns: await it for the parsed value, or call
 * `withResponse()` for `{ data, response }` (headers, status) as the official SDK does.
 * The request is sent at once, whichever you choose.
 */
export class APIPromise<T> implements PromiseLike<WithRequestID<T>> {
  readonly #inner: Promise<WithResponse<T>>;

  constructor(inner: Promise<WithResponse<T>>) {
    this.#inner = inner;
  }

  /**
   * The parsed value, the raw `Response` (its body already read, except for results) and
   * the request and workspace ids it carried.
   */
  withResponse(): Promise<WithResponseAndIDs<T>> {
    return this.#inner.then(({ data, response }) => ({
      data,
      response,
      request_id: response.headers.get('request-id'),
      workspace_id: response.headers.get('anthropic-workspace-id'),
    }));
  }

  /** The raw `Response` alone. */
  asResponse(): Promise<Response> {
    return this.#inner.then((r) => r.response);
  }

  // biome-ignore lint/suspicious/noThenProperty: this object is a thenable on purpose, like a Promise.
  then<A = WithRequestID<T>, B = never>(
    onfulfilled?: ((value: WithRequestID<T>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    // One promise, not two: onfulfilled gets the data straight from the inner result.
    return this.#inner.then(
      // A callback that is not a function is ignored, as Promise.prototype.then ignores it.
      (r) =>
        typeof onfulfilled === 'function'
          ? onfulfilled(r.data as WithRequestID<T>)
          : (r.data as unknown as A),
      onrejected,
    );
  }

  catch<B = never>(
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<WithRequestID<T> | B> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<WithRequestID<T>> {
    return this.then().finally(onfinally);
  }

  get [Symbol.toStringTag]() {
    return 'APIPromise';
  }
}
