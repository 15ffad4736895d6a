import { packageConfig } from '../vitest.shared.ts';

export default packageConfig('adversarial', { testTimeout: 30_000 });
