import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The `msgbatch` command line: one ESM file; bin/msgbatch.js imports it, dependencies stay external.
    entry: { cli: 'src/main.ts' },
    format: ['esm'],
    clean: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The dashboard page's script: the browser client bundled in (the page loads nothing else).
    entry: { 'page/app': 'src/page/app.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'browser',
    minify: true,
    noExternal: [/.*/],
    splitting: false,
    outExtension: () => ({ js: '.js' }),
  },
]);
