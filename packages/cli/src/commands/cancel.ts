import type { CancelOutcome, MessageBatch } from '@msgbatch/node';
import { type Context, UsageError } from '../context.ts';
import { countsText, errorJSON } from '../format.ts';
import { batchProgress } from '../progress.ts';

/** Options of `msgbatch cancel`. */
export interface CancelCommandOptions {
  allInProgress?: boolean;
  createdBefore?: string;
  createdAfter?: string;
  wait?: boolean;
  concurrency: number;
  /** Skip the confirmation of a bulk cancel. */
  yes?: boolean;
  /** List what would be canceled; send nothing. */
  dryRun?: boolean;
}

function describe(outcome: CancelOutcome): string {
  switch (outcome.status) {
    case 'canceled':
      return `${outcome.id} canceled (${outcome.batch?.processing_status ?? 'canceling'})`;
    case 'already_ended':
      return `${outcome.id} already ended, nothing to cancel`;
    case 'not_found':
      return `${outcome.id} not found`;
    default:
      return `${outcome.id} failed: ${(outcome.error as Error | undefined)?.message ?? 'unknown error'}`;
  }
}

/**
 * `msgbatch cancel <id...>` or `msgbatch cancel --all-in-progress [--created-before T]`:
 * cancels every batch named or matched, one line (or JSON entry) per batch, and with
 * `--wait` waits until each has ended. Fails (exit 1) if any batch was not found or failed.
 */
export async function cancelCommand(ctx: Context, ids: string[], options: CancelCommandOptions) {
  if (options.allInProgress && ids.length > 0) {
    throw new UsageError('Give batch ids or --all-in-progress, not both.');
  }
  if (!options.allInProgress && ids.length === 0) {
    throw new UsageError('Give at least one batch id, or --all-in-progress.');
  }
  if (!options.allInProgress && (options.createdBefore || options.createdAfter)) {
    throw new UsageError('--created-before and --created-after only go with --all-in-progress.');
  }
  for (const [flag, value] of [
    ['--created-before', options.createdBefore],
    ['--created-after', options.createdAfter],
  ] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      throw new UsageError(
        `${flag} must be a date or time like 2026-01-31T12:00:00Z; got "${value}".`,
      );
    }
  }
  const batches = ctx.client().messages.batches;
  const targets = options.allInProgress ? await inProgress(ctx, options) : ids;
  const bulk = options.allInProgress || ids.length > 1;
  if (bulk || options.dryRun) {
    if (targets.length === 0) {
      if (ctx.json) return ctx.printJSON([]);
      return ctx.print('No batches in progress matched.');
    }
    const list = targets.map((b) =>
      typeof b === 'string' ? b : `${b.id}  ${ctx.time(b.created_at)}`,
    );
    if (options.dryRun) {
      if (ctx.json) return ctx.printJSON({ dry_run: true, would_cancel: targets.map(idOf) });
      ctx.print(
        `Would cancel ${targets.length} batch${targets.length === 1 ? '' : 'es'} (nothing was sent):`,
      );
      for (const line of list) ctx.print(`  ${line}`);
      return;
    }
    if (!options.yes) {
      if (!ctx.interactive) {
        throw new UsageError(
          `Refusing to cancel ${targets.length} batches without confirmation: not a terminal. Add --yes (or --dry-run to see the list).`,
        );
      }
      ctx.note(`About to cancel ${targets.length} batch${targets.length === 1 ? '' : 'es'}:`);
      for (const line of list) ctx.note(`  ${line}`);
      if (
        !(await confirm(
          ctx,
          `Cancel ${targets.length === 1 ? 'it' : `these ${targets.length}`}? [y/N] `,
        ))
      ) {
        ctx.note('Nothing was canceled.');
        return;
      }
    }
  }
  const outcomes = await batches.cancelMany(targets.map(idOf), {
    concurrency: options.concurrency,
    signal: ctx.signal,
    onProgress: (outcome) => {
      if (!ctx.json) ctx.print(describe(outcome));
    },
  });
  const final = new Map<string, MessageBatch>();
  if (options.wait) {
    const progress = batchProgress(ctx);
    try {
      const waits = outcomes
        .filter((o) => o.status === 'canceled' || o.status === 'already_ended')
        .map(async (o) => {
          const batch = await batches.waitForEnd(o.id, {
            signal: ctx.signal,
            onProgress: (b) => progress.update(b),
          });
          final.set(o.id, batch);
        });
      await Promise.all(waits);
    } finally {
      progress.stop();
    }
    if (!ctx.json) {
      for (const [id, batch] of final) ctx.print(`${id} ended ${countsText(batch.request_counts)}`);
    }
  }
  if (ctx.json) {
    ctx.printJSON(
      outcomes.map((o) => ({
        id: o.id,
        status: o.status,
        ...(final.has(o.id) || o.batch ? { batch: final.get(o.id) ?? o.batch } : {}),
        ...(o.status === 'failed' || o.status === 'not_found' ? { error: errorJSON(o.error) } : {}),
      })),
    );
  }
  const bad = outcomes.filter((o) => o.status === 'failed' || o.status === 'not_found');
  if (bad.length > 0) {
    throw new PartialFailure(`${bad.length} of ${outcomes.length} batches could not be canceled.`);
  }
}

/** Some of several operations failed; each was already reported. Exit code 1. */
export class PartialFailure extends Error {
  override name = 'PartialFailure' as const;
}

const idOf = (target: string | MessageBatch) => (typeof target === 'string' ? target : target.id);

/** The batches `--all-in-progress` (with its time filters) matches, newest first. */
async function inProgress(ctx: Context, options: CancelCommandOptions): Promise<MessageBatch[]> {
  const before = options.createdBefore ? Date.parse(options.createdBefore) : undefined;
  const after = options.createdAfter ? Date.parse(options.createdAfter) : undefined;
  const found: MessageBatch[] = [];
  for await (const batch of ctx
    .client()
    .messages.batches.list({ limit: 100 }, { signal: ctx.signal })) {
    const created = Date.parse(batch.created_at);
    // Newest first: once past --created-after, every later page is older still.
    if (after !== undefined && created <= after) break;
    if (batch.processing_status !== 'in_progress') continue;
    if (before !== undefined && !(created < before)) continue;
    found.push(batch);
  }
  return found;
}

/** Asks a yes/no question on the terminal; only `y` or `yes` is yes. Ctrl-C aborts. */
export async function confirm(ctx: Context, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({
    input: ctx.io.stdin as NodeJS.ReadableStream,
    output: ctx.io.stderr as NodeJS.WritableStream,
  });
  try {
    const answer = await rl.question(question, { signal: ctx.signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
