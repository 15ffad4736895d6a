#!/usr/bin/env node
// Size budgets, checked in CI: each entry is bundled for the browser (esbuild,
// ESM, minified), gzipped, and compared with its budget. Deterministic: no timing.
import { join } from 'node:path';
import { bundleSize } from './bundle-size.mjs';

const root = new URL('..', import.meta.url).pathname;

// Issue 2 asks for 10 KB (client) and 7 KB (functional). Measured 2026-11-28: 11.0 KB and
// 10.4 KB, of which ky alone is 5.0 KB and valibot's smallest object schema 1.5 KB, so 7 KB
// cannot be met with both on the cancel path (bench/RESULTS.md has the breakdown). These
// budgets guard against growth while that gap is open.
export const budgets = [
  {
    name: 'browser: construct the client (token + proxy) and cancel',
    budgetBytes: 12.25 * 1024,
    resolveFrom: 'examples/browser-dashboard',
    code: `import { BrowserClient } from '@msgbatch/browser';
const client = new BrowserClient({ baseURL: location.origin + '/api/batches-proxy', getToken: async () => 'token' });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
  },
  {
    name: 'core: construct the client and cancel',
    budgetBytes: 11.25 * 1024,
    code: `import { MsgbatchClient } from '@msgbatch/core';
const client = new MsgbatchClient({ apiKey: 'k', baseURL: location.origin });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
  },
  {
    name: 'core: functional cancel alone',
    budgetBytes: 10.5 * 1024,
    code: `import { cancelBatch, transportFromOptions } from '@msgbatch/core';
const transport = transportFromOptions({ apiKey: 'k', baseURL: location.origin });
cancelBatch(transport, 'msgbatch_x').then((b) => console.log(b.id));`,
  },
];

let failed = false;
for (const entry of budgets) {
  const { raw, gzip, lazy } = await bundleSize(
    entry.code,
    join(root, entry.resolveFrom ?? 'packages/node'),
  );
  const ok = gzip <= entry.budgetBytes;
  failed ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${entry.name}: ${(gzip / 1024).toFixed(2)} KB gzip (${(raw / 1024).toFixed(1)} KB min; ${(lazy / 1024).toFixed(1)} KB gzip more loads on first use) / budget ${(entry.budgetBytes / 1024).toFixed(1)} KB`,
  );
}
if (failed) {
  console.error('A size budget was exceeded.');
  process.exit(1);
}
