#!/usr/bin/env node
// Size budgets, checked in CI: each entry is bundled for the browser (esbuild,
// ESM, minified), gzipped, and compared with its budget. Deterministic: no timing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

export const budgets = [
  {
    name: 'core: construct the client and cancel',
    budgetBytes: 10 * 1024,
    code: `import { MsgbatchClient } from '@msgbatch/core';
const client = new MsgbatchClient({ apiKey: 'k', baseURL: location.origin });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
  },
  {
    name: 'core: functional cancel alone',
    budgetBytes: 7 * 1024,
    code: `import { cancelBatch, transportFromOptions } from '@msgbatch/core';
const transport = transportFromOptions({ apiKey: 'k', baseURL: location.origin });
cancelBatch(transport, 'msgbatch_x').then((b) => console.log(b.id));`,
  },
];

async function measure(entry, dir) {
  const file = join(dir, 'entry.js');
  writeFileSync(file, entry.code);
  const result = await build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    // Resolved as a user's bundler would: through package.json exports and sideEffects.
    nodePaths: [join(root, 'packages/node/node_modules'), join(root, 'packages/core/node_modules')],
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const dir = mkdtempSync(join(tmpdir(), 'msgbatch-size-'));
let failed = false;
try {
  for (const entry of budgets) {
    const { raw, gzip } = await measure(entry, dir);
    const ok = gzip <= entry.budgetBytes;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'OVER'} ${entry.name}: ${(gzip / 1024).toFixed(2)} KB gzip (${(raw / 1024).toFixed(1)} KB min) / budget ${(entry.budgetBytes / 1024).toFixed(1)} KB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) {
  console.error('A size budget was exceeded.');
  process.exit(1);
}
