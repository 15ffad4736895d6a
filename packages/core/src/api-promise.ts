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

  /** The parsed value and the raw `Response` (its body already read, except for results). */
  withResponse(): Promise<WithResponse<T>> {
    return this.#inner;
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
    return this.#inner.then((r) => r.data as WithRequestID<T>).then(onfulfilled, onrejected);
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
