import {
  APIConnectionError,
  APIUserAbortError,
  InternalServerError,
  type MessageBatch,
  parseRetryAfter,
  RateLimitError,
  WaitTimeoutError,
} from '@msgbatch/node';
import type { Context } from '../context.ts';
import { batchDetails, countsText, elapsedText, totalOf } from '../format.ts';

/** Options of `msgbatch wait`. */
export interface WaitCommandOptions {
  /** Seconds. */
  maxWait?: number;
  /** Seconds. */
  pollInterval?: number;
}

/** Longest pause between polls, and the cap of a server's `retry-after`. */
const MAX_POLL_MS = 30_000;
const GROWTH = 1.5;
/** Polls that may fail in a row (after the client's own retries) before the wait gives up. */
const TOLERATED_FAILURES = 3;

/** A failed poll that may pass by itself: 429, 5xx, a lost connection. */
function transient(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  return (
    error instanceof RateLimitError ||
    error instanceof InternalServerError ||
    error instanceof APIConnectionError
  );
}

/** What the live display shows; redrawn every second on a terminal. */
export interface WaitState {
  batch: MessageBatch | undefined;
  /** Counts at the first poll: a bar appears only once they move. */
  first: string | undefined;
  nextPollAt: number | undefined;
  /** Why the last poll failed, while the wait goes on. */
  failed?: string | undefined;
}

/**
 * `msgbatch wait <id>`: polls until the batch has ended. On a terminal it shows what is
 * true (status, elapsed time, the counts, when the next poll is) and a bar only once the
 * counts move: the API keeps every request `processing` until a batch ends, so a bar
 * from the first poll would sit at 0 % and jump to 100 %. The pause between polls grows
 * from `--poll-interval` (1 s) to 30 s, and is at least what the server's `retry-after`
 * asks (capped at 30 s and by `--max-wait`). Off a terminal it writes one line at the end.
 */
export async function waitCommand(ctx: Context, id: string, options: WaitCommandOptions) {
  const batches = ctx.client().messages.batches;
  const { clock } = ctx;
  const started = clock.now();
  const maxWaitMs = options.maxWait === undefined ? undefined : options.maxWait * 1000;
  const deadline = maxWaitMs === undefined ? Number.POSITIVE_INFINITY : started + maxWaitMs;
  let delay = (options.pollInterval ?? 1) * 1000;
  const ceiling = Math.max(MAX_POLL_MS, delay);
  const state: WaitState = { batch: undefined, first: undefined, nextPollAt: undefined };
  const display = liveDisplay(ctx, started, state);
  let failures = 0;
  try {
    for (;;) {
      let polled: Awaited<ReturnType<ReturnType<typeof batches.retrieve>['withResponse']>>;
      try {
        polled = await batches.retrieve(id, { signal: ctx.signal }).withResponse();
        failures = 0;
        state.failed = undefined;
      } catch (error) {
        if (ctx.signal.aborted || !transient(error) || ++failures > TOLERATED_FAILURES) throw error;
        state.failed = (error as Error).message;
        const asked = Math.min(
          (error as { retryAfterMs?: number | null }).retryAfterMs ?? 0,
          ceiling,
        );
        const remaining = deadline - clock.now();
        if (remaining <= 0) throw new WaitTimeoutError(id, maxWaitMs!);
        const pause = Math.min(Math.max(delay, asked), remaining);
        state.nextPollAt = clock.now() + pause;
        display.draw();
        await clock.sleep(pause, ctx.signal);
        delay = Math.min(delay * GROWTH, ceiling);
        continue;
      }
      const { data: batch, response } = polled;
      state.batch = batch;
      state.first ??= countsText(batch.request_counts);
      if (batch.processing_status === 'ended') {
        state.nextPollAt = undefined;
        display.stop();
        if (!ctx.json && !ctx.liveProgress) {
          ctx.note(`${summaryLine(batch)} elapsed=${elapsedText(clock.now() - started)}`);
        }
        if (ctx.json) return ctx.printJSON(batch);
        for (const line of batchDetails(batch, ctx.utc)) ctx.print(line);
        return;
      }
      const asked = Math.min(parseRetryAfter(response.headers, clock.now()) ?? 0, ceiling);
      const remaining = deadline - clock.now();
      if (remaining <= 0) throw new WaitTimeoutError(id, maxWaitMs!);
      const pause = Math.min(Math.max(delay, asked), remaining);
      state.nextPollAt = clock.now() + pause;
      display.draw();
      await clock.sleep(pause, ctx.signal);
      delay = Math.min(delay * GROWTH, ceiling);
    }
  } catch (error) {
    display.stop();
    if (ctx.signal.aborted) {
      ctx.note(
        `Stopped waiting. Batch ${id} keeps running on the server; \`msgbatch cancel ${id}\` stops it.`,
      );
    }
    throw error;
  }
}

const summaryLine = (batch: MessageBatch) =>
  `${batch.id} ${batch.processing_status} ${countsText(batch.request_counts)}`;

/** The lines of the live display: id, status, elapsed and next poll; the counts; a bar once they move. */
export function waitLines(state: WaitState, elapsedMs: number, now: number): string[] {
  const { batch } = state;
  if (!batch) return [];
  const next =
    state.nextPollAt === undefined
      ? ''
      : `  next poll in ${Math.max(0, Math.ceil((state.nextPollAt - now) / 1000))}s`;
  const lines = [
    `${batch.id}  ${batch.processing_status}  elapsed ${elapsedText(elapsedMs)}${next}`,
    `  ${countsText(batch.request_counts)}`,
  ];
  if (state.failed) lines.push(`  last poll failed (${state.failed}); trying again`);
  if (countsText(batch.request_counts) !== state.first) {
    const total = totalOf(batch);
    const done = total - batch.request_counts.processing;
    const share = total > 0 ? done / total : 0;
    const width = 24;
    const filled = Math.round(share * width);
    lines.push(
      `  [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${Math.floor(share * 100)}% of ${total} done`,
    );
  }
  return lines;
}

/** Redraws the wait's lines in place on a terminal (every second, so the times count down). */
function liveDisplay(ctx: Context, started: number, state: WaitState) {
  if (!ctx.liveProgress) return { draw() {}, stop() {} };
  const { stderr } = ctx.io;
  let drawn = 0;
  const draw = () => {
    const now = ctx.clock.now();
    const lines = waitLines(state, now - started, now);
    const up = drawn > 1 ? `\x1b[${drawn - 1}A` : '';
    stderr.write(`${up}\r\x1b[J${lines.join('\n')}`);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 1000);
  timer.unref?.();
  return {
    draw,
    stop() {
      clearInterval(timer);
      if (drawn > 0) draw();
      if (drawn > 0) stderr.write('\n');
      drawn = 0;
    },
  };
}
