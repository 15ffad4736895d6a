import { readFileSync } from 'node:fs';
import { Anthropic } from '@msgbatch/node';

/** Exit codes of `msgbatch`. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
}

/** A writable the CLI prints to (a process stream, or a fake in tests). */
export interface Output {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
  once?(event: 'drain', listener: () => void): unknown;
}

/** What the CLI reads from its process: streams, environment, Ctrl-C. */
export interface Io {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

/** Options every command takes. */
export interface CommonOptions {
  json?: boolean;
  apiKeyFile?: string;
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
  readonly signal: AbortSignal;
  readonly io: Io;
  readonly #apiKeyFile: string | undefined;

  constructor(io: Io, options: CommonOptions) {
    this.io = io;
    this.json = options.json === true;
    this.tty = io.stdout.isTTY === true && !this.json;
    this.liveProgress = io.stderr.isTTY === true && !this.json;
    this.color = this.tty && !io.env.NO_COLOR;
    this.signal = io.signal;
    this.#apiKeyFile = options.apiKeyFile;
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
    });
  }
}
