import { defineConfig } from 'tsup';

// ESM is emitted per module by tsc (tsconfig.build.json), so that bundlers drop
// unused modules (`sideEffects: false`); tsup makes the CommonJS bundle and the
// bundled type declarations.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['cjs'],
  dts: true,
  clean: false,
  target: 'es2022',
  platform: 'neutral',
  // ky ships only ESM, which Node 20's require() cannot load: the CommonJS build carries it.
  noExternal: ['ky'],
});
