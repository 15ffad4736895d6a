import { defineConfig } from 'tsup';

// The `msgbatch` command line: one ESM file; bin/msgbatch.js imports it, dependencies stay external.
export default defineConfig({
  entry: { cli: 'src/main.ts' },
  format: ['esm'],
  clean: true,
  target: 'node20',
  platform: 'node',
});
