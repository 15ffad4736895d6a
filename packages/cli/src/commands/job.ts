import { basename, dirname, join, resolve } from 'node:path';
import {
  FileJobStore,
  type JobCancelReport,
  type JobChunk,
  type JobEvent,
  type JobManifest,
  JobSourceError,
  jsonlFileSource,
  type MessageBatch,
  writeJobResultsFile,
} from '@msgbatch/node';
import { type Context, UsageError } from '../context.ts';
import { COUNT_KEYS, table } from '../format.ts';
import { batchProgress, downloadProgress, jobProgress } from '../progress.ts';
import { confirm } from './cancel.ts';

/** Options of `msgbatch job submit`. */
export interface JobSubmitOptions {
  manifest?: string;
  concurrency: number;
  /** Seconds a create cut short may take to appear before its chunk is sent again (`graceMs`). */
  grace?: number;
  maxRequests?: number;
}

/** Options of `msgbatch job wait`. */
export interface JobWaitOptions {
  /** Seconds. */
  maxWait?: number;
  /** Seconds. */
  pollInterval?: number;
}

/** Options of `msgbatch job cancel`. */
export interface JobCancelOptions {
  yes?: boolean;
  dryRun?: boolean;
  concurrency: number;
}

/** Options of `msgbatch job results`. */
export interface JobResultsOptions {
  out?: string;
  type?: string;
  summary?: boolean;
}

/** `requests.jsonl` → `requests.job.json`, beside it. */
export function defaultManifestPath(file: string): string {
  const name = basename(file).replace(/\.(jsonl|ndjson|json)$/i, '');
  return join(dirname(resolve(file)), `${name}.job.json`);
}

/** The manifest at `path`, or a usage error saying there is none. */
async function loadManifest(path: string): Promise<{ store: FileJobStore; manifest: JobManifest }> {
  const store = FileJobStore.forPath(path);
  const manifest = await store.read();
  if (manifest === undefined) {
    throw new UsageError(
      `No job manifest at ${store.file}. \`msgbatch job submit requests.jsonl\` makes one.`,
    );
  }
  return { store, manifest };
}

const sum = (chunks: readonly JobChunk[], f: (c: JobChunk) => number) =>
  chunks.reduce((n, c) => n + f(c), 0);

/** A chunk as JSON: snake_case, as the CLI prints the API's objects. */
function chunkJSON(chunk: JobChunk, batch?: MessageBatch) {
  return {
    index: chunk.index,
    first: chunk.first,
    count: chunk.count,
    bytes: chunk.bytes,
    state: chunk.state,
    batch_id: chunk.batchId ?? null,
    ...(chunk.candidates ? { candidates: chunk.candidates } : {}),
    processing_status: batch?.processing_status ?? chunk.status ?? null,
    request_counts: batch?.request_counts ?? chunk.requestCounts ?? null,
  };
}

/** A job as JSON: id, manifest path, state, source, totals, chunks. */
function jobJSON(manifest: JobManifest, path: string, batches = new Map<string, MessageBatch>()) {
  const chunks = manifest.chunks.map((c) =>
    chunkJSON(c, c.batchId ? batches.get(c.batchId) : undefined),
  );
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Record<string, number>;
  for (const c of chunks) {
    for (const k of COUNT_KEYS) counts[k]! += c.request_counts?.[k] ?? 0;
  }
  return {
    job_id: manifest.jobId,
    manifest: path,
    state: manifest.state,
    source: manifest.source,
    totals: manifest.totals,
    ...(manifest.problem ? { problem: manifest.problem } : {}),
    chunks,
    request_counts: counts,
  };
}

/** The status table: one row per chunk and a total. */
function printJob(
  ctx: Context,
  manifest: JobManifest,
  path: string,
  batches = new Map<string, MessageBatch>(),
) {
  const job = jobJSON(manifest, path, batches);
  const requests = manifest.totals?.requests ?? sum(manifest.chunks, (c) => c.count);
  ctx.print(`job:      ${manifest.jobId} (${manifest.state})`);
  ctx.print(`manifest: ${path}`);
  if (typeof manifest.source.path === 'string') ctx.print(`source:   ${manifest.source.path}`);
  ctx.print(
    `requests: ${requests} in ${manifest.totals?.chunks ?? manifest.chunks.length} batch${(manifest.totals?.chunks ?? manifest.chunks.length) === 1 ? '' : 'es'}`,
  );
  if (manifest.problem) ctx.print(`problem:  ${manifest.problem.message}`);
  const rows = job.chunks.map((c) => [
    String(c.index),
    c.batch_id ?? (c.candidates ? `one of ${c.candidates.join(', ')}` : '-'),
    c.processing_status ?? `(${c.state})`,
    String(c.count),
    ...COUNT_KEYS.map((k) => (c.request_counts ? String(c.request_counts[k]) : '-')),
  ]);
  rows.push([
    'TOTAL',
    '',
    '',
    String(sum(manifest.chunks, (c) => c.count)),
    ...COUNT_KEYS.map((k) => String(job.request_counts[k])),
  ]);
  const header = [
    'CHUNK',
    'BATCH',
    'STATUS',
    'REQUESTS',
    ...COUNT_KEYS.map((k) => k.toUpperCase()),
  ];
  for (const line of table(header, rows, ctx.color)) ctx.print(line);
}

/** Progress of submit: a bar on a terminal, a line per chunk otherwise, nothing with --json. */
function submitEvents(ctx: Context, known?: JobManifest) {
  const progress = jobProgress(ctx);
  let chunks = known?.totals?.chunks ?? 0;
  let created = known?.chunks.filter((c) => c.state === 'created').length ?? 0;
  return {
    onProgress(event: JobEvent) {
      switch (event.type) {
        case 'checked':
          chunks = event.chunks;
          progress.checked(event.requests, event.chunks);
          break;
        case 'chunk-created':
          created++;
          progress.created(created, chunks, `chunk ${event.chunk} → ${event.batchId}`);
          break;
        case 'chunk-reconciled':
          progress.note(
            event.batchId
              ? `chunk ${event.chunk}: its earlier create did make ${event.batchId}`
              : `chunk ${event.chunk}: its earlier create made no batch; sending it again`,
          );
          break;
        case 'chunk-settling':
          progress.note(
            `chunk ${event.chunk}: no batch of its earlier create is listed yet; waiting until ${ctx.time(event.until)} in case it appears late`,
          );
          break;
        case 'chunk-unknown':
          progress.note(
            `chunk ${event.chunk}: the create's answer was lost (${(event.error as Error)?.message ?? 'unknown'}); it is reconciled on resume`,
          );
          break;
        case 'chunk-ambiguous':
          progress.note(
            `chunk ${event.chunk}: could be any of ${event.candidates.join(', ')}; not created again`,
          );
          break;
        case 'paused':
          progress.note(`rate limited: every create paused for ${Math.ceil(event.ms / 1000)}s`);
          break;
      }
    },
    stop: () => progress.stop(),
  };
}

/**
 * `msgbatch job submit requests.jsonl [--manifest path]`: checks every request of the file,
 * splits it into batches and creates them, recording each step in the manifest (default
 * `requests.job.json` beside the file). Run again with the same manifest, it resumes
 * the job where the last run stopped (a crash, Ctrl-C) and never creates a batch twice.
 */
export async function jobSubmitCommand(ctx: Context, file: string, options: JobSubmitOptions) {
  const path = resolve(options.manifest ?? defaultManifestPath(file));
  if (path === resolve(file)) throw new UsageError('The manifest cannot be the requests file.');
  const store = FileJobStore.forPath(path);
  let existing = await store.read();
  const source = jsonlFileSource(file);
  if (existing?.state === 'failed') {
    const sent = existing.chunks.filter((c) => c.attempts.length > 0);
    if (sent.length > 0) {
      throw new UsageError(
        `Job ${existing.jobId} in ${path} failed after sending ${sent.length} batch${sent.length === 1 ? '' : 'es'} (${existing.problem?.message ?? 'no reason recorded'}). Its batches stay listed there; give a new job another --manifest.`,
      );
    }
    // It stopped before sending anything (a bad line, say): nothing to keep, start over.
    if (!ctx.json) {
      ctx.note(`The last submit of ${path} stopped before sending anything; starting a new job.`);
    }
    const { rm } = await import('node:fs/promises');
    await rm(path, { force: true });
    existing = undefined;
  }
  const batches = ctx.client().messages.batches;
  if (existing?.state === 'submitted') {
    // Nothing to send: show its batches as they are now.
    const now = await retrieveAll(ctx, existing);
    if (ctx.json) return ctx.printJSON(jobJSON(existing, path, now));
    ctx.note(`Job ${existing.jobId} was already submitted; nothing was sent.`);
    printJob(ctx, existing, path, now);
    return;
  }
  const events = submitEvents(ctx, existing);
  let manifest: JobManifest;
  try {
    if (existing) {
      if (!ctx.json) ctx.note(`Resuming job ${existing.jobId} from ${path}`);
      manifest = await batches.resumeJob(existing.jobId, {
        store,
        source,
        concurrency: options.concurrency,
        graceMs: options.grace === undefined ? undefined : options.grace * 1000,
        signal: ctx.signal,
        onProgress: events.onProgress,
      });
    } else {
      manifest = await batches.createJob(source, {
        store,
        concurrency: options.concurrency,
        graceMs: options.grace === undefined ? undefined : options.grace * 1000,
        maxRequestsPerBatch: options.maxRequests,
        signal: ctx.signal,
        onProgress: events.onProgress,
      });
    }
  } catch (error) {
    events.stop();
    if (
      error instanceof JobSourceError &&
      error.index !== undefined &&
      !/\bline \d+/.test(error.message)
    ) {
      const line = await lineOf(file, error.index).catch(() => undefined);
      if (line !== undefined) error.message = `${file}:${line}: ${error.message}`;
    }
    if (ctx.signal.aborted) {
      ctx.note(`Stopped. ${path} records what was sent: run the same command again to resume.`);
    }
    throw error;
  }
  events.stop();
  if (ctx.json) return ctx.printJSON(jobJSON(manifest, path));
  printJob(ctx, manifest, path);
  ctx.note(`Follow it with: msgbatch job wait ${path}`);
}

/** The 1-based line of the request at `index` (blank lines count as lines, not requests). */
async function lineOf(file: string, index: number): Promise<number | undefined> {
  for await (const entry of jsonlFileSource(file).entries(index)) return entry.line;
  return undefined;
}

/**
 * `msgbatch job resume <manifest>`: the resume half of submit, from the requests file the
 * manifest names (which must not have changed: same path, size and modification time).
 */
export async function jobResumeCommand(
  ctx: Context,
  path: string,
  options: { concurrency: number; grace?: number },
) {
  const { manifest } = await loadManifest(path);
  const { kind, path: file } = manifest.source;
  if (kind !== 'jsonl-file' || typeof file !== 'string') {
    throw new UsageError(
      `Job ${manifest.jobId} was made from a ${kind} source, not a file: resume it from code, with the same source.`,
    );
  }
  await jobSubmitCommand(ctx, file, { ...options, manifest: path });
}

/** The batches of a job, retrieved now (a failed retrieve leaves that chunk as last recorded). */
async function retrieveAll(
  ctx: Context,
  manifest: JobManifest,
): Promise<Map<string, MessageBatch>> {
  const batches = ctx.client().messages.batches;
  const ids = manifest.chunks.flatMap((c) => (c.batchId ? [c.batchId] : []));
  const found = new Map<string, MessageBatch>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const batch = await batches.retrieve(id, { signal: ctx.signal }).catch((error) => {
        if (ctx.signal.aborted) throw error;
        if (!ctx.json) ctx.note(`${id}: ${(error as Error).message}`);
        return undefined;
      });
      if (batch) found.set(id, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
  return found;
}

/** `msgbatch job status <manifest>`: each chunk's batch as it is now, and the totals. Writes nothing. */
export async function jobStatusCommand(ctx: Context, path: string) {
  const { store, manifest } = await loadManifest(path);
  const batches = await retrieveAll(ctx, manifest);
  if (ctx.json) return ctx.printJSON(jobJSON(manifest, store.file!, batches));
  printJob(ctx, manifest, store.file!, batches);
}

/** `msgbatch job wait <manifest>`: polls every batch of the job until all have ended. */
export async function jobWaitCommand(ctx: Context, path: string, options: JobWaitOptions) {
  const { store, manifest } = await loadManifest(path);
  const progress = batchProgress(ctx);
  let done: JobManifest;
  try {
    done = await ctx.client().messages.batches.waitForJob(manifest.jobId, {
      store,
      signal: ctx.signal,
      pollInterval: options.pollInterval === undefined ? undefined : options.pollInterval * 1000,
      maxWait: options.maxWait === undefined ? undefined : options.maxWait * 1000,
      onProgress: (event) => {
        if (event.type === 'batch-status') progress.update(event.batch);
      },
    });
  } catch (error) {
    progress.stop();
    if (ctx.signal.aborted) {
      ctx.note(
        `Stopped waiting. The job's batches keep running on the server; \`msgbatch job cancel ${store.file}\` stops them.`,
      );
    }
    throw error;
  }
  progress.stop();
  if (ctx.json) return ctx.printJSON(jobJSON(done, store.file!));
  printJob(ctx, done, store.file!);
}

/**
 * `msgbatch job cancel <manifest>`: cancels every batch of the job still in progress,
 * waits until each has ended, and reports per batch and in total which custom_ids
 * ended canceled, succeeded, errored or expired. Asks first on a terminal; off one it
 * needs `--yes`; `--dry-run` lists what would be canceled.
 */
export async function jobCancelCommand(ctx: Context, path: string, options: JobCancelOptions) {
  const { store, manifest } = await loadManifest(path);
  const batches = await retrieveAll(ctx, manifest);
  const running = manifest.chunks.filter(
    (c) => c.batchId && batches.get(c.batchId)?.processing_status === 'in_progress',
  );
  const list = running.map(
    (c) =>
      `chunk ${c.index}  ${c.batchId}  ${c.count} requests  created ${ctx.time(batches.get(c.batchId!)!.created_at)}`,
  );
  const n = running.length;
  const plural = `batch${n === 1 ? '' : 'es'}`;
  if (options.dryRun) {
    if (ctx.json) {
      return ctx.printJSON({
        dry_run: true,
        job_id: manifest.jobId,
        would_cancel: running.map((c) => c.batchId),
      });
    }
    ctx.print(
      `Would cancel ${n} ${plural} of job ${manifest.jobId} (nothing was sent)${n ? ':' : '.'}`,
    );
    for (const line of list) ctx.print(`  ${line}`);
    return;
  }
  if (n > 0 && !options.yes) {
    if (!ctx.interactive) {
      throw new UsageError(
        `Refusing to cancel ${n} ${plural} of job ${manifest.jobId} without confirmation: not a terminal. Add --yes (or --dry-run to see the list).`,
      );
    }
    ctx.note(`About to cancel ${n} ${plural} of job ${manifest.jobId}:`);
    for (const line of list) ctx.note(`  ${line}`);
    if (!(await confirm(ctx, `Cancel ${n === 1 ? 'it' : `these ${n}`}? [y/N] `))) {
      ctx.note('Nothing was canceled.');
      return;
    }
  }
  const progress = batchProgress(ctx);
  let report: JobCancelReport;
  try {
    report = await ctx.client().messages.batches.cancelJob(manifest.jobId, {
      store,
      signal: ctx.signal,
      concurrency: options.concurrency,
      onProgress: (event) => {
        if (event.type === 'batch-status') progress.update(event.batch);
      },
    });
  } finally {
    progress.stop();
  }
  if (ctx.json) {
    return ctx.printJSON({
      job_id: report.jobId,
      totals: report.totals,
      chunks: report.chunks.map((c) => ({
        chunk: c.chunk,
        batch_id: c.batchId,
        status: c.status,
        count: c.count,
        counts: idCounts(c.ids),
        ids: c.ids,
        ...(c.error ? { error: (c.error as Error).message ?? String(c.error) } : {}),
      })),
    });
  }
  const header = [
    'CHUNK',
    'BATCH',
    'CANCEL',
    'REQUESTS',
    'CANCELED',
    'SUCCEEDED',
    'ERRORED',
    'EXPIRED',
  ];
  const rows = report.chunks.map((c) => {
    const counts = idCounts(c.ids);
    return [
      String(c.chunk),
      c.batchId ?? '-',
      c.status + (c.error ? ` (${(c.error as Error).message})` : ''),
      String(c.count),
      String(counts.canceled),
      String(counts.succeeded),
      String(counts.errored),
      String(counts.expired),
    ];
  });
  const t = report.totals;
  rows.push([
    'TOTAL',
    '',
    '',
    String(sum(manifest.chunks, (c) => c.count)),
    String(t.canceled),
    String(t.succeeded),
    String(t.errored),
    String(t.expired),
  ]);
  for (const line of table(header, rows, ctx.color)) ctx.print(line);
  if (t.not_submitted > 0)
    ctx.print(`not submitted: ${t.not_submitted} requests (no batch was created for them)`);
  if (t.unknown > 0)
    ctx.print(`unknown: ${t.unknown} requests (a cancel or a results read failed)`);
}

const idCounts = (ids: JobCancelReport['chunks'][number]['ids']) => ({
  canceled: ids.canceled.length,
  succeeded: ids.succeeded.length,
  errored: ids.errored.length,
  expired: ids.expired.length,
});

const RESULT_TYPES = ['succeeded', 'errored', 'canceled', 'expired'];

/**
 * `msgbatch job results <manifest>`: every batch's results lines, each with its
 * `batch_id`, on stdout; or `-o FILE` written atomically; or `--summary`: counts and
 * token usage per batch and in total.
 */
export async function jobResultsCommand(ctx: Context, path: string, options: JobResultsOptions) {
  const { type } = options;
  if (type !== undefined && !RESULT_TYPES.includes(type)) {
    throw new UsageError(`--type must be one of ${RESULT_TYPES.join(', ')}; got "${type}".`);
  }
  const { store, manifest } = await loadManifest(path);
  const client = ctx.client();
  if (options.out !== undefined) {
    const progress = downloadProgress(ctx, manifest.jobId);
    const total = manifest.totals?.requests ?? sum(manifest.chunks, (c) => c.count);
    try {
      const written = await writeJobResultsFile(client, manifest.jobId, options.out, {
        store,
        type,
        signal: ctx.signal,
        onProgress: ({ read }) => progress.update(read, total),
      });
      progress.stop();
      if (ctx.json) return ctx.printJSON({ job_id: manifest.jobId, ...written });
      ctx.print(
        `Wrote ${written.written} lines of ${written.batches.length} batches to ${written.path}`,
      );
      for (const [t, n] of Object.entries(written.counts)) ctx.print(`${t}: ${n}`);
      return;
    } finally {
      progress.stop();
    }
  }
  if (options.summary) {
    const summary = await client.messages.batches.summarizeJob(manifest.jobId, {
      store,
      signal: ctx.signal,
    });
    if (ctx.json) {
      const withIds = (ids: Record<string, string[]>) => (type ? { custom_ids: ids[type] } : {});
      return ctx.printJSON({
        job_id: summary.jobId,
        counts: summary.counts,
        usage: summary.usage,
        ...withIds(summary.ids as unknown as Record<string, string[]>),
        batches: summary.batches.map((b) => ({
          chunk: b.chunk,
          batch_id: b.batchId,
          counts: b.counts,
          usage: b.usage,
        })),
      });
    }
    const header = [
      'CHUNK',
      'BATCH',
      'SUCCEEDED',
      'ERRORED',
      'CANCELED',
      'EXPIRED',
      'INPUT_TOKENS',
      'OUTPUT_TOKENS',
    ];
    const row = (
      chunk: string,
      batch: string,
      s: (typeof summary.batches)[number] | typeof summary,
    ) => [
      chunk,
      batch,
      String(s.counts.succeeded),
      String(s.counts.errored),
      String(s.counts.canceled),
      String(s.counts.expired),
      String(s.usage.input_tokens),
      String(s.usage.output_tokens),
    ];
    const rows = summary.batches.map((b) => row(String(b.chunk), b.batchId, b));
    rows.push(row('TOTAL', '', summary));
    for (const line of table(header, rows, ctx.color)) ctx.print(line);
    const u = summary.usage;
    ctx.print(
      `usage: input_tokens=${u.input_tokens} output_tokens=${u.output_tokens} cache_creation_input_tokens=${u.cache_creation_input_tokens} cache_read_input_tokens=${u.cache_read_input_tokens}`,
    );
    if (type) {
      for (const id of (summary.ids as unknown as Record<string, string[]>)[type] ?? [])
        ctx.print(id);
    }
    return;
  }
  const { stdout } = ctx.io;
  for await (const line of client.messages.batches.jobResults(manifest.jobId, {
    store,
    signal: ctx.signal,
  })) {
    if (type !== undefined && line.result.type !== type) continue;
    if (!stdout.write(`${JSON.stringify(line)}\n`) && stdout.once) {
      await new Promise<void>((resolve) => stdout.once!('drain', resolve));
    }
  }
}
