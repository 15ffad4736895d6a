import type { KyInstance } from 'ky';
import { failures } from '#failures';
import { loadKy } from '#ky-loader';
import { InvalidArgumentError } from '../errors.ts';
import { sleep } from './backoff.ts';
import { readBodyText } from './body-stream.ts';
import type { Log } from './logger.ts';
import { throwRedacted } from './redaction.ts';

/**
 * Where time comes from. Injected so that tests (and the emulator's manual
 * clock) decide how long a wait takes.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now` and `setTimeout`. */
export const systemClock: Clock = { now: () => Date.now(), sleep };

/** Options every call accepts. */
export interface RequestOptions {
  /** Aborts the call, including a backoff wait between retries. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms until the response headers arrive. */
  timeout?: number | undefined;
  /** How many times a failed attempt is retried. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
  /**
   * Extra options for this call's `fetch`, merged over the client's `fetchOptions`
   * (for example an undici `dispatcher` in Node). See {@link FetchOptions}.
   */
  fetchOptions?: FetchOptions | undefined;
}

/**
 * Extra options merged into every `fetch` call, as the official client's `fetchOptions`:
 * for example `{ dispatcher: new ProxyAgent(url) }` (undici, Node) or `{ cache: 'no-store' }`.
 *
 * Hint: what msgbatch itself sets (`method`, `headers`, `body`, `signal`) cannot be
 * given here; use `headers`/`defaultHeaders` and `signal` instead. A reserved key is
 * an `InvalidArgumentError` before anything is sent.
 */
export type FetchOptions = Omit<RequestInit, 'method' | 'headers' | 'body' | 'signal'> & {
  [option: string]: unknown;
};

/** Keys of a fetch call msgbatch sets itself, or that ky would read as its own options. */
const RESERVED_FETCH_OPTIONS = new Set(
  // `redirect`: never followed, whatever the caller asks; a redirect would take the credential along.
  'method headers body signal json parseJson stringifyJson searchParams prefixUrl retry timeout hooks throwHttpErrors onDownloadProgress onUploadProgress fetch context redirect'.split(
    ' ',
  ),
);

/**
 * Checks `fetchOptions` for keys msgbatch sets itself.
 *
 * @param name - the option's name in the error (`fetchOptions`)
 * @param value - the options to check
 * @returns the options, unchanged
 * @throws `InvalidArgumentError` when a key is reserved or the value is not an object
 */
export function checkFetchOptions(
  name: string,
  value: FetchOptions | undefined,
): FetchOptions | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(name, 'must be an object of fetch options');
  }
  for (const key of Object.keys(value)) {
    if (RESERVED_FETCH_OPTIONS.has(key)) {
      throw new InvalidArgumentError(
        `${name}.${key}`,
        'is set by msgbatch itself; use headers/defaultHeaders, signal and timeout instead',
      );
    }
  }
  return value;
}

/** What fetch refuses in a header value: NUL, CR, LF, and anything past U+00FF. */
const UNSENDABLE = /[\0\n\r\u0100-\uffff]/;

/** A request as data: what the operation builders return. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the base URL, starting with `/v1/`; ids already encoded. */
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  /**
   * A JSON body: already serialized, or streamed ({@link StreamedBody}: a job's chunk, sent
   * without being held whole in memory).
   */
  body?: string | StreamedBody | undefined;
  /** False for create: it is retried only when the server provably did not act. */
  idempotent: boolean;
  /** Sent as `accept`. */
  accept?: string | undefined;
}

/**
 * A request body sent as a stream. `stream` is a factory: a retry after a 429/529 (the only
 * retry a create gets) sends a fresh stream. The transport hands it to `fetch` itself, past
 * ky, whose clone of every Request would tee the stream and buffer it whole.
 */
export interface StreamedBody {
  /** A new stream of the body's bytes, called once per attempt. */
  stream: () => ReadableStream<Uint8Array>;
  /** The body's size in bytes. */
  bytes: number;
}

/** What the runtime package hands to core: where requests go and how they are authorized. */
export interface TransportConfig {
  baseURL: string;
  /** The fetch to use; defaults to the global one, bound. */
  fetch?: typeof fetch | undefined;
  /** Extra options merged into every fetch call (checked by `checkFetchOptions`). */
  fetchOptions?: FetchOptions | undefined;
  /** Headers sent on every request: auth, version, defaults. Called per attempt (tokens may rotate). */
  headers: () => Record<string, string> | Promise<Record<string, string>>;
  timeout: number;
  idleTimeout: number;
  maxRetries: number;
  log: Log;
  redact: (text: string) => string;
  /**
   * Awaited before a request's first log line, when set: `transportFromOptions` sets it when
   * requests are logged, so that what `redact` needs has loaded.
   */
  ready?: (() => Promise<unknown>) | undefined;
  /** Called once after a 401; resolve true to retry the request once with fresh headers. */
  onUnauthorized?: (() => Promise<boolean>) | undefined;
  /** Randomness of the backoff jitter (tests pin it). */
  random?: (() => number) | undefined;
  /** Time source for backoff and polling waits. */
  clock: Clock;
}

/** A successful answer, with its request id. */
export interface TransportResponse {
  response: Response;
  requestID: string | null;
  /** The caller's signal, for readers of a streamed body. */
  signal: AbortSignal | undefined;
  /** The whole body as text; a connection lost mid-body is an `APIConnectionError`. */
  text(): Promise<string>;
}

/** The one module that performs I/O. */
export interface Transport {
  readonly config: TransportConfig;
  request(spec: RequestSpec, options?: RequestOptions): Promise<TransportResponse>;
}

/** Builds the transport over the injected fetch. */
export function createTransport(config: TransportConfig): Transport {
  const fetchFn = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // ky makes one attempt (retry: 0); retries, error mapping and body reading are ours.
  let client: KyInstance | undefined;
  const base = config.baseURL.replace(/\/+$/, '');

  // Headers are built before the fetch and outside its error handling: a failing
  // credential source (a browser's getToken()) is not a connection error to retry.
  async function headersFor(spec: RequestSpec, options: RequestOptions | undefined) {
    const headers: Record<string, string> = {
      accept: spec.accept ?? 'application/json',
      ...(await config.headers()),
      ...options?.headers,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    for (const [name, value] of Object.entries(headers)) {
      // Checked here: fetch's own error would quote the value, which may be a credential.
      if (typeof value === 'string' && UNSENDABLE.test(value)) {
        throw (await failures()).unsendableHeader(name);
      }
    }
    return headers;
  }

  async function attempt(
    spec: RequestSpec,
    url: string,
    headers: Record<string, string>,
    options: RequestOptions | undefined,
  ) {
    // A streamed body goes around ky (which clones each Request, teeing its body): ky gets
    // none and forwards `stream`, an option it does not know, to this fetch. Its Request has
    // redirect mode "error": Node's fetch clones (tees) the body of any other request before
    // sending it (fetch spec, HTTP-network-or-cache fetch), and the branch never read would
    // hold the whole body. A 3xx then fails as a network error, never followed either.
    client ??= (await loadKy()).create({
      retry: 0,
      throwHttpErrors: false,
      // ky always passes its unknown options (an object) as the second argument.
      fetch: (input, { stream, ...init }: any) =>
        fetchFn(
          stream
            ? new Request(input, {
                body: stream.stream(),
                duplex: 'half',
                redirect: 'error',
              } as RequestInit)
            : input,
          init,
        ),
    });
    const { body } = spec;
    // Only the keys that are set (no `body`, `signal` as undefined): ky merges its options
    // by copying the object once per key.
    return client(url, {
      ...config.fetchOptions,
      ...options?.fetchOptions,
      method: spec.method,
      headers,
      ...(body === undefined
        ? {}
        : (body as StreamedBody).stream
          ? { stream: body }
          : { body: body as string }),
      ...(options?.signal && { signal: options.signal }),
      timeout: options?.timeout ?? config.timeout,
      // A redirect would carry x-api-key (fetch drops only Authorization across origins)
      // and, on 307/308, a create's body to wherever it points: never follow one.
      redirect: 'manual',
    });
  }

  // Every error leaves through here: the credential is removed from it and its causes.
  async function request(spec: RequestSpec, options?: RequestOptions): Promise<TransportResponse> {
    try {
      return await send(spec, options);
    } catch (error) {
      return clean(error);
    }
  }

  const clean = (error: unknown) => throwRedacted(error, config.redact);

  async function send(spec: RequestSpec, options?: RequestOptions): Promise<TransportResponse> {
    const url = buildURL(base, spec);
    checkFetchOptions('fetchOptions', options?.fetchOptions);
    const signal = options?.signal;
    const what = `${spec.method} ${spec.path}`;
    const read = (response: Response, requestID: string | null, withSignal?: AbortSignal) =>
      readBodyText(response, { idleTimeoutMs: config.idleTimeout, requestID, signal: withSignal });
    const auth = { refreshed: false };
    await config.ready?.();
    for (let retry = 0; ; retry++) {
      config.log('debug', `${what} (attempt ${retry + 1})`);
      const headers = await headersFor(spec, options);
      let response: Response | undefined;
      let error: unknown;
      try {
        response = await attempt(spec, url, headers, options);
      } catch (rejected) {
        error = rejected;
      }
      if (response?.ok) {
        const requestID = response.headers.get('request-id');
        config.log('debug', `${what} → ${response.status} ${requestID ?? ''}`);
        return {
          response,
          requestID,
          signal,
          text: () => read(response, requestID, signal).catch(clean),
        };
      }
      // A rejected fetch, a redirect or an error status: the failure module throws its typed
      // error, or waits before the next attempt (true: a 401 refreshed the credential, an
      // attempt that does not count).
      const again = await (await failures()).afterFailure(
        config,
        spec,
        url,
        options,
        retry,
        response,
        error,
        auth,
        read,
      );
      if (again) retry--;
    }
  }

  return { config, request };
}

function buildURL(base: string, spec: RequestSpec): string {
  // Most requests have no query: no URLSearchParams for them.
  const query =
    spec.query &&
    new URLSearchParams(
      Object.entries(spec.query).flatMap(([key, value]) =>
        value === undefined ? [] : [[key, String(value)]],
      ),
    ).toString();
  return base + spec.path + (query ? `?${query}` : '');
}
