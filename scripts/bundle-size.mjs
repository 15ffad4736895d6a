// What a page downloads to run a snippet: shared by the CI size budgets
// (scripts/size.mjs) and the bundle figure of the benchmarks (bench/src/fig-bundle.mjs).
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

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
 * Bundles `code` as a page's bundler would (package exports, sideEffects) and counts
 * what the page loads to run it. Modules reached only through `import()` are split
 * off by bundlers and load on first use, so they are left external and measured apart
 * as `lazy` (bundled together, not counted in `gzip`).
 * @param code - the page's module source
 * @param resolveDir - where its imports resolve from (a folder whose node_modules has them)
 * @param options - `whole: true` bundles `import()`ed modules in too (a package's full size)
 * @returns `{ raw, gzip, lazy }` in bytes (`raw` minified; `gzip` and `lazy` gzip -9)
 */
export async function bundleSize(code, resolveDir, { whole = false } = {}) {
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
    stdin: { contents: code, resolveDir, loader: 'js' },
    plugins: whole ? [] : [split],
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
        resolveDir,
        loader: 'js',
      },
    });
    lazy = gzip(rest.outputFiles[0].contents);
  }
  return { raw: bytes.length, gzip: gzip(bytes), lazy };
}
