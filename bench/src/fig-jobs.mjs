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

const mark = (ok) => (ok ? '✅ met' : '❌ missed');
const x = (n) => `${n.toFixed(2)}×`;

/** The RESULTS.md rows of figures 9–11 (columns: figure, floor, official, msgbatch, target, mark). */
export function rows(j, c) {
  const st = j.submit.stages;
  const stage = (s) =>
    s
      ? `+${s.rssAdded.toFixed(0)} MB (heap ${s.heapUsed.toFixed(0)} MB, array buffers ${s.arrayBuffers.toFixed(0)} MB)`
      : '—';
  return [
    [
      `\`createJob\` of a ${j.requests.toLocaleString('en')}-request JSONL file (${(j.bytes / 1e9).toFixed(2)} GB of realistic requests, ${j.batches} batches): peak RSS over the process baseline`,
      '—',
      '— (no equivalent)',
      `+${j.submit.added.toFixed(0)} MB; checking pass ${stage(st.checking)}, sending ${stage(st.sending)}; ${j.submit.seconds.toFixed(0)} s (checking ${j.submit.checkedSeconds.toFixed(0)} s)`,
      '< +128 MB at 1,000,000 requests',
      mark(j.submit.added < 128 && j.requests >= 1_000_000),
    ],
    [
      `\`jobResults\` merging that job's ${j.results.lines.toLocaleString('en')} result lines: peak RSS over the process baseline`,
      '—',
      '— (no equivalent)',
      `+${j.results.added.toFixed(0)} MB; ${j.results.seconds.toFixed(0)} s`,
      'constant memory (≤ +64 MB, as one batch read alone)',
      mark(j.results.added <= 64 && j.requests >= 1_000_000),
    ],
    [
      `\`cancelJob\` of a job of ${c.batches} in-progress batches (${c.count.toLocaleString('en')} requests), emulator limited to ${c.rpm} requests/minute (both clocks ×${c.scale})`,
      `limit-bound ${c.limitBoundSeconds} s (3 requests a batch)`,
      '— (no equivalent)',
      `${c.emulatorSeconds.toFixed(0)} s emulator time = ${x(c.ratio)} the limit-bound time; ${c.everyCanceled ? 'every batch canceled' : 'NOT EVERY BATCH CANCELED'}, ${c.accounted ? 'every id accounted for' : 'IDS MISSING'} (${Object.entries(
        c.totals,
      )
        .filter(([, n]) => n)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}); ${c.requests} requests (${Object.entries(c.byOperation)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}); ${c.wallSeconds.toFixed(1)} s wall`,
      '≤ 1.1× limit-bound, every batch canceled, every id accounted for',
      mark(c.ratio <= 1.1 && c.everyCanceled && c.accounted),
    ],
  ];
}

/** How figures 9–11 are measured (a bullet of RESULTS.md). */
export function method(c) {
  return `- **Jobs (issue 15)**: \`tools/job-requests\` writes the JSONL file once (realistic requests: a
  system prompt, one to five turns, sometimes a tool or metadata; a few hundred bytes to a few KB
  each, ~1.2 KB on average). The emulator runs in a process of its own
  (\`src/jobs-emulator-server.mjs\`, processing instant, no rate limit) so only the client's memory
  counts; the submitter (\`src/jobs-worker.mjs\`) is a fresh process running
  \`client.messages.batches.createJob(jsonlFileSource(file), { store: new FileJobStore(dir) })\`
  with the defaults (100,000 requests a batch, 2 creates in flight); RSS is sampled every 20 ms,
  split at the \`checked\` event (the checking pass over the whole file, then the sending), and the
  kernel's \`VmHWM\` counts; baseline = RSS after the imports and a \`gc()\`. The merge is
  \`for await (const line of client.messages.batches.jobResults(jobId, { store }))\` in another
  fresh process, counting lines. \`cancelJob\`: a job of ${c.batches} batches of ${c.count / c.batches} requests, created
  beforehand under the same limit (not measured), then \`cancelJob(jobId, { store })\` with the
  emulator's manual clock and the client's clock both running ×${c.scale}; the limit-bound time is
  3 requests a batch (cancel, a retrieve that sees it ended, its results) at ${c.rpm} a minute. One run
  each. Alone: \`node src/fig-jobs.mjs\` (\`BENCH_JOBS_REQUESTS\`, default 1,000,000; \`--write\`
  replaces these rows in RESULTS.md).`;
}

const METHOD_END = 'replaces these rows in RESULTS.md).';

/** Replaces the jobs rows and their bullet in RESULTS.md, leaving every other figure as it was. */
function writeRows(j, c) {
  const path = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
  const text = readFileSync(path, 'utf8');
  const ours = /^\| `(createJob|jobResults|cancelJob)` /;
  const lines = text.split('\n').filter((line) => !ours.test(line));
  const last = lines.findLastIndex((line) => line.startsWith('| '));
  lines.splice(last + 1, 0, ...rows(j, c).map((r) => `| ${r.join(' | ')} |`));
  let out = lines.join('\n');
  const start = out.indexOf('- **Jobs (issue 15)**');
  if (start !== -1) {
    const end = out.indexOf('\n', out.indexOf(METHOD_END, start));
    out = out.slice(0, start) + out.slice(end === -1 ? out.length : end + 1);
  }
  const when = new Date().toISOString().slice(0, 10);
  const submitted = j.measuredOn ? j.measuredOn.slice(0, 10) : when;
  out = `${out.trimEnd()}\n${method(c)} The jobs rows were last written by \`node src/fig-jobs.mjs --write\` on ${when} (submit and merge measured on ${submitted}).\n`;
  writeFileSync(path, out);
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
