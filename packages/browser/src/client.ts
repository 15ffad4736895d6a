import { type ClientOptions, InvalidArgumentError, MsgbatchClient } from '@msgbatch/core/client';
import { createTokenAuth, type GetToken } from './token-auth.ts';

/** Options of the browser client: core's, with a token source instead of a key. */
export interface BrowserClientOptions extends Omit<ClientOptions, 'auth'> {
  /**
   * Returns a short-lived token minted by your backend (`mintBrowserToken`). With it,
   * `baseURL` is the URL of your proxy (`createBatchesProxy`), e.g. `https://app.example.com/api/batches-proxy`.
   */
  getToken?: GetToken | undefined;
  /** Seconds before `exp` at which a cached token is replaced. Default 30. */
  tokenRefreshMarginSeconds?: number | undefined;
  /**
   * Allows `apiKey` / `authToken` in a page, where anyone can read them. Only for
   * internal tools or a user's own key; sends `anthropic-dangerous-direct-browser-access: true`.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

const TOKEN_PATH =
  'Mint a short-lived token on your backend (mintBrowserToken), serve the calls through ' +
  'createBatchesProxy (both in @msgbatch/node), and pass { baseURL: <proxy URL>, getToken }.';

/** Checks the options and turns `getToken` into core's `auth` provider. */
export function browserClientOptions(options: BrowserClientOptions): ClientOptions {
  const { getToken, tokenRefreshMarginSeconds, dangerouslyAllowBrowser, ...rest } = options;
  const key = rest.apiKey ? 'apiKey' : rest.authToken ? 'authToken' : null;
  if (key && getToken) {
    throw new InvalidArgumentError(key, `pass either getToken or ${key}, not both`);
  }
  if (key) {
    if (dangerouslyAllowBrowser !== true) {
      throw new InvalidArgumentError(
        key,
        `refusing a raw ${key}: in a web page or Web Worker anyone can read it (on a server, ` +
          `use @msgbatch/node). ${TOKEN_PATH} To accept the risk (internal tool, user's own ` +
          'key), pass dangerouslyAllowBrowser: true.',
      );
    }
    return {
      ...rest,
      dangerouslyAllowBrowser,
      defaultHeaders: {
        ...rest.defaultHeaders,
        'anthropic-dangerous-direct-browser-access': 'true',
      },
    } as ClientOptions;
  }
  if (typeof getToken !== 'function') {
    // withOptions() passes the options back in with the provider already made.
    if ((options as ClientOptions).auth) return options as ClientOptions;
    throw new InvalidArgumentError('getToken', `a page needs a token source. ${TOKEN_PATH}`);
  }
  if (!rest.baseURL) {
    throw new InvalidArgumentError(
      'baseURL',
      'with getToken, baseURL must be the URL of your proxy (createBatchesProxy), not the API',
    );
  }
  const auth = createTokenAuth(getToken, { refreshMarginSeconds: tokenRefreshMarginSeconds });
  return { ...rest, auth };
}

/**
 * The Message Batches client for web pages and Web Workers. Same surface as
 * `@msgbatch/node` (`client.messages.batches.*`, workflows included), but it
 * talks to your backend's proxy with a short-lived token instead of the API key:
 * the token is cached until shortly before it expires, fetched anew once after a
 * 401, and the request retried once. Results stream through `ReadableStream`.
 *
 * @example
 * const client = new BrowserClient({
 *   baseURL: `${location.origin}/api/batches-proxy`,
 *   getToken: async () => (await fetch('/api/batches-token', { method: 'POST' })).text(),
 * });
 * const batch = await client.messages.batches.cancel('msgbatch_…');
 */
export class BrowserClient extends MsgbatchClient {
  constructor(options: BrowserClientOptions = {}) {
    super(browserClientOptions(options));
  }
}
