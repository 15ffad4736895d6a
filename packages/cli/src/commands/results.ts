import {
  NotFoundError,
  peekCustomIdAndType,
  RESULT_TYPES,
  ResultsMismatchError,
  writeResultsFile,
} from '@msgbatch/node';
import { CliFailure, type Context, UsageError } from '../context.ts';
import { table, totalOf } from '../format.ts';
import { downloadProgress } from '../progress.ts';

/** Options of `msgbatch results`. */
export interface ResultsCommandOptions {
  type?: string;
  out?: string;
  summary?: boolean;
}

/**
 * `msgbatch results <id>`: the JSONL lines on stdout (optionally of one `--type`),
 * or `--out FILE` written atomically, or `--summary` counts (plus, with `--type`,
 * that type's custom_ids) checked against the batch's request_counts.
 */
export async function resultsCommand(ctx: Context, id: string, options: ResultsCommandOptions) {
  try {
    await readResults(ctx, id, options);
  } catch (error) {
    throw await explainNotEnded(ctx, id, error);
  }
}

/**
 * The API answers 404 for the results of a batch that has not ended; when the batch
 * exists, say so and what to do, instead of "not found".
 */
async function explainNotEnded(ctx: Context, id: string, error: unknown): Promise<unknown> {
  if (!(error instanceof NotFoundError) || ctx.signal.aborted) return error;
  const batch = await ctx
    .client()
    .messages.batches.retrieve(id, { signal: ctx.signal })
    .catch(() => undefined);
  if (!batch || batch.processing_status === 'ended') return error;
  return new CliFailure(
    `Batch ${id} is ${batch.processing_status}: results exist once it has ended. Run \`msgbatch wait ${id}\`, then read them.`,
  );
}

async function readResults(ctx: Context, id: string, options: ResultsCommandOptions) {
  const { type } = options;
  if (type !== undefined && !(RESULT_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`--type must be one of ${RESULT_TYPES.join(', ')}; got "${type}".`);
  }
  const client = ctx.client();
  if (options.out !== undefined) {
    const progress = downloadProgress(ctx, id);
    try {
      const written = await writeResultsFile(client, id, options.out, {
        type,
        signal: ctx.signal,
        onProgress: ({ read, total }) => progress.update(read, total),
      });
      progress.stop();
      const { batch: _batch, ...rest } = written;
      if (ctx.json) return ctx.printJSON({ batch_id: id, ...rest });
      ctx.print(`Wrote ${written.written} lines to ${written.path}`);
      if (!options.summary) return;
      for (const [t, n] of Object.entries(written.counts)) ctx.print(`${t}: ${n}`);
      return;
    } finally {
      progress.stop();
    }
  }
  if (options.summary) return summary(ctx, id, type);
  const results = await client.messages.batches.results(id, { signal: ctx.signal });
  const { stdout } = ctx.io;
  for await (const line of results.lines()) {
    if (type !== undefined && (peekCustomIdAndType(line)?.type ?? typeOf(line)) !== type) continue;
    if (!stdout.write(`${line}\n`) && stdout.once) {
      await new Promise<void>((resolve) => stdout.once!('drain', resolve));
    }
  }
}

async function summary(ctx: Context, id: string, type: string | undefined) {
  const progress = downloadProgress(ctx, id);
  const result = await ctx
    .client()
    .messages.batches.summarizeResults(id, {
      signal: ctx.signal,
      onProgress: (read, batch) => progress.update(read, Math.max(read, totalOf(batch))),
    })
    .finally(() => progress.stop());
  const { counts, mismatches, reconciled, lines, batch } = result;
  if (ctx.json) {
    ctx.printJSON({
      batch_id: id,
      lines,
      counts,
      request_counts: batch.request_counts,
      reconciled,
      mismatches,
      ...(type ? { custom_ids: result.customIds[type] } : {}),
    });
  } else {
    // A result type the API adds later has no named count field, but may have a count.
    const requestCounts = batch.request_counts as unknown as Record<string, number | undefined>;
    const rows = Object.keys(counts).map((t) => [
      t,
      String(counts[t]),
      String(requestCounts[t] ?? 0),
    ]);
    const lines = ctx.tty
      ? table(['TYPE', 'LINES', 'REQUEST_COUNTS'], rows, ctx.color)
      : rows.map((r) => `${r[0]}: ${r[1]}`);
    for (const line of lines) ctx.print(line);
    ctx.print(reconciled ? 'reconciled: yes' : 'reconciled: NO');
    if (type) for (const customId of result.customIds[type] ?? []) ctx.print(customId);
  }
  if (!reconciled) throw new ResultsMismatchError(id, mismatches);
}

function typeOf(line: string): string | undefined {
  try {
    return JSON.parse(line)?.result?.type;
  } catch {
    return undefined;
  }
}
