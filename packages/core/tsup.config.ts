import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

// ESM is emitted per module by tsc (tsconfig.build.json), so that bundlers drop
// unused modules (`sideEffects: false`); tsup makes the CommonJS bundle and the
// bundled type declarations.
export default defineConfig({
  // The proxy is its own entry (`@msgbatch/core/proxy`) so page bundles never include it.
  entry: { index: 'src/index.ts', proxy: 'src/proxy/index.ts' },
  format: ['cjs'],
  dts: true,
  clean: false,
  target: 'es2022',
  platform: 'neutral',
  // ky and jose ship only ESM, which Node 20's require() cannot load: the CommonJS build carries them.
  noExternal: ['ky', 'jose'],
  // CommonJS is loaded by Node's require(): it gets Node's `#ky-loader` (ky on first
  // request) and `#byte-search` (Buffer#indexOf), and the default `#failures`.
  esbuildPlugins: [
    {
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
    },
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
});
