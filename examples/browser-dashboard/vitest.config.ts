import { packageConfig } from '../../vitest.shared.ts';

export default packageConfig('browser-dashboard', { testTimeout: 60000, hookTimeout: 60000 });
