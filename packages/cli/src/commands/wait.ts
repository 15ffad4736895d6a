import type { Context } from '../context.ts';
import { batchDetails } from '../format.ts';
import { batchProgress } from '../progress.ts';

/** Options of `msgbatch wait`. */
export interface WaitCommandOptions {
  /** Seconds. */
  maxWait?: number;
  /** Seconds. */
  pollInterval?: number;
}

/** `msgbatch wait <id>`: polls until the batch has ended, with a progress display. */
export async function waitCommand(ctx: Context, id: string, options: WaitCommandOptions) {
  const client = ctx.client();
  const progress = batchProgress(ctx);
  try {
    const batch = await client.messages.batches.waitForEnd(id, {
      signal: ctx.signal,
      maxWait: options.maxWait === undefined ? undefined : options.maxWait * 1000,
      pollInterval: options.pollInterval === undefined ? undefined : options.pollInterval * 1000,
      onProgress: (b) => progress.update(b),
    });
    progress.stop();
    if (ctx.json) return ctx.printJSON(batch);
    for (const line of batchDetails(batch)) ctx.print(line);
  } finally {
    progress.stop();
  }
}
