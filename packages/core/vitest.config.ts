import { fileURLToPath } from 'node:url';
import { packageConfig } from '../../vitest.shared.ts';

// Tests run in Node against the sources, so `#ky-loader` and `#byte-search` are Node's
// variants, and `#failures` the default, from src.
export default packageConfig(
  'core',
  {},
  {
    resolve: {
      alias: {
        '#ky-loader': fileURLToPath(new URL('./src/transport/ky-loader.node.ts', import.meta.url)),
        '#failures': fileURLToPath(new URL('./src/transport/failures.ts', import.meta.url)),
        '#byte-search': fileURLToPath(
          new URL('./src/results/byte-search.node.ts', import.meta.url),
        ),
      },
    },
  },
);
