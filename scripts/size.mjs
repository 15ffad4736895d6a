#!/usr/bin/env node
// Size budgets, checked in CI: each entry is bundled for the browser (esbuild,
// ESM, minified), gzipped, and compared with its budget. Deterministic: no timing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

// Issue 2 asks for 10 KB (client) and 7 KB (functional). Measured 2026-11-28: 11.0 KB and
// 10.4 KB, of which ky alone is 5.0 KB and valibot's smallest object schema 1.5 KB, so 7 KB
// cannot be met with both on the cancel path (bench/RESULTS.md has the breakdown). These
// budgets guard against growth while that gap is open.
export const budgets = [
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

/**
 * Bundles an entry as a page's bundler would and measures what the page loads to
 * run it. Modules reached only through `import()` (create, list, results, the
 * workflows) are split off by bundlers and load on first use, so they are left
 * external here and measured apart, as `lazy` (bundled together, not counted
 * against the budget).
 */
async function measure(entry, dir) {
  const file = join(dir, 'entry.js');
  writeFileSync(file, entry.code);
  const deferred = new Set();
  const common = {
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    // Resolved as a user's bundler would: through package.json exports and sideEffects.
    nodePaths: [join(root, 'packages/node/node_modules'), join(root, 'packages/core/node_modules')],
    logLevel: 'silent',
  };
  const splitDynamicImports = {
    name: 'split-dynamic-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        deferred.add(join(args.resolveDir, args.path));
        return { path: args.path, external: true };
      });
    },
  };
  const initial = await build({ ...common, entryPoints: [file], plugins: [splitDynamicImports] });
  const bytes = initial.outputFiles[0].contents;
  let lazy = 0;
  if (deferred.size > 0) {
    const lazyEntry = join(dir, 'lazy.js');
    writeFileSync(
      lazyEntry,
      [...deferred].map((p) => `export * from ${JSON.stringify(p)};`).join('\n'),
    );
    const rest = await build({ ...common, entryPoints: [lazyEntry] });
    lazy = gzipSync(rest.outputFiles[0].contents, { level: 9 }).length;
  }
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, lazy };
}

const dir = mkdtempSync(join(tmpdir(), 'msgbatch-size-'));
let failed = false;
try {
  for (const entry of budgets) {
    const { raw, gzip, lazy } = await measure(entry, dir);
    const ok = gzip <= entry.budgetBytes;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'OVER'} ${entry.name}: ${(gzip / 1024).toFixed(2)} KB gzip (${(raw / 1024).toFixed(1)} KB min; ${(lazy / 1024).toFixed(1)} KB gzip more loads on first use) / budget ${(entry.budgetBytes / 1024).toFixed(1)} KB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) {
  console.error('A size budget was exceeded.');
  process.exit(1);
}
