// Throwaway measurement of the JSONL decoder (not a test: timings vary by machine).
// Run from the repo root: node bench/micro/jsonl-bench.mjs (measures packages/core/src).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const outfile = join(mkdtempSync(join(tmpdir(), 'jsonl-bench-')), 'jsonl.mjs');
await build({
  entryPoints: [
    fileURLToPath(new URL('../../packages/core/src/results/jsonl.ts', import.meta.url)),
  ],
  bundle: true,
  format: 'esm',
  outfile,
  logLevel: 'warning',
});
const { splitLines, decodeJSONL, peekCustomIdAndType } = await import(pathToFileURL(outfile).href);

const encoder = new TextEncoder();
const CHUNK = 65_536;

function resultLine(i) {
  const text = 'The quick brown fox — jumps über the lazy dog 😀 数据. '.repeat(20 + (i % 30));
  return JSON.stringify({
    custom_id: `req-${i}`,
    result: {
      type: 'succeeded',
      message: {
        id: `msg_${i}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 123, output_tokens: 456, service_tier: 'batch' },
      },
    },
  });
}

function streamOf(bytes) {
  let offset = 0;
  return new ReadableStream(
    {
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, offset + CHUNK));
        offset += CHUNK;
      },
    },
    { highWaterMark: 0 },
  );
}

/** The alternative design: scan bytes for 0x0A and decode each line's bytes once. */
async function* bytesLines(stream) {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const pending = [];
  let pendingLength = 0;
  const take = (chunk, s, e) => {
    if (pending.length === 0) return decoder.decode(chunk.subarray(s, e));
    const buf = new Uint8Array(pendingLength + (e - s));
    let o = 0;
    for (const p of pending) {
      buf.set(p, o);
      o += p.length;
    }
    buf.set(chunk.subarray(s, e), o);
    pending.length = 0;
    pendingLength = 0;
    return decoder.decode(buf);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      if (pendingLength) yield take(new Uint8Array(0), 0, 0);
      return;
    }
    let start = 0;
    for (let nl = value.indexOf(10); nl !== -1; nl = value.indexOf(10, start)) {
      const line = take(value, start, nl);
      start = nl + 1;
      if (line.trim()) yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
    if (start < value.length) {
      pending.push(value.subarray(start));
      pendingLength += value.length - start;
    }
  }
}

async function time(name, bytes, run) {
  let best = Number.POSITIVE_INFINITY;
  let count = 0;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    count = await run(bytes);
    best = Math.min(best, performance.now() - start);
  }
  const mbps = bytes.length / 1e6 / (best / 1000);
  console.log(
    `${name.padEnd(44)} ${String(count).padStart(7)} lines ${best.toFixed(0).padStart(6)} ms ${mbps.toFixed(0).padStart(5)} MB/s`,
  );
}

const viaSplitLines = async (bytes) => {
  let n = 0;
  for await (const line of splitLines(streamOf(bytes))) {
    JSON.parse(line);
    n++;
  }
  return n;
};
const viaBytesLines = async (bytes) => {
  let n = 0;
  for await (const line of bytesLines(streamOf(bytes))) {
    JSON.parse(line);
    n++;
  }
  return n;
};
const viaDecodeJSONL = async (bytes) => {
  let n = 0;
  for await (const _ of decodeJSONL(streamOf(bytes))) n++;
  return n;
};
const floor = async (bytes) => {
  let n = 0;
  for (const line of new TextDecoder().decode(bytes).split('\n')) {
    if (line) {
      JSON.parse(line);
      n++;
    }
  }
  return n;
};

const lines = [];
for (let i = 0, size = 0; size < 100e6; i++) {
  lines.push(resultLine(i));
  size += lines[i].length;
}
const hundred = encoder.encode(`${lines.join('\n')}\n`);
const bigAscii = encoder.encode(`${JSON.stringify({ custom_id: 'big', s: 'x'.repeat(8e6) })}\n`);
const bigUnicode = encoder.encode(
  `${JSON.stringify({ custom_id: 'big', s: 'é😀数'.repeat(8e6 / 9) })}\n`,
);

console.log(`node ${globalThis.process?.version}, chunks of ${CHUNK} bytes, best of 3`);
for (const [label, bytes] of [
  ['8 MB line, ASCII', bigAscii],
  ['8 MB line, multi-byte', bigUnicode],
  [`${(hundred.length / 1e6).toFixed(0)} MB of result lines`, hundred],
]) {
  await time(`${label}: splitLines + JSON.parse`, bytes, viaSplitLines);
  await time(`${label}: decodeJSONL`, bytes, viaDecodeJSONL);
  await time(`${label}: byte-scan variant + JSON.parse`, bytes, viaBytesLines);
  await time(`${label}: floor decode+split('\\n')+JSON.parse`, bytes, floor);
  const text = new TextDecoder().decode(bytes);
  await time(`${label}: floor split('\\n')+JSON.parse, pre-decoded`, bytes, async () => {
    let n = 0;
    for (const line of text.split('\n')) if (line) n += JSON.parse(line) ? 1 : 0;
    return n;
  });
}

{
  // Lines as the decoder yields them: JSON.stringify's own output is a rope V8 flattens on
  // first access, which would make whichever function runs first look slow.
  const decoded = [];
  for await (const line of splitLines(streamOf(hundred))) decoded.push(line);
  const run = (fn) => {
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      for (const line of decoded) fn(line);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  const peekMs = run(peekCustomIdAndType);
  const parseMs = run((line) => JSON.parse(line).result.type);
  console.log(
    `custom_id + result.type of ${decoded.length} lines: peekCustomIdAndType ${peekMs.toFixed(1)} ms, JSON.parse ${parseMs.toFixed(0)} ms`,
  );
}
