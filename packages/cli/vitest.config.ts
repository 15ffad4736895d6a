import { packageConfig } from '../../vitest.shared.ts';

// CLI tests spawn the built binary; on a loaded 2-core machine a spawn can take seconds.
export default packageConfig('cli', { testTimeout: 30_000 });
