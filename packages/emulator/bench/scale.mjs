// Scale run (a benchmark, not a test): one 100,000-request batch is created,
// processed on the manual clock and its results streamed, through emulator.fetch.
// Run after `pnpm build`:  node bench/scale.mjs
import { createEmulator } from '../dist/index.js';

const COUNT = 100_000;
const HEADERS = {
  'x-api-key': 'bench',
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
};
let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 5);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const baseline = process.memoryUsage().rss;

const emulator = createEmulator({ clock: 'manual', rate: 1000, seed: 'bench' });
const started = performance.now();
const body = JSON.stringify({
  requests: Array.from({ length: COUNT }, (_, i) => ({
    custom_id: `request-${i}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: `Summarise document number ${i} in one sentence.` }],
    },
  })),
});
const created = await emulator.fetch('http://localhost/v1/messages/batches', {
  method: 'POST',
  headers: HEADERS,
  body,
});
const batch = await created.json();
const createdAt = performance.now();
sample();

emulator.clock.advance(COUNT); // 100 s of emulator time at 1,000 requests/s
const ended = await (
  await emulator.fetch(`http://localhost/v1/messages/batches/${batch.id}`, { headers: HEADERS })
).json();
const endedAt = performance.now();
sample();

const results = await emulator.fetch(ended.results_url, { headers: HEADERS });
const reader = results.body.getReader();
let bytes = 0;
let lines = 0;
let chunks = 0;
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  chunks++;
  bytes += value.byteLength;
  for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  if (chunks % 50 === 0) sample();
}
// Every line ends with a newline, the last one too (as the API writes results since 2026).
const streamedAt = performance.now();
clearInterval(sampler);
sample();

console.log(`requests            ${COUNT}`);
console.log(`create body         ${mb(body.length)}`);
console.log(
  `status              ${ended.processing_status} ${JSON.stringify(ended.request_counts)}`,
);
console.log(`create              ${(createdAt - started).toFixed(0)} ms (incl. building the body)`);
console.log(`retrieve (ended)    ${(endedAt - createdAt).toFixed(0)} ms`);
console.log(
  `stream results      ${(streamedAt - endedAt).toFixed(0)} ms, ${lines} lines, ${mb(bytes)} in ${chunks} chunks`,
);
console.log(`total wall time     ${(streamedAt - started).toFixed(0)} ms`);
console.log(`rss baseline / peak ${mb(baseline)} / ${mb(peakRss)}`);
if (lines !== COUNT) process.exitCode = 1;
