// Figures 4–7: results streaming. Every variant runs in a process of its own
// (results-worker.mjs) against the fixture server, so heaps and JITs never share state;
// the timed figures interleave the variants round by round, so load drifts hit all alike.
import { execFileSync, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resultsLength } from './lines.mjs';
import { summary, throughput } from './stats.mjs';

const worker = fileURLToPath(new URL('results-worker.mjs', import.meta.url));

function runWorker(args, execArgv = []) {
  return JSON.parse(
    execFileSync(process.execPath, [...execArgv, worker, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    }),
  );
}

/** Forks one warmed-up worker per variant and runs them in turn, `runs` rounds; ms per run. */
async function interleaved(variants, url, id, runs) {
  const workers = {};
  const times = {};
  const cpu = {};
  const next = (child) => new Promise((resolve) => child.once('message', resolve));
  try {
    for (const variant of variants) {
      // One at a time, so a warm-up never overlaps another variant's work.
      const child = fork(worker, [variant, url, id, String(runs)], { stdio: 'inherit' });
      await next(child);
      workers[variant] = child;
      times[variant] = [];
      cpu[variant] = [];
    }
    let lines = {};
    for (let round = 0; round < runs; round++) {
      for (const variant of variants) {
        const reply = next(workers[variant]);
        workers[variant].send({ run: true });
        const r = await reply;
        times[variant].push(r.ms);
        cpu[variant].push(r.cpuMs);
        lines = { ...lines, [variant]: r.lines };
      }
    }
    return { times, cpu, lines };
  } finally {
    for (const child of Object.values(workers)) child.disconnect();
  }
}

/** Figures 4 and 5: the same 200,000 lines through each reader; MB/s per run. */
export async function runThroughput({ url, lines = 200_000, runs = 5, variants }) {
  const id = `msgbatch_lines_${lines}`;
  const bytes = resultsLength(lines);
  const out = { bytes, lines };
  const r = await interleaved(variants, url, id, runs);
  for (const variant of variants) {
    if (r.lines[variant] !== lines && variant !== 'drain') {
      throw new Error(`${variant} read ${r.lines[variant]} lines, expected ${lines}`);
    }
    out[variant] = {
      ...throughput(bytes, r.times[variant]),
      ms: summary(r.times[variant]),
      cpuMs: summary(r.cpu[variant]),
    };
  }
  return out;
}

/** Figure 6: one line of `megabytes` MB; seconds per run. */
export async function runBigLine({ url, megabytes = 8, runs = 5, variants }) {
  const id = `msgbatch_bigline_${megabytes}`;
  const r = await interleaved(variants, url, id, runs);
  const out = {};
  for (const variant of variants) {
    if (r.lines[variant] !== 1)
      throw new Error(`${variant} read ${r.lines[variant]} lines, expected 1`);
    // Seconds per run, and the reader's CPU seconds beside them.
    out[variant] = {
      ...summary(r.times[variant].map((ms) => ms / 1000)),
      cpu: summary(r.cpu[variant].map((ms) => ms / 1000)),
    };
  }
  return out;
}

/** Figure 7: peak RSS over the process's own baseline while reading `lines` lines; MB per run. */
export function runRss({ url, lines, runs = 5, variant }) {
  const id = `msgbatch_lines_${lines}`;
  const added = [];
  const peaks = [];
  let baseline = 0;
  for (let i = 0; i < runs; i++) {
    const r = runWorker([variant, url, id, '1', '--rss'], ['--expose-gc']);
    if (r.lines !== lines) throw new Error(`${variant} read ${r.lines} lines, expected ${lines}`);
    // VmHWM is the kernel's own high-water mark, so short spikes between samples count too.
    const peak = Math.max(r.peak, r.hwm);
    added.push((peak - r.baseline) / 1e6);
    peaks.push(peak / 1e6);
    baseline = r.baseline / 1e6;
  }
  return { bytes: resultsLength(lines), added: summary(added), peak: summary(peaks), baseline };
}
