// Figure 3: cancel round trips, sequential and 16 in flight; msgbatch's ratio is its
// throughput over ky alone's (ky called as msgbatch's transport calls it), with raw fetch,
// `node:http` and the official client as references. CPU: the client process's time per request.
// Ratios are paired: each round's figure over ky's in the same round, then the median of those.
// This machine's speed drifts by tens of percent over seconds; a client and ky measured
// moments apart see the same machine, where medians taken separately would not.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { summary } from './stats.mjs';

const worker = fileURLToPath(new URL('cancel-worker.mjs', import.meta.url));

export function run({ url, runs = 20, sequential = 250, parallel = 750 }) {
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
  const out = { cpu: {}, vsKy: {}, cpuVsKy: {} };
  for (const [mode, n] of [
    ['sequential', sequential],
    ['parallel', parallel],
  ]) {
    out[mode] = {};
    out.cpu[mode] = {};
    out.vsKy[mode] = {};
    out.cpuVsKy[mode] = {};
    const ky = raw[mode].ky;
    const kyCpu = raw.cpu[mode].ky;
    for (const [name, times] of Object.entries(raw[mode])) {
      // Requests per second of each run, and CPU µs per request.
      out[mode][name] = summary(times.map((ms) => n / (ms / 1000)));
      out.cpu[mode][name] = summary(raw.cpu[mode][name].map((ms) => (ms * 1000) / n));
      // Throughput over ky's in the same round (ky's time over this client's), by wall and CPU.
      out.vsKy[mode][name] = summary(times.map((ms, round) => ky[round] / ms));
      out.cpuVsKy[mode][name] = summary(raw.cpu[mode][name].map((ms, round) => kyCpu[round] / ms));
    }
  }
  return out;
}
