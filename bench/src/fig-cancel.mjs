// Figure 3: cancel round trips, sequential and 16 in flight; msgbatch's ratio is its
// throughput over ky alone's (ky called as msgbatch's transport calls it), with raw fetch,
// `node:http` and the official client as references. CPU: the client process's time per request.
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
  const out = { cpu: {} };
  for (const [mode, n] of [
    ['sequential', sequential],
    ['parallel', parallel],
  ]) {
    out[mode] = {};
    out.cpu[mode] = {};
    for (const [name, times] of Object.entries(raw[mode])) {
      // Requests per second of each run, and CPU µs per request.
      out[mode][name] = summary(times.map((ms) => n / (ms / 1000)));
      out.cpu[mode][name] = summary(raw.cpu[mode][name].map((ms) => (ms * 1000) / n));
    }
  }
  return out;
}
