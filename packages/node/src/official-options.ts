/**
 * The official client's newer options (its releases up to 1.17), turned into what the
 * client already takes: an `apiKey` function and a `credentials` provider become an
 * `auth` provider, `middleware` and `defaultQuery` wrap `fetch`. `@msgbatch/node` applies
 * it; the page clients do not include it.
 */
import {
  type AuthProvider,
  type ClientOptions,
  CredentialsError,
  createLog,
  createRedactor,
  InvalidArgumentError,
  type Logger,
  MsgbatchError,
} from '@msgbatch/core';

/** Returns the API key for a request; called per attempt, so a rotated key is picked up. */
export type ApiKeySetter = () => Promise<string>;

/** An access token and when it expires (Unix seconds; null: it does not). */
export interface AccessToken {
  token: string;
  expiresAt: number | null;
}

/**
 * Mints or returns an access token. `forceRefresh` is set after a 401: fetch a fresh one.
 */
export type AccessTokenProvider = (opts?: { forceRefresh?: boolean }) => Promise<AccessToken>;

/** One attempt's request as middleware sees it: `RequestInit` with the full URL and `Headers`. */
export type APIRequest = RequestInit & { url: string; headers: Headers };

/** Sends the request on: to the next middleware, or to `fetch`. */
export type MiddlewareNext = (request: APIRequest) => Promise<Response>;

/** What middleware gets besides the request. */
export interface MiddlewareContext {
  /** The client's logger, filtered by its `logLevel`; credentials are redacted from every line. */
  readonly logger: Logger;
  /** Parses a JSON response body (of a clone: the body stays readable). */
  parse<T = unknown>(response: Response): Promise<T>;
}

/**
 * Runs around every attempt's `fetch` (retries included): inspect or change the request,
 * call `next`, inspect or replace the response.
 *
 * @example
 * const timing: Middleware = async (request, next, ctx) => {
 *   const response = await next(request);
 *   ctx.logger.info(`${request.method} ${request.url} → ${response.status}`);
 *   return response;
 * };
 */
export type Middleware = (
  request: APIRequest,
  next: MiddlewareNext,
  ctx: MiddlewareContext,
) => Promise<Response>;

/** The client options, with the official client's newer ones. */
export interface OfficialClientOptions extends Omit<ClientOptions, 'apiKey'> {
  /** The API key, or a function that returns it (called per attempt; for rotation). Sent as `x-api-key`. */
  apiKey?: string | ApiKeySetter | null | undefined;
  /**
   * An access-token provider: its token is sent as `Authorization: Bearer`, cached until
   * 30 s before `expiresAt`, and fetched anew (`forceRefresh: true`) once after a 401.
   */
  credentials?: AccessTokenProvider | null | undefined;
  /** Functions run around every attempt's `fetch`, in order. */
  middleware?: readonly Middleware[] | undefined;
  /** Query parameters added to every request. */
  defaultQuery?: Record<string, string | undefined> | undefined;
}

/** Seconds before `expiresAt` at which a cached token is no longer used. */
const REFRESH_MARGIN_SECONDS = 30;

const describe = (value: unknown) =>
  value === '' ? 'an empty string' : value === null ? 'null' : typeof value;

/** An auth provider over an `apiKey` function. The keys it returned are redacted. */
function apiKeyAuth(getKey: ApiKeySetter): AuthProvider {
  const seen: string[] = [];
  return {
    async headers() {
      let key: unknown;
      try {
        key = await getKey();
      } catch (error) {
        const reason = error instanceof Error ? createRedactor(seen)(error.message) : 'failed';
        throw new CredentialsError(`The apiKey function failed: ${reason}`, { cause: error });
      }
      if (typeof key !== 'string' || key === '') {
        throw new CredentialsError(
          `The apiKey function must return a non-empty string; it returned ${describe(key)}.`,
        );
      }
      if (!seen.includes(key)) seen.push(key);
      if (seen.length > 4) seen.shift();
      return { 'x-api-key': key };
    },
    // A 401 may mean the key was rotated: the next attempt calls the function again.
    onUnauthorized: async () => true,
    secrets: () => seen,
  };
}

/** An auth provider over an access-token provider, with its cache. */
function credentialsAuth(provider: AccessTokenProvider, now: () => number): AuthProvider {
  let cached: AccessToken | null = null;
  let pending: Promise<AccessToken> | null = null;
  let force = false;
  const seen: string[] = [];
  const fetchToken = async (forceRefresh: boolean): Promise<AccessToken> => {
    let token: AccessToken;
    try {
      token = await provider(forceRefresh ? { forceRefresh: true } : undefined);
    } catch (error) {
      const reason = error instanceof Error ? createRedactor(seen)(error.message) : 'failed';
      throw new CredentialsError(`The credentials provider failed: ${reason}`, { cause: error });
    }
    if (typeof token?.token !== 'string' || token.token === '') {
      throw new CredentialsError(
        `The credentials provider must return { token, expiresAt } with a non-empty token; the token was ${describe(token?.token)}.`,
      );
    }
    if (!seen.includes(token.token)) seen.push(token.token);
    if (seen.length > 4) seen.shift();
    return token;
  };
  const fresh = (token: AccessToken | null) =>
    token !== null &&
    (token.expiresAt === null || token.expiresAt - REFRESH_MARGIN_SECONDS > now() / 1000);
  return {
    async headers() {
      if (force || !fresh(cached)) {
        const forceRefresh = force;
        force = false;
        // Concurrent requests share one refresh.
        pending ??= fetchToken(forceRefresh).finally(() => {
          pending = null;
        });
        cached = await pending;
      }
      return { authorization: `Bearer ${cached!.token}` };
    },
    async onUnauthorized() {
      force = true;
      cached = null;
      return true;
    },
    secrets: () => seen,
  };
}

/** A `fetch` that adds `defaultQuery` and runs `middleware` around the one given. */
function wrapFetch(
  options: OfficialClientOptions,
  redactSecrets: () => readonly string[],
): typeof fetch | undefined {
  const { middleware = [], defaultQuery } = options;
  const query = Object.entries(defaultQuery ?? {}).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  if (middleware.length === 0 && query.length === 0) return options.fetch;
  const base: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const log = createLog(options.logger ?? console, options.logLevel ?? 'warn', (text) =>
    createRedactor(redactSecrets())(text),
  );
  const ctx: MiddlewareContext = {
    logger: {
      debug: (message) => log('debug', message),
      info: (message) => log('info', message),
      warn: (message) => log('warn', message),
      error: (message) => log('error', message),
    },
    parse: async <T>(response: Response) => (await response.clone().json()) as T,
  };
  const send = (index: number): MiddlewareNext => {
    const layer = middleware[index];
    if (!layer) return ({ url, ...init }) => base(url, init);
    return (request) => layer(request, send(index + 1), ctx);
  };
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = await toAPIRequest(input, init);
    if (query.length > 0) {
      const url = new URL(request.url);
      for (const [name, value] of query) {
        if (!url.searchParams.has(name)) url.searchParams.set(name, value);
      }
      request.url = url.href;
    }
    const response = await send(0)(request);
    if (response.bodyUsed || response.body?.locked) {
      throw new MsgbatchError(
        'A middleware consumed the response body: use response.clone() to read it, or return new Response(body, response).',
      );
    }
    return response;
  }) as typeof fetch;
}

async function toAPIRequest(input: RequestInfo | URL, init?: RequestInit): Promise<APIRequest> {
  if (input instanceof Request) {
    return {
      ...init,
      url: input.url,
      method: input.method,
      headers: new Headers(input.headers),
      // The body as bytes, so that middleware may read it and `next` may send it again.
      body: input.body ? await input.arrayBuffer() : null,
      signal: input.signal,
    };
  }
  return {
    ...init,
    url: input instanceof URL ? input.href : input,
    headers: new Headers(init?.headers),
  };
}

/**
 * Turns the official client's newer options into core's: `apiKey` as a function and
 * `credentials` into `auth`, `middleware` and `defaultQuery` into a wrapped `fetch`.
 * Options it does not know pass through as they are.
 *
 * @param options - the client's options, as the official client takes them
 * @returns options for `MsgbatchClient`
 */
export function officialClientOptions(options: OfficialClientOptions): ClientOptions {
  const { apiKey, credentials, middleware: _m, defaultQuery: _q, ...rest } = options;
  if (credentials != null && (apiKey != null || rest.authToken != null)) {
    throw new InvalidArgumentError(
      'credentials',
      'give credentials, apiKey or authToken, not several (as the official client)',
    );
  }
  let auth = rest.auth;
  if (typeof apiKey === 'function') auth = apiKeyAuth(apiKey);
  else if (typeof credentials === 'function') {
    auth = credentialsAuth(credentials, () => (options.clock ?? Date).now());
  }
  const fixedSecrets = [typeof apiKey === 'string' ? apiKey : null, rest.authToken].filter(
    (s): s is string => typeof s === 'string',
  );
  const fetch = wrapFetch(options, () => [...fixedSecrets, ...(auth?.secrets?.() ?? [])]);
  return {
    ...rest,
    apiKey: typeof apiKey === 'function' ? undefined : apiKey,
    auth,
    fetch,
  };
}
