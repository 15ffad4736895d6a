import * as errors from '../errors.ts';
import { createLog, type Logger, type LogLevel } from './logger.ts';
import { laterRedactor, redactorReady } from './redaction.ts';
import {
  type Clock,
  checkFetchOptions,
  createTransport,
  type FetchOptions,
  systemClock,
  type Transport,
} from './transport.ts';

/** The API version sent when none is chosen. */
export const DEFAULT_API_VERSION = '2023-06-01';
/** Where requests go when no `baseURL` is given. */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** A source of auth headers other than a fixed key, e.g. a browser's short-lived token. */
export interface AuthProvider {
  /** Headers to add to each attempt. */
  headers(): Promise<Record<string, string>> | Record<string, string>;
  /** Called once after a 401: refresh and resolve true to retry the request once. */
  onUnauthorized?(): Promise<boolean>;
  /** Strings to keep out of errors and logs. */
  secrets?(): readonly string[];
}

/** Options of the client. Runtime packages fill in defaults from their environment. */
export interface ClientOptions {
  /** API key, sent as `x-api-key`. */
  apiKey?: string | null | undefined;
  /** Bearer token, sent as `Authorization: Bearer …` (used when no apiKey is given). */
  authToken?: string | null | undefined;
  /** Another source of auth headers (the browser package's backend-issued tokens). */
  auth?: AuthProvider | undefined;
  /** Base URL of the API or of a proxy in front of it. Default `https://api.anthropic.com`. */
  baseURL?: string | null | undefined;
  /** Per-attempt timeout until the response headers arrive, in ms. Default 10 minutes. */
  timeout?: number | undefined;
  /** Longest gap between two chunks of a streamed body, in ms. Default 60 s. */
  idleTimeout?: number | undefined;
  /** Retries of a failed attempt. Default 2. */
  maxRetries?: number | undefined;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch | undefined;
  /**
   * Extra options merged into every fetch call, as the official client's `fetchOptions`
   * (for example an undici `dispatcher` for a proxy); a call's own `fetchOptions` win.
   */
  fetchOptions?: FetchOptions | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /** `anthropic-version`. Default `2023-06-01`; `2026-10-21` is accepted too. */
  apiVersion?: string | undefined;
  /** Where log lines go. Default `console`. Credentials are redacted from every line. */
  logger?: Logger | undefined;
  /** Lowest level logged. Default `warn`. */
  logLevel?: LogLevel | undefined;
  /** Randomness of retry jitter; tests pin it. */
  random?: (() => number) | undefined;
  /** Time source for retry backoff and polling; default the real clock. */
  clock?: Clock | undefined;
}

const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function checkNumber(name: string, value: number | undefined, min: number): number | undefined {
  if (value !== undefined && !(Number.isFinite(value) && value >= min)) {
    throw new errors.InvalidArgumentError(name, `must be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Builds the transport a client uses; also what the functional API takes. */
export function transportFromOptions(options: ClientOptions): Transport {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  if (!API_VERSION_PATTERN.test(apiVersion)) {
    throw new errors.InvalidArgumentError(
      'apiVersion',
      `must look like 2023-06-01, got "${apiVersion}"`,
    );
  }
  const baseURL = options.baseURL ?? DEFAULT_BASE_URL;
  try {
    new URL(baseURL);
  } catch {
    throw new errors.InvalidArgumentError('baseURL', `"${baseURL}" is not an absolute URL`);
  }
  const defaults = options.defaultHeaders ?? {};
  const defaultSecrets = Object.entries(defaults)
    .filter(([k]) => /^(x-api-key|authorization)$/i.test(k))
    .flatMap(([, v]) => [v, v.replace(/^Bearer\s+/i, '')]);
  const { apiKey, authToken, auth } = options;
  if (!apiKey && !authToken && !auth && defaultSecrets.length === 0) {
    throw new errors.InvalidArgumentError(
      'apiKey',
      'no credential: pass apiKey (sent as x-api-key) or authToken (sent as Authorization: Bearer)',
    );
  }
  const fixedAuth: Record<string, string> = apiKey
    ? { 'x-api-key': apiKey }
    : authToken
      ? { authorization: `Bearer ${authToken}` }
      : {};
  const redact = laterRedactor(
    [apiKey, authToken, ...defaultSecrets],
    auth?.secrets ? () => auth.secrets!() : undefined,
  );
  const logLevel = options.logLevel ?? 'warn';
  const base = { 'anthropic-version': apiVersion, ...defaults, ...fixedAuth };
  return createTransport({
    baseURL,
    fetch: options.fetch,
    fetchOptions: checkFetchOptions('fetchOptions', options.fetchOptions),
    headers: auth ? async () => ({ ...base, ...(await auth.headers()) }) : () => base,
    timeout: checkNumber('timeout', options.timeout, 1) ?? 600_000,
    idleTimeout: checkNumber('idleTimeout', options.idleTimeout, 1) ?? 60_000,
    maxRetries: checkNumber('maxRetries', options.maxRetries, 0) ?? 2,
    log: createLog(options.logger ?? console, logLevel, redact),
    redact,
    // What is logged before a failure (each attempt, at debug) waits for the redactor's code.
    ready: logLevel === 'debug' || logLevel === 'info' ? redactorReady : undefined,
    onUnauthorized: auth?.onUnauthorized ? () => auth.onUnauthorized!() : undefined,
    random: options.random,
    clock: options.clock ?? systemClock,
  });
}
