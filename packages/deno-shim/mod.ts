/**
 * msgbatch for Deno: the Message Batches client with Deno defaults.
 *
 * Credentials and the base URL come from the options, else from `ANTHROPIC_API_KEY`,
 * `ANTHROPIC_AUTH_TOKEN` and `ANTHROPIC_BASE_URL` — read only when Deno has already
 * granted `--allow-env` for that variable (checked with `Deno.permissions.querySync`,
 * which never prompts).
 *
 * @example
 * ```ts
 * import Anthropic from '@msgbatch/deno';
 * const client = new Anthropic({ apiKey: 'my-anthropic-api-key' });
 * const messageBatch = await client.messages.batches.cancel('message_batch_id');
 * console.log(messageBatch.id);
 * ```
 *
 * @module
 */
import { type ClientOptions, InvalidArgumentError, MsgbatchClient } from '@msgbatch/core';

export * from '@msgbatch/core';
/** The backend half of browser use: mint a page's token, and proxy its batch calls (Deno.serve takes the handler). */
export {
  type AllowedOrigins,
  type BatchesProxyHandler,
  type BatchesProxyOptions,
  type BrowserTokenClaims,
  type BrowserTokenScope,
  createBatchesProxy,
  type MintBrowserTokenOptions,
  mintBrowserToken,
  type ProxyRequestEvent,
  type UpstreamOptions,
  type VerifyOptions,
} from '@msgbatch/core/proxy';

/** Options of the Deno client: core's, with defaults read from a granted environment. */
export type DenoClientOptions = ClientOptions;

/** The environment variables the Deno client may read. */
const ENV_NAMES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL'] as const;

/** The value of `name` when `--allow-env` covers it, else undefined; never prompts. */
function grantedEnv(name: (typeof ENV_NAMES)[number]): string | undefined {
  if (Deno.permissions.querySync({ name: 'env', variable: name }).state !== 'granted') {
    return undefined;
  }
  const value = Deno.env.get(name);
  return value === '' ? undefined : value;
}

/** True when one of the given options already authenticates requests. */
function hasCredential(options: ClientOptions): boolean {
  const headers = Object.keys(options.defaultHeaders ?? {});
  return Boolean(
    options.apiKey ||
      options.authToken ||
      options.auth ||
      headers.some((key) => /^(x-api-key|authorization)$/i.test(key)),
  );
}

/**
 * Resolves Deno defaults: options win; `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN` and
 * `ANTHROPIC_BASE_URL` fill the gaps when `--allow-env` was granted for them.
 *
 * @param options - the caller's options
 * @returns options for core's client
 * @throws `InvalidArgumentError` when no credential is given and the environment may
 * not be read, saying which flag or option would fix it
 */
export function denoDefaults(options: DenoClientOptions = {}): ClientOptions {
  const apiKey = options.apiKey === undefined ? grantedEnv('ANTHROPIC_API_KEY') : options.apiKey;
  const authToken =
    options.authToken === undefined ? grantedEnv('ANTHROPIC_AUTH_TOKEN') : options.authToken;
  const resolved: ClientOptions = {
    ...options,
    apiKey,
    authToken,
    baseURL: options.baseURL ?? grantedEnv('ANTHROPIC_BASE_URL'),
  };
  const envDenied = ENV_NAMES.slice(0, 2).every(
    (name) => Deno.permissions.querySync({ name: 'env', variable: name }).state !== 'granted',
  );
  if (!hasCredential(resolved) && envDenied) {
    throw new InvalidArgumentError(
      'apiKey',
      'no credential given, and Deno has not granted access to the environment: pass ' +
        '{ apiKey } or { authToken }, or run with --allow-env=ANTHROPIC_API_KEY ' +
        '(or ANTHROPIC_AUTH_TOKEN) so it is read from there',
    );
  }
  return resolved;
}

/**
 * The Message Batches client for Deno, shaped like the official SDK so its documented
 * examples run with only the import line changed.
 *
 * @example
 * ```ts
 * import { Anthropic } from '@msgbatch/deno';
 * const client = new Anthropic({ apiKey: 'my-anthropic-api-key' });
 * await client.messages.batches.cancel('message_batch_id');
 * ```
 */
export class Anthropic extends MsgbatchClient {
  /** @param options - core's options; credentials and base URL default from a granted environment */
  constructor(options: DenoClientOptions = {}) {
    super(denoDefaults(options));
  }
}

export { Anthropic as Msgbatch };
export default Anthropic;
