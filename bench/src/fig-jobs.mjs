// Figures 9–11 (issue 15): jobs.
//  9. Peak RSS over the process baseline while `createJob` submits a JSONL file of realistic
//     requests (default 1,000,000: ten batches), the submitter in a child process of its own
//     (jobs-worker.mjs) and the emulator in another (jobs-emulator-server.mjs), so only the
//     client's memory counts; split by stage (checking pass vs sending).
// 10. Peak RSS while `jobResults` merges that job's results (every line, in chunk order).
// 11. `cancelJob` on a job of ten in-progress batches against the rate-limited emulator:
//     every batch canceled, every id accounted for, emulator time over the limit-bound time.
// Sizes come from the arguments (run.mjs) or env when run alone:
//   BENCH_JOBS_REQUESTS=100000 node bench/src/fig-jobs.mjs     # all three, a smaller job
//   BENCH_JOBS_CANCEL=only | skip node bench/src/fig-jobs.mjs  # the cancel figure alone / without it
//   node bench/src/fig-jobs.mjs --write                        # replace the jobs rows of RESULTS.md
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobRequest, writeJobRequests } from '@msgbatch/job-requests';
import { FileJobStore, Anthropic as Msgbatch } from '@msgbatch/node';
import { startServer } from './server.mjs';

const worker = fileURLToPath(new URL('jobs-worker.mjs', import.meta.url));
const serverScript = fileURLToPath(new URL('jobs-emulator-server.mjs', import.meta.url));

/** The requests file, generated once per size and kept in the temp dir (~1.2 KB a line). */
export async function requestsFile(count) {
  const path = join(tmpdir(), `msgbatch-bench-jobs-${count}-realistic.jsonl`);
  const sidecar = `${path}.bytes`;
  if (existsSync(path) && existsSync(sidecar)) {
    const bytes = Number(readFileSync(sidecar, 'utf8'));
    if (statSync(path).size === bytes) return { path, bytes };
  }
  const { bytes } = await writeJobRequests(path, count, { kind: 'realistic' });
  writeFileSync(sidecar, String(bytes));
  return { path, bytes };
}

function runWorker(args, extraEnv = {}) {
  return JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', worker, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
}

const mb = (bytes) => bytes / 1e6;
const added = (r) => mb(Math.max(r.peak, r.hwm) - r.baseline);
const ask = (child, message, key) =>
  new Promise((resolve) => {
    const onMessage = (reply) => {
      if (key in reply) {
        child.off('message', onMessage);
        resolve(reply);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });

/** Figures 9 and 10. */
export async function runSubmit({ requests = 1_000_000 } = {}) {
  const file = await requestsFile(requests);
  // The emulator holds every request it is sent: give its process room.
  const server = await startServer(serverScript, ['fast'], ['--max-old-space-size=16384']);
  const storeDir = mkdtempSync(join(tmpdir(), 'msgbatch-bench-jobs-'));
  try {
    const jobId = `job_bench_${requests}`;
    const submit = runWorker(['submit', server.url, file.path, storeDir, jobId]);
    if (submit.requests !== requests || submit.state !== 'submitted') {
      throw new Error(`submitted ${submit.requests} of ${requests} (${submit.state})`);
    }
    const stats = await ask(server.child, { stats: true }, 'batches');
    if (stats.requests !== requests)
      throw new Error(`the emulator holds ${stats.requests} requests`);
    const results = runWorker(['results', server.url, '-', storeDir, jobId]);
    if (results.lines !== requests) throw new Error(`merged ${results.lines} of ${requests} lines`);
    return {
      requests,
      bytes: file.bytes,
      batches: stats.batches,
      submit: {
        added: added(submit),
        baseline: mb(submit.baseline),
        seconds: submit.ms / 1000,
        checkedSeconds: submit.checkedMs / 1000,
        stages: Object.fromEntries(
          Object.entries(submit.stages).map(([k, s]) => [
            k,
            {
              rssAdded: mb(s.rss - submit.baseline),
              heapUsed: mb(s.heapUsed),
              external: mb(s.external),
              arrayBuffers: mb(s.arrayBuffers),
            },
          ]),
        ),
      },
      results: {
        added: added(results),
        baseline: mb(results.baseline),
        seconds: results.ms / 1000,
        lines: results.lines,
      },
    };
  } finally {
    await server.stop();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

/** A client clock SCALE times faster than real time (as fig-cancel-many's). */
function scaledClock(scale) {
  const origin = Date.now();
  const t0 = performance.now();
  return {
    now: () => origin + (performance.now() - t0) * scale,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms / scale);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  };
}

/**
 * Figure 11. The limit-bound time is the fewest requests a cancel of every batch can take —
 * per batch a cancel, a retrieve that sees it ended, its results: 3 — at `rpm` a minute.
 */
export async function runCancel({ batches = 10, perBatch = 100, rpm = 12, scale = 20 } = {}) {
  const server = await startServer(serverScript, ['limited', String(scale), String(rpm)]);
  const storeDir = mkdtempSync(join(tmpdir(), 'msgbatch-bench-jobs-cancel-'));
  try {
    const client = new Msgbatch({
      apiKey: 'sk-ant-bench',
      baseURL: server.url,
      clock: scaledClock(scale),
      logLevel: 'off',
    });
    const store = new FileJobStore(storeDir);
    const count = batches * perBatch;
    const requests = Array.from({ length: count }, (_, i) => jobRequest(i, { kind: 'tiny' }));
    // Setup (not measured): the job's batches, created under the same limit.
    await ask(server.child, { go: true }, 'started');
    const job = await client.messages.batches.createJob(requests, {
      store,
      jobId: 'job_bench_cancel',
      maxRequestsPerBatch: perBatch,
    });
    await ask(server.child, { stop: true }, 'emulatorMs');
    if (job.chunks.length !== batches)
      throw new Error(`${job.chunks.length} batches, not ${batches}`);

    await ask(server.child, { go: true }, 'started');
    const wallStart = performance.now();
    const report = await client.messages.batches.cancelJob(job.jobId, { store });
    const wall = performance.now() - wallStart;
    const {
      emulatorMs,
      requests: sent,
      byOperation,
    } = await ask(server.child, { stop: true }, 'emulatorMs');
    const t = report.totals;
    const accounted = t.canceled + t.succeeded + t.errored + t.expired;
    const everyCanceled = report.chunks.every((c) => c.status === 'canceled');
    const limitBoundMs = ((3 * batches) / rpm) * 60_000;
    return {
      batches,
      count,
      rpm,
      scale,
      everyCanceled,
      accounted: accounted === count && t.not_submitted === 0 && t.unknown === 0,
      totals: t,
      requests: sent,
      byOperation,
      emulatorSeconds: emulatorMs / 1000,
      limitBoundSeconds: limitBoundMs / 1000,
      ratio: emulatorMs / limitBoundMs,
      wallSeconds: wall / 1000,
    };
  } finally {
    await server.stop();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

// Run alone: print the figures as JSON (and with --write, put them in RESULTS.md). Each
// submit figure is also kept in bench/.tmp/, so `BENCH_JOBS_CANCEL=only … --write` can
// re-measure the cancel figure beside the last million-request submit (its date is shown).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = {};
  const requests = Number(process.env.BENCH_JOBS_REQUESTS ?? 1_000_000);
  const kept = fileURLToPath(new URL(`../.tmp/fig-jobs-submit-${requests}.json`, import.meta.url));
  if (process.env.BENCH_JOBS_CANCEL !== 'only') {
    out.submit = { ...(await runSubmit({ requests })), measuredOn: new Date().toISOString() };
    mkdirSync(dirname(kept), { recursive: true });
    writeFileSync(kept, JSON.stringify(out.submit, null, 2));
  } else if (existsSync(kept)) {
    out.submit = JSON.parse(readFileSync(kept, 'utf8'));
  }
  if (process.env.BENCH_JOBS_CANCEL !== 'skip') out.cancel = await runCancel();
  console.log(JSON.stringify(out, null, 2));
  if (process.argv.includes('--write') && out.submit && out.cancel)
    writeRows(out.submit, out.cancel);
}
