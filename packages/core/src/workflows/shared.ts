import {
  APIConnectionError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  MsgbatchError,
  RateLimitError,
} from '../errors.ts';
import type { Clock } from '../transport/transport.ts';

/**
 * The counts of a results stream did not match the batch's `request_counts`, or some
 * lines could not be read. Nothing was hidden: `mismatches` says which type is off.
 */
export class ResultsMismatchError extends MsgbatchError {
  override name = 'ResultsMismatchError' as const;
  /** The batch whose results were read. */
  readonly batchId: string;
  /** Every type whose count differs: what `request_counts` says and what the lines say. */
  readonly mismatches: readonly CountMismatch[];
  constructor(batchId: string, mismatches: readonly CountMismatch[], what = 'results') {
    const detail = mismatches.map((m) => `${m.type}: expected ${m.expected}, got ${m.actual}`);
    super(
      `The ${what} of batch ${batchId} do not match its request_counts (${detail.join('; ')}). ` +
        'The download may have been cut short or a line was damaged; read the results again.',
    );
    this.batchId = batchId;
    this.mismatches = mismatches;
  }
}

/** One result type whose number of lines differs from the batch's `request_counts`. */
export interface CountMismatch {
  /** The result type (`succeeded`, `errored`, `canceled`, `expired`, or `unreadable`). */
  type: string;
  /** What `request_counts` says. */
  expected: number;
  /** What the results stream held. */
  actual: number;
}

/**
 * True for the 400 the API answers when canceling a batch that has already ended
 * (`… cannot be canceled because it has already finished processing`).
 */
export function isAlreadyEndedError(error: unknown): error is BadRequestError {
  return (
    error instanceof BadRequestError &&
    /already (finished processing|ended|been processed)/i.test(error.message)
  );
}

/** True for a failure that may go away by itself: 408/409/429, 5xx, a lost connection. */
export function isTransient(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  // The server's own "do not retry" wins here as it does in the transport.
  if ((error as { headers?: Headers })?.headers?.get?.('x-should-retry') === 'false') return false;
  if (error instanceof RateLimitError || error instanceof InternalServerError) return true;
  if (error instanceof APIConnectionError) return !error.name.startsWith('CreateOutcome');
  const status = (error as { status?: unknown })?.status;
  return status === 408 || status === 409;
}

/** Sleeps on the injected clock; an abort becomes `APIUserAbortError`. */
export async function pause(clock: Clock, ms: number, signal: AbortSignal | undefined) {
  throwIfAborted(signal);
  try {
    await clock.sleep(Math.max(0, ms), signal);
  } catch (reason) {
    throw new APIUserAbortError('Aborted while waiting.', { cause: reason });
  }
}

/** Throws `APIUserAbortError` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
}

/** A gate all workers pass before each call; a 429 closes it for everyone, with one shared wait. */
export function createGate(clock: Clock) {
  let openAt = Number.NEGATIVE_INFINITY;
  let waiting: Promise<void> | null = null;
  return {
    close(ms: number) {
      openAt = Math.max(openAt, clock.now() + ms);
    },
    async pass(signal: AbortSignal | undefined) {
      throwIfAborted(signal);
      for (let left = openAt - clock.now(); left > 0; left = openAt - clock.now()) {
        waiting ??= pause(clock, left, signal).finally(() => {
          waiting = null;
        });
        await waiting;
      }
    },
  };
}
