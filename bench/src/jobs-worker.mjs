// The jobs figure's client, one job operation in a fresh process; prints JSON.
//   node --expose-gc jobs-worker.mjs submit <baseURL> <requests.jsonl> <storeDir> <jobId>
//     createJob over the JSONL file; resident set sampled every 20 ms and split by stage
//     (checking: until the `checked` event; sending: after it), plus the kernel's VmHWM.
//   node --expose-gc jobs-worker.mjs results <baseURL> - <storeDir> <jobId>
//     jobResults over the job: lines counted (each custom_id once), resident set sampled.
// Baseline: RSS after the imports and a gc(); "added" = peak − baseline, in the parent.
import { readFileSync } from 'node:fs';
import { Anthropic, FileJobStore, jsonlFileSource } from '@msgbatch/node';

const [mode, baseURL, file, storeDir, jobId] = process.argv.slice(2);
const client = new Anthropic({ apiKey: 'sk-ant-bench', baseURL, logLevel: 'off' });
const store = new FileJobStore(storeDir);
const kb = (field) =>
  Number(readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))[1]) *
  1024;

globalThis.gc?.();
const baseline = process.memoryUsage().rss;
const stages = {};
let stage = mode === 'submit' ? 'checking' : 'reading';
const sample = () => {
  const m = process.memoryUsage();
  stages[stage] ??= { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const s = stages[stage];
  s.rss = Math.max(s.rss, m.rss);
  s.heapUsed = Math.max(s.heapUsed, m.heapUsed);
  s.external = Math.max(s.external, m.external);
  s.arrayBuffers = Math.max(s.arrayBuffers, m.arrayBuffers);
};
const timer = setInterval(sample, 20);
const start = performance.now();
const out = { mode, baseline };

if (mode === 'submit') {
  const marks = {};
  const manifest = await client.messages.batches.createJob(jsonlFileSource(file), {
    store,
    jobId,
    onProgress(event) {
      if (event.type === 'checked') {
        sample();
        marks.checkedMs = performance.now() - start;
        stage = 'sending';
      }
    },
  });
  out.chunks = manifest.chunks.length;
  out.requests = manifest.totals?.requests;
  out.state = manifest.state;
  out.checkedMs = marks.checkedMs;
} else {
  let lines = 0;
  const ids = new Set();
  let repeated = 0;
  for await (const line of client.messages.batches.jobResults(jobId, { store })) {
    lines++;
    // A set of a million short strings is itself ~60 MB: counted apart from the stream.
    if (process.env.BENCH_JOBS_CHECK_IDS === '1') {
      if (ids.has(line.custom_id)) repeated++;
      ids.add(line.custom_id);
    }
  }
  out.lines = lines;
  out.repeated = repeated;
}
out.ms = performance.now() - start;
clearInterval(timer);
sample();
out.stages = stages;
out.peak = Math.max(...Object.values(stages).map((s) => s.rss));
out.hwm = kb('VmHWM');
process.stdout.write(JSON.stringify(out));
