// Figure 3: cancel round trips, sequential and 16 in flight; ratios are throughput vs raw fetch.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { summary } from './stats.mjs';

const worker = fileURLToPath(new URL('cancel-worker.mjs', import.meta.url));

export function run({ url, runs = 5, sequential = 1000, parallel = 3000 }) {
  const raw = JSON.parse(
    execFileSync(
      process.execPath,
      [worker, url, String(runs), String(sequential), String(parallel)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    ),
  );
  const out = {};
  for (const [mode, n] of [
    ['sequential', sequential],
    ['parallel', parallel],
  ]) {
    out[mode] = {};
    for (const [name, times] of Object.entries(raw[mode])) {
      // Requests per second of each run.
      out[mode][name] = summary(times.map((ms) => n / (ms / 1000)));
    }
  }
  return out;
}
