import type { MessageBatch } from '@msgbatch/node';
import cliProgress from 'cli-progress';
import type { Context } from './context.ts';
import { countsText, elapsedText, totalOf } from './format.ts';

/** Shows how batches move toward `ended`. */
export interface BatchProgress {
  /** Reports a batch's latest state. */
  update(batch: MessageBatch): void;
  /** Ends the display (the bars stay on screen as they last were). */
  stop(): void;
}

// Elapsed time before the counts, so a narrow terminal cuts the least useful part.
const BATCH_FORMAT =
  '{label} [{bar}] {percentage}% {status} {duration_formatted} | ok {succeeded} err {errored} canceled {canceled} expired {expired}';
// Until a batch's counts move: the API keeps every request `processing` until a batch
// ends, so a bar would sit at 0 % and jump to 100 %.
const STILL_FORMAT =
  '{label} {status} {duration_formatted} | {processing} processing, ok {succeeded} err {errored} canceled {canceled} expired {expired}';

function payload(batch: MessageBatch, label: string) {
  const { processing, succeeded, errored, canceled, expired } = batch.request_counts;
  return {
    label,
    status: batch.processing_status,
    processing,
    succeeded,
    errored,
    canceled,
    expired,
  };
}

/**
 * Progress of one or more batches: live bars (done = total − processing) on a
 * terminal; otherwise no frames, only each batch's last state as one line on stderr
 * when the display stops; nothing with `--json`.
 */
export function batchProgress(ctx: Context): BatchProgress {
  const started = Date.now();
  if (ctx.json) return { update() {}, stop() {} };
  if (!ctx.liveProgress) {
    const last = new Map<string, MessageBatch>();
    return {
      update: (batch) => last.set(batch.id, batch),
      stop() {
        for (const batch of last.values()) {
          ctx.note(
            `${batch.id} ${batch.processing_status} ${countsText(batch.request_counts)} elapsed=${elapsedText(Date.now() - started)}`,
          );
        }
        last.clear();
      },
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      format: BATCH_FORMAT,
      stream: ctx.io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 16,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; moved: boolean; firstDone: number }>();
  return {
    update(batch) {
      const total = totalOf(batch);
      const done = total - batch.request_counts.processing;
      const data = payload(batch, batch.id);
      const shown = bars.get(batch.id);
      const ended = batch.processing_status === 'ended';
      if (shown && (shown.moved || ended || done === shown.firstDone)) {
        shown.bar.setTotal(total);
        shown.bar.update(done, data);
        return;
      }
      // First sight, or the counts just moved: (re)create the bar with the right format.
      if (shown) multi.remove(shown.bar);
      const moved = shown !== undefined && done !== shown.firstDone && !ended;
      const bar = multi.create(total, done, data, { format: moved ? BATCH_FORMAT : STILL_FORMAT });
      bars.set(batch.id, { bar, moved, firstDone: shown?.firstDone ?? done });
    },
    stop() {
      if (bars.size > 0) multi.stop();
      bars.clear();
    },
  };
}

/** Shows a download's lines: a bar on a terminal; otherwise nothing (the command reports the end). */
export function downloadProgress(ctx: Context, label: string) {
  if (ctx.json || !ctx.liveProgress) return { update(_read: number, _total: number) {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} lines | {duration_formatted}`,
      stream: ctx.io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      barsize: 24,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(read: number, total: number) {
      if (!started) {
        started = true;
        bar.start(total, read);
      } else bar.update(read);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** Shows a job's submission: how many of its batches are created. */
export interface JobProgress {
  /** Every request was checked: `chunks` batches to create. */
  checked(requests: number, chunks: number): void;
  /** One more batch was created (`created` of `chunks` so far). */
  created(created: number, chunks: number, label: string): void;
  /** Something to say while it runs (a pause, a reconciled chunk). */
  note(line: string): void;
  stop(): void;
}

/**
 * Progress of `job submit`: on a terminal a bar of the batches created (notes printed
 * above it); otherwise a line per event on stderr; nothing with `--json`.
 */
export function jobProgress(ctx: Context): JobProgress {
  if (ctx.json) return { checked() {}, created() {}, note() {}, stop() {} };
  if (!ctx.liveProgress) {
    return {
      checked: (requests, chunks) =>
        ctx.note(`checked ${requests} requests: ${chunks} batch${chunks === 1 ? '' : 'es'}`),
      created: (created, chunks, label) => ctx.note(`${label} (${created}/${chunks})`),
      note: (line) => ctx.note(line),
      stop() {},
    };
  }
  ctx.note('checking the requests…');
  const multi = new cliProgress.MultiBar(
    {
      format: 'submitting [{bar}] {value}/{total} batches | {duration_formatted} | {last}',
      stream: ctx.io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 20,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    checked(requests, chunks) {
      multi.log(`checked ${requests} requests: ${chunks} batch${chunks === 1 ? '' : 'es'}\n`);
      bar ??= multi.create(chunks, 0, { last: '' });
    },
    created(created, chunks, label) {
      bar ??= multi.create(chunks, 0, { last: '' });
      bar.setTotal(chunks);
      bar.update(created, { last: label });
    },
    // cli-progress prints a log line on its next redraw, and there is none before a bar
    // exists (a resume reconciling, or waiting for a late batch, before anything is sent).
    note: (line) => (bar ? multi.log(`${line}\n`) : ctx.note(line)),
    stop() {
      multi.stop();
    },
  };
}
