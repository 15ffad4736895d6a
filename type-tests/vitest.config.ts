import { packageConfig } from '../vitest.shared.ts';

// Each case runs a compiler over a temp project; on a loaded 2-core machine that can take a while.
export default packageConfig('type-tests', { testTimeout: 120_000 });
