// Figure 2: Node cold import, added over a bare `node -e 0`: fresh processes, interleaved
// so that machine load hits every variant alike; medians of many runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { summary } from './stats.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));

export const variants = {
  bare: ['-e', '0'],
  msgbatch: ['--input-type=module', '-e', "await import('@msgbatch/node')"],
  official: ['--input-type=module', '-e', "await import('@anthropic-ai/sdk')"],
  // ky alone: its import-time feature check builds a Request, which loads Node's fetch.
  ky: ['--input-type=module', '-e', "await import('ky')"],
};

function once(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: benchDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return performance.now() - start;
}

/** @returns per variant the summary of wall times (ms), warm-up excluded. */
export function run({ runs = 20 } = {}) {
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const args of Object.values(variants)) once(args); // warm-up: file cache
  for (let i = 0; i < runs; i++) {
    for (const [key, args] of Object.entries(variants)) times[key].push(once(args));
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summary(v)]));
}
