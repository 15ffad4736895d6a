// One results variant in a fresh process; prints JSON.
//   node results-worker.mjs <variant> <baseURL> <batchId> <runs> [--rss]
// Forked with IPC instead, it warms up once, then runs once per `{ run: true }` message and
// replies `{ ms, cpuMs, lines, check }` (cpuMs: user + system time of this process), so the parent can interleave variants round by round.
// Variants: msgbatch, official, handwritten, textparse, drain, summarize.
// With --rss, a single run samples the resident set (and reads VmHWM) instead of timing.
import { readFileSync } from 'node:fs';

const [variant, baseURL, batchId, runsArg, flag] = process.argv.slice(2);
const runs = Number(runsArg);
const apiKey = 'sk-ant-bench';

// Each worker loads only the client its variant uses.
const msgbatch = ['msgbatch', 'lines', 'summarize'].includes(variant)
  ? new (await import('@msgbatch/node')).Anthropic({ apiKey, baseURL, maxRetries: 0 })
  : null;
const official =
  variant === 'official'
    ? new (await import('@anthropic-ai/sdk')).default({ apiKey, baseURL, maxRetries: 0 })
    : null;

/** Each variant returns { lines, bytes?, check } so the work cannot be optimized away. */
const variants = {
  async msgbatch() {
    let lines = 0;
    let tokens = 0;
    for await (const line of msgbatch.messages.batches.results(batchId)) {
      lines++;
      if (line.result.type === 'succeeded') tokens += line.result.message.usage.output_tokens;
    }
    return { lines, check: tokens };
  },
  async lines() {
    // msgbatch's raw lines + JSON.parse, no validation: what the checks cost, by difference.
    let lines = 0;
    let tokens = 0;
    for await (const text of (await msgbatch.messages.batches.results(batchId)).lines()) {
      const line = JSON.parse(text);
      lines++;
      if (line.result.type === 'succeeded') tokens += line.result.message.usage.output_tokens;
    }
    return { lines, check: tokens };
  },
  async official() {
    let lines = 0;
    let tokens = 0;
    for await (const line of await official.messages.batches.results(batchId)) {
      lines++;
      if (line.result.type === 'succeeded') tokens += line.result.message.usage.output_tokens;
    }
    return { lines, check: tokens };
  },
  async handwritten() {
    const response = await fetch(`${baseURL}/v1/messages/batches/${batchId}/results`, {
      headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
    });
    const decoder = new TextDecoder();
    let rest = '';
    let lines = 0;
    let tokens = 0;
    const take = (line) => {
      if (line.length === 0) return;
      const value = JSON.parse(line);
      lines++;
      if (value.result.type === 'succeeded') tokens += value.result.message.usage.output_tokens;
    };
    for await (const chunk of response.body) {
      const parts = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = parts.pop();
      for (const line of parts) take(line);
    }
    take(rest + decoder.decode());
    return { lines, check: tokens };
  },
  async textparse() {
    // The linear floor for one long line: the whole body as text, one JSON.parse per line.
    const response = await fetch(`${baseURL}/v1/messages/batches/${batchId}/results`, {
      headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
    });
    let lines = 0;
    for (const line of (await response.text()).split('\n')) {
      if (line) {
        JSON.parse(line);
        lines++;
      }
    }
    return { lines, check: lines };
  },
  async drain() {
    const response = await fetch(`${baseURL}/v1/messages/batches/${batchId}/results`, {
      headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
    });
    let bytes = 0;
    for await (const chunk of response.body) bytes += chunk.length;
    return { lines: 0, bytes, check: bytes };
  },
  async summarize() {
    const summary = await msgbatch.messages.batches.summarizeResults(batchId);
    // The fixture's request_counts agree with its results: anything else is a bug to see.
    if (!summary.reconciled)
      throw new Error(`not reconciled: ${JSON.stringify(summary.mismatches)}`);
    return { lines: summary.lines, check: summary.counts.succeeded };
  },
};

const work = variants[variant];
if (!work) throw new Error(`unknown variant ${variant}`);

if (flag === '--rss') {
  const kb = (field) =>
    Number(readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))[1]);
  // Settle the heap of the imports before taking the baseline.
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  const baselineHWM = kb('VmHWM') * 1024;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const hwm = kb('VmHWM') * 1024;
  process.stdout.write(
    JSON.stringify({ baseline, peak, hwm, baselineHWM, ms, lines: result.lines }),
  );
} else if (process.send) {
  await work(); // warm-up
  process.on('message', async () => {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const result = await work();
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    process.send({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      lines: result.lines,
      check: result.check,
    });
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
} else {
  await work(); // warm-up
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await work();
    times.push(performance.now() - start);
  }
  process.stdout.write(JSON.stringify({ times, lines: last.lines, check: last.check }));
}
