import { packageConfig } from '../vitest.shared.ts';

export default packageConfig('integration', { testTimeout: 20_000 });
