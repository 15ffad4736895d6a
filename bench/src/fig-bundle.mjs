// Figure 1: browser bundle of "construct a client and cancel one batch" (esbuild, ESM,
// minified, gzip -9), as scripts/size.mjs measures the CI budgets. Deterministic: one build each.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const browserDist = fileURLToPath(new URL('../../packages/browser/dist/index.js', import.meta.url));

export const entries = () => [
  existsSync(browserDist)
    ? {
        name: 'msgbatch (`@msgbatch/browser`, token + proxy)',
        key: 'msgbatch',
        code: `import { BrowserClient } from '@msgbatch/browser';
const client = new BrowserClient({ baseURL: location.origin + '/api/batches-proxy', getToken: async () => 'token' });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
      }
    : {
        name: 'msgbatch (`@msgbatch/core` MsgbatchClient)',
        key: 'msgbatch',
        code: `import { MsgbatchClient } from '@msgbatch/core';
const client = new MsgbatchClient({ apiKey: 'k', baseURL: location.origin });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
      },
  {
    name: 'official `@anthropic-ai/sdk` 1.14.0',
    key: 'official',
    code: `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic({ apiKey: 'k', baseURL: location.origin, dangerouslyAllowBrowser: true });
client.messages.batches.cancel('msgbatch_x').then((b) => console.log(b.id));`,
  },
  {
    name: 'floor: hand-written `fetch`',
    key: 'floor',
    code: `fetch(location.origin + '/v1/messages/batches/msgbatch_x/cancel', {
  method: 'POST',
  headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
}).then((r) => r.json()).then((b) => console.log(b.id));`,
  },
  {
    name: 'ky alone',
    key: 'ky',
    code: `import ky from 'ky';
ky.post(location.origin + '/v1/messages/batches/msgbatch_x/cancel', {
  headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
}).json().then((b) => console.log(b.id));`,
  },
];

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
};

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Bundles one entry as a page's bundler would (package exports, sideEffects) and, like
 * scripts/size.mjs, counts what the page loads to run it: modules reached only through
 * `import()` are split off by bundlers, so they are measured apart as `lazy`.
 * @returns `{ raw, gzip, lazy }` in bytes (`lazy` gzip, 0 when nothing is deferred)
 */
export async function bundleSize(code) {
  const deferred = new Set();
  const split = {
    name: 'split-dynamic-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        deferred.add(join(args.resolveDir, args.path));
        return { path: args.path, external: true };
      });
    },
  };
  const initial = await build({
    ...common,
    stdin: { contents: code, resolveDir: benchDir, loader: 'js' },
    plugins: [split],
  });
  const bytes = initial.outputFiles[0].contents;
  let lazy = 0;
  if (deferred.size > 0) {
    const rest = await build({
      ...common,
      // The official client's lazy modules include Node-only ones a page never loads.
      external: ['node:*'],
      stdin: {
        contents: [...deferred].map((p) => `export * from ${JSON.stringify(p)};`).join('\n'),
        resolveDir: benchDir,
        loader: 'js',
      },
    });
    lazy = gzip(rest.outputFiles[0].contents);
  }
  return { raw: bytes.length, gzip: gzip(bytes), lazy };
}

export async function run() {
  const rows = {};
  for (const entry of entries()) rows[entry.key] = { ...entry, ...(await bundleSize(entry.code)) };
  return rows;
}
