import { packageConfig } from '../../vitest.shared.ts';

// Unpacking the npm build the first time takes seconds on a loaded machine.
export default packageConfig('test-chromium', { testTimeout: 120_000 });
