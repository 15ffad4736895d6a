import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

// ESM is emitted per module by tsc (tsconfig.build.json), so that bundlers drop
// unused modules (`sideEffects: false`); tsup makes the CommonJS bundle, the bundled type
// declarations and Node's ESM (the `node` condition).

// Node resolves the Node variants of the `#` switches: `#ky-loader` (ky on the first request),
// `#byte-search` (Buffer#indexOf) and the default `#failures`.
const nodeVariants: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'node-variants',
  setup(build) {
    build.onResolve({ filter: /^#ky-loader$/ }, () => ({
      path: fileURLToPath(new URL('./src/transport/ky-loader.node.ts', import.meta.url)),
    }));
    build.onResolve({ filter: /^#failures$/ }, () => ({
      path: fileURLToPath(new URL('./src/transport/failures.ts', import.meta.url)),
    }));
    build.onResolve({ filter: /^#byte-search$/ }, () => ({
      path: fileURLToPath(new URL('./src/results/byte-search.node.ts', import.meta.url)),
    }));
  },
};

export default defineConfig([
  {
    // The proxy is its own entry (`@msgbatch/core/proxy`) so page bundles never include it.
    entry: { index: 'src/index.ts', proxy: 'src/proxy/index.ts' },
    format: ['cjs'],
    dts: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    // ky and jose ship only ESM, which Node 20's require() cannot load: the CommonJS build carries them.
    noExternal: ['ky', 'jose'],
    // CommonJS is loaded by Node's require(): it gets the Node variants.
    esbuildPlugins: [
      nodeVariants,
      {
        // The proxy entry takes its error classes from the main entry instead of a copy of
        // its own, so that what it throws is `instanceof` the classes `@msgbatch/core` exports.
        name: 'one-copy-of-the-errors',
        setup(build) {
          build.onResolve({ filter: /^\.\.\/errors\.ts$/ }, (args) =>
            /[\\/]src[\\/]proxy[\\/]/.test(args.importer)
              ? { path: './index.cjs', external: true }
              : undefined,
          );
        },
      },
    ],
  },
  {
    // Node's `import`: the entries bundled, sharing chunks (so one copy of each class, whichever
    // entry names it), the failure path and ky still loaded on first use. tsc's per-module
    // output, which bundlers split, made Node load about 90 files: twice the import time
    // (bench/, Node cold import). Deno and the bundlers keep the per-module output.
    entry: {
      index: 'src/index.ts',
      client: 'src/entries/client.ts',
      cancel: 'src/entries/cancel.ts',
      proxy: 'src/proxy/index.ts',
    },
    format: ['esm'],
    outDir: 'dist/node',
    splitting: true,
    dts: false,
    clean: false,
    target: 'es2022',
    platform: 'node',
    esbuildPlugins: [nodeVariants],
  },
]);
