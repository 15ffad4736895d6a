import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Anthropic, type FetchOptions } from '@msgbatch/node';
import { formatTime } from './format.ts';

/** Exit codes of `msgbatch`. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
}

/** A failure already explained in its message (a busy port, say): exit code 1. */
export class CliFailure extends Error {
  override name = 'CliFailure' as const;
}

/** What the CLI reads input from: a file, or the process's stdin. */
export interface Input extends AsyncIterable<unknown> {
  isTTY?: boolean | undefined;
}

/** A writable the CLI prints to (a process stream, or a fake in tests). */
export interface Output {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
  once?(event: 'drain', listener: () => void): unknown;
}

/** The time the CLI waits on: `now()` in ms and an abortable `sleep`. */
export interface CliClock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Wall time and `setTimeout`. */
export const realClock: CliClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** What the CLI reads from its process: streams, environment, Ctrl-C. */
export interface Io {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** Where `create` reads requests and confirmations are answered (absent: no terminal). */
  stdin?: Input | undefined;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** The clock `wait` polls on (default: {@link realClock}); tests pass a manual one. */
  clock?: CliClock | undefined;
}

/** Options every command takes. */
export interface CommonOptions {
  json?: boolean;
  apiKeyFile?: string;
  utc?: boolean;
}

/** What a command runs with: output helpers, the abort signal, a client on demand. */
export class Context {
  readonly json: boolean;
  /** stdout is a terminal: readable tables and bold headers. */
  readonly tty: boolean;
  /** stderr is a terminal and the output is not JSON: live progress bars. */
  readonly liveProgress: boolean;
  /** Escape codes allowed on stdout (a terminal, and `NO_COLOR` unset). */
  readonly color: boolean;
  /** A person can answer a question: stdin and stderr are terminals. */
  readonly interactive: boolean;
  /** Times in UTC instead of local time. */
  readonly utc: boolean;
  readonly signal: AbortSignal;
  /** The clock waits run on. */
  readonly clock: CliClock;
  readonly io: Io;
  readonly #apiKeyFile: string | undefined;

  constructor(io: Io, options: CommonOptions) {
    this.io = io;
    this.json = options.json === true;
    this.tty = io.stdout.isTTY === true && !this.json;
    this.liveProgress = io.stderr.isTTY === true && !this.json;
    this.color = this.tty && !io.env.NO_COLOR;
    this.interactive = io.stdin?.isTTY === true && io.stderr.isTTY === true;
    this.utc = options.utc === true;
    this.signal = io.signal;
    this.clock = io.clock ?? realClock;
    this.#apiKeyFile = options.apiKeyFile;
  }

  /** An RFC 3339 time for people: local time (or UTC with `--utc`), with its zone. */
  time(iso: string | null): string {
    return formatTime(iso, this.utc);
  }

  /** Prints a line on stdout. */
  print(line = ''): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** Prints a value as one line of JSON on stdout. */
  printJSON(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Prints a line on stderr (notes and progress, never data). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /**
   * The client, with credentials from `--api-key-file` or the environment
   * (`ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`, `ANTHROPIC_BASE_URL`). The key itself
   * never appears in any message.
   */
  client(): Anthropic {
    const { env } = this.io;
    let apiKey: string | undefined;
    if (this.#apiKeyFile !== undefined) {
      try {
        apiKey = readFileSync(this.#apiKeyFile, 'utf8').trim();
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'unreadable';
        throw new UsageError(`Cannot read the API key file ${this.#apiKeyFile} (${code}).`);
      }
      if (!apiKey) throw new UsageError(`The API key file ${this.#apiKeyFile} is empty.`);
    } else if (!env.ANTHROPIC_API_KEY && !env.ANTHROPIC_AUTH_TOKEN) {
      throw new UsageError(
        'No credential: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), or pass --api-key-file FILE.',
      );
    }
    return new Anthropic({
      apiKey: apiKey ?? (env.ANTHROPIC_API_KEY || null),
      authToken: apiKey ? null : env.ANTHROPIC_AUTH_TOKEN || null,
      baseURL: env.ANTHROPIC_BASE_URL || null,
      ...proxyOptions(env),
    });
  }
}

/**
 * `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (either case), as curl reads them: when one
 * is set, requests go through undici's proxy agent, passed as the client's `fetchOptions`
 * with undici's own fetch (Node's built-in fetch bundles another undici version).
 */
export function proxyOptions(env: Record<string, string | undefined>): {
  fetch?: typeof fetch;
  fetchOptions?: FetchOptions;
} {
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy;
  const httpProxy = env.HTTP_PROXY || env.http_proxy;
  if (!httpsProxy && !httpProxy) return {};
  // Loaded only when a proxy is set: undici is large, and most runs need none.
  const undici = createRequire(import.meta.url)('undici') as typeof import('undici');
  const dispatcher = new undici.EnvHttpProxyAgent({
    httpProxy,
    httpsProxy,
    noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
  });
  // undici's fetch takes only its own Request class; a global one is passed on as its parts.
  const viaUndici = (input: RequestInfo | URL, init?: RequestInit) => {
    if (!(input instanceof Request)) return undici.fetch(input as string, init as never);
    return undici.fetch(input.url, {
      method: input.method,
      headers: [...input.headers],
      body: input.body,
      duplex: 'half',
      signal: input.signal,
      redirect: input.redirect,
      ...(init as object),
    } as never);
  };
  return { fetch: viaUndici as unknown as typeof fetch, fetchOptions: { dispatcher } };
}
