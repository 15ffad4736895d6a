// A quick look at figures 4–5 only (not part of `pnpm bench`): the results readers against the
// fixture server, interleaved as run.mjs does. Build the packages first.
//   node bench/src/quick-results.mjs [runs=3] [variants=official,msgbatch,summarize,handwritten]
import { fileURLToPath } from 'node:url';
import * as results from './fig-results.mjs';
import { startServer } from './server.mjs';

const runs = Number(process.argv[2] ?? 3);
const variants = (process.argv[3] ?? 'official,msgbatch,summarize,handwritten').split(',');
const fixture = await startServer(fileURLToPath(new URL('fixture-server.mjs', import.meta.url)));
try {
  const t = await results.runThroughput({ url: fixture.url, lines: 200_000, runs, variants });
  const base = t.official;
  for (const variant of variants) {
    const v = t[variant];
    const line = [
      variant.padEnd(12),
      `${v.median.toFixed(0)} MB/s (${v.min.toFixed(0)}–${v.max.toFixed(0)})`,
      `CPU ${v.cpuMs.median.toFixed(0)} ms`,
    ];
    if (base && variant !== 'official') {
      line.push(
        `= ${(v.median / base.median).toFixed(2)}× official, by CPU ${(base.cpuMs.median / v.cpuMs.median).toFixed(2)}×`,
      );
    }
    const hand = t.handwritten;
    if (hand && variant === 'msgbatch') {
      line.push(
        `; ${(v.median / hand.median).toFixed(2)}× hand-written, by CPU ${(hand.cpuMs.median / v.cpuMs.median).toFixed(2)}×`,
      );
    }
    console.log(line.join('  '));
  }
} finally {
  await fixture.stop();
}
