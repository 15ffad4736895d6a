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
  const target = options.allInProgress
    ? {
        status: 'in_progress' as const,
        createdBefore: options.createdBefore,
        createdAfter: options.createdAfter,
      }
    : ids;
  const outcomes = await batches.cancelMany(target, {
    concurrency: options.concurrency,
    signal: ctx.signal,
    onProgress: (outcome) => {
      if (!ctx.json) ctx.print(describe(outcome));
    },
  });
  if (!ctx.json && outcomes.length === 0) ctx.print('No batches in progress matched.');
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
