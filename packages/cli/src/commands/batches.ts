import type { MessageBatch } from '@msgbatch/node';
import { type Context, UsageError } from '../context.ts';
import { BATCH_HEADER, batchDetails, batchLine, batchRows, table } from '../format.ts';

const STATUSES = ['in_progress', 'canceling', 'ended'];

/** `msgbatch list [--status S] [--limit N]`: the newest batches, walking pages as needed. */
export async function listCommand(ctx: Context, options: { status?: string; limit: number }) {
  const { status, limit } = options;
  if (status !== undefined && !STATUSES.includes(status)) {
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}; got "${status}".`);
  }
  const client = ctx.client();
  const found: MessageBatch[] = [];
  const pageSize = status === undefined ? Math.min(limit, 1000) : 100;
  for await (const batch of client.messages.batches.list(
    { limit: pageSize },
    { signal: ctx.signal },
  )) {
    if (status === undefined || batch.processing_status === status) found.push(batch);
    if (found.length >= limit) break;
  }
  if (ctx.json) return ctx.printJSON(found);
  if (!ctx.tty) {
    for (const batch of found) ctx.print(batchLine(batch));
    return;
  }
  if (found.length === 0) return ctx.print('No batches.');
  for (const line of table(BATCH_HEADER, batchRows(found, ctx.utc), ctx.color)) ctx.print(line);
}

/** `msgbatch get <id>`. */
export async function getCommand(ctx: Context, id: string) {
  const batch = await ctx.client().messages.batches.retrieve(id, { signal: ctx.signal });
  if (ctx.json) return ctx.printJSON(batch);
  for (const line of batchDetails(batch, ctx.utc)) ctx.print(line);
}

/** `msgbatch delete <id>`: only an ended batch can be deleted. */
export async function deleteCommand(ctx: Context, id: string) {
  const deleted = await ctx.client().messages.batches.delete(id, { signal: ctx.signal });
  if (ctx.json) return ctx.printJSON(deleted);
  ctx.print(`Deleted ${deleted.id}`);
}
