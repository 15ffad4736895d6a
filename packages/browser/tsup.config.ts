import { defineConfig } from 'tsup';

// One small module over core: @msgbatch/core stays external, so a page's bundler
// resolves core's per-module ESM and keeps only what the page uses.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'browser',
});
