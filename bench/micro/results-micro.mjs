// In-process micro-benchmark of the results pipeline, built from core's *source* (so it
// measures the working tree, not dist): an in-memory body in 64 KB chunks through a
// fetch-less client. For profiling: node --cpu-prof bench/micro/results-micro.mjs [variant]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { resultCounts, resultsBytes } from '../src/lines.mjs';

// CORE_SRC=<dir> measures another copy of core's src (e.g. a saved baseline) instead.
const src =
  process.env.CORE_SRC ?? fileURLToPath(new URL('../../packages/core/src', import.meta.url));
const outfile = join(mkdtempSync(join(tmpdir(), 'results-micro-')), 'core.mjs');
await build({
  entryPoints: [join(src, 'index.ts')],
  nodePaths: [fileURLToPath(new URL('../../packages/core/node_modules', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  outfile,
  logLevel: 'warning',
  // Node's variant of the newline search, from the same sources (what Node resolves).
  alias: {
    '#byte-search': join(src, 'results/byte-search.node.ts'),
    '#ky-loader': join(src, 'transport/ky-loader.node.ts'),
  },
});
const core = await import(pathToFileURL(outfile).href);
const LINES = Number(process.env.LINES ?? 200_000);
const body = Buffer.concat([...resultsBytes(LINES)]);
const CHUNK = 65_536;
const streamOf = () => {
  let offset = 0;
  return new ReadableStream(
    {
      pull(c) {
        if (offset >= body.length) return c.close();
        c.enqueue(
          new Uint8Array(
            body.buffer,
            body.byteOffset + offset,
            Math.min(CHUNK, body.length - offset),
          ),
        );
        offset += CHUNK;
      },
    },
    { highWaterMark: 0 },
  );
};
const batchJSON = JSON.stringify({
  id: 'b',
  type: 'message_batch',
  processing_status: 'ended',
  // As the API counts them: summarizeResults sizes its bookkeeping by them.
  request_counts: resultCounts(LINES),
  ended_at: '2026-01-01T01:00:00Z',
  created_at: '2026-01-01T00:00:00Z',
  expires_at: '2026-01-02T00:00:00Z',
  archived_at: null,
  cancel_initiated_at: null,
  results_url: 'http://x/v1/messages/batches/b/results',
});
const fetch = async (input) =>
  String(input.url ?? input).endsWith('/results')
    ? new Response(streamOf(), { headers: { 'request-id': 'req_x' } })
    : new Response(batchJSON, { headers: { 'content-type': 'application/json' } });
const client = new core.MsgbatchClient({ apiKey: 'k', baseURL: 'http://x', fetch, maxRetries: 0 });

const variants = {
  async iterate() {
    let t = 0;
    for await (const line of client.messages.batches.results('b'))
      if (line.result.type === 'succeeded') t += line.result.message.usage.output_tokens;
    return t;
  },
  async lines() {
    let t = 0;
    for await (const line of (await client.messages.batches.results('b')).lines())
      t += JSON.parse(line).custom_id.length;
    return t;
  },
  async summarize() {
    return (await client.messages.batches.summarizeResults('b')).lines;
  },
  async peekLines() {
    let t = 0;
    for await (const line of (await client.messages.batches.results('b')).lines())
      t += core.peekCustomIdAndType(line).type.length;
    return t;
  },
  async decodeOnly() {
    let t = 0;
    for await (const v of core.decodeJSONL(streamOf())) t += v.custom_id.length;
    return t;
  },
  async splitOnly() {
    let t = 0;
    for await (const line of core.splitLines(streamOf())) t += line.length;
    return t;
  },
  async handwritten() {
    const decoder = new TextDecoder();
    let rest = '';
    let t = 0;
    for await (const chunk of streamOf()) {
      const parts = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = parts.pop();
      for (const line of parts) t += JSON.parse(line).custom_id.length;
    }
    return t + JSON.parse(rest).custom_id.length;
  },
};
// Wall and CPU time per run, variants interleaved; medians of 5 after a warm-up. CPU time
// (user + system of this process) is steadier than wall time on a shared machine.
const pick = process.argv.slice(2);
const names = pick.length ? pick : ['handwritten', 'splitOnly', 'lines', 'iterate'];
const wall = Object.fromEntries(names.map((n) => [n, []]));
const cpu = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < 6; round++) {
  for (const name of names) {
    const c0 = process.cpuUsage();
    const start = performance.now();
    await variants[name]();
    const ms = performance.now() - start;
    const c = process.cpuUsage(c0);
    if (round > 0) {
      wall[name].push(ms);
      cpu[name].push((c.user + c.system) / 1000);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const name of names) {
  const w = median(wall[name]);
  console.log(
    `${name.padEnd(12)} wall ${w.toFixed(0).padStart(5)} ms ${(body.length / 1e6 / (w / 1000)).toFixed(0).padStart(4)} MB/s   cpu ${median(cpu[name]).toFixed(0).padStart(5)} ms   wall/${names[0]} ${(median(wall[names[0]]) / w).toFixed(2)}`,
  );
}
