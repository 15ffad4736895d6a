import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIUserAbortError,
  type MessageBatch,
  MsgbatchClient,
  NotFoundError,
  writeResultsFile,
} from '@msgbatch/node';
import type { Context } from './context.ts';
import { countsText } from './format.ts';
import { batchProgress } from './progress.ts';

/** A key only the demo's own emulator accepts; not a secret. */
const DEMO_KEY = 'msgbatch-demo-key';
const REQUESTS = 5000;
/** Requests per second the emulator processes: the batch would take 5 s uncanceled. */
const RATE = 1000;
const CANCEL_AT = 0.4;

/** The demo's checks failed: canceled lines and `request_counts.canceled` disagree. Exit 1. */
export class DemoCheckError extends Error {
  override name = 'DemoCheckError' as const;
}

function demoRequests() {
  return Array.from({ length: REQUESTS }, (_, i) => ({
    custom_id: `demo-${String(i).padStart(4, '0')}`,
    params: {
      // Every 500th asks for a model that does not exist, so some lines come back errored.
      model: i % 500 === 499 ? 'no-such-model' : 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user' as const, content: `Summarize document ${i}.` }],
    },
  }));
}

const done = (b: MessageBatch) => REQUESTS - b.request_counts.processing;
const finished = (b: MessageBatch) => b.request_counts.succeeded + b.request_counts.errored;

/**
 * The one-command demo: an emulator on a loopback port, a 5,000-request batch
 * canceled midway, a wait with progress until it has ended, the canceled custom_ids
 * read from the results and checked against `request_counts.canceled`, the results
 * written to a file, and the batch deleted. No key, no network beyond 127.0.0.1.
 *
 * @param ctx - where output goes, and the Ctrl-C signal
 * @param options - `out`: the results file (default: a new temporary directory)
 * @throws `DemoCheckError` when the results disagree with the counts
 */
export async function runDemo(ctx: Context, options: { out?: string | undefined } = {}) {
  const started = Date.now();
  const say = (line: string) => (ctx.json ? undefined : ctx.print(line));
  const { createEmulator } = await import('@msgbatch/emulator');
  const emulator = createEmulator({
    apiKeys: [DEMO_KEY],
    rate: RATE,
    progressiveCounts: true,
    nonInterruptibleShare: 0.1,
    cancelDrainMs: 1500,
    seed: 'demo',
  });
  const server = await emulator.listen({ port: 0, hostname: '127.0.0.1' });
  try {
    say(`Emulator listening on ${server.url} (${RATE} requests/s, no real API, no key)`);
    const client = new MsgbatchClient({ apiKey: DEMO_KEY, baseURL: server.url, logLevel: 'error' });
    const batches = client.messages.batches;
    const created = await batches.create({ requests: demoRequests() }, { signal: ctx.signal });
    say(`Created ${created.id} with ${REQUESTS.toLocaleString('en-US')} requests`);

    const progress = batchProgress(ctx);
    // Stops the first wait at 40 %; Ctrl-C (ctx.signal) stops it too.
    const midway = new AbortController();
    const stopMidway = () => midway.abort();
    ctx.signal.addEventListener('abort', stopMidway, { once: true });
    const poll = { pollInterval: 200, maxPollInterval: 200 };
    let atCancel: MessageBatch | undefined;
    let final: MessageBatch;
    try {
      await batches
        .waitForEnd(created.id, {
          ...poll,
          signal: midway.signal,
          onProgress: (b) => {
            progress.update(b);
            if (done(b) >= REQUESTS * CANCEL_AT) midway.abort();
          },
        })
        .catch((error) => {
          if (!(error instanceof APIUserAbortError) || ctx.signal.aborted) throw error;
        })
        .finally(() => ctx.signal.removeEventListener('abort', stopMidway));
      const result = await batches.cancelAndWait(created.id, {
        ...poll,
        signal: ctx.signal,
        onProgress: (b) => {
          if (b.processing_status === 'canceling') atCancel ??= b;
          progress.update(b);
        },
      });
      final = result.batch;
    } finally {
      progress.stop();
    }
    const counts = final.request_counts;
    const doneAtCancel = atCancel ? finished(atCancel) : undefined;
    if (doneAtCancel !== undefined) {
      const inFlight = finished(final) - doneAtCancel;
      say(
        `Canceled with ${doneAtCancel} of ${REQUESTS} done; ${inFlight} in-flight requests could not be interrupted and finished anyway`,
      );
    }
    say(`Ended: ${countsText(counts)}`);

    const summary = await batches.summarizeResults(created.id, { signal: ctx.signal });
    const canceledIds = summary.customIds.canceled.length;
    say(
      `Results show ${canceledIds} canceled custom_ids; request_counts.canceled is ${counts.canceled}`,
    );
    if (canceledIds !== counts.canceled || !summary.reconciled) {
      const detail = summary.mismatches
        .map((m) => `${m.type} ${m.actual}≠${m.expected}`)
        .join(', ');
      throw new DemoCheckError(
        `The results do not match request_counts (${detail || 'canceled ids'}).`,
      );
    }

    const out =
      options.out ?? join(await mkdtemp(join(tmpdir(), 'msgbatch-demo-')), 'results.jsonl');
    const file = await writeResultsFile(client, created.id, out, { signal: ctx.signal });
    say(`Wrote ${file.written} result lines to ${file.path}`);

    await batches.delete(created.id, { signal: ctx.signal });
    const gone = await batches.retrieve(created.id).then(
      () => false,
      (e) => e instanceof NotFoundError,
    );
    say(`Deleted ${created.id}${gone ? ' (a retrieve now answers 404)' : ''}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(`Demo finished in ${seconds} s: every canceled request is accounted for.`);
    if (ctx.json) {
      ctx.printJSON({
        batch_id: created.id,
        request_counts: counts,
        done_at_cancel: doneAtCancel ?? null,
        canceled_custom_ids: canceledIds,
        reconciled: summary.reconciled,
        results_file: file.path,
        deleted: gone,
        seconds: Number(seconds),
      });
    }
  } finally {
    await server.close();
  }
}
