import { packageConfig } from '../../vitest.shared.ts';

export default packageConfig('example-edge-worker', { testTimeout: 30_000, hookTimeout: 30_000 });
