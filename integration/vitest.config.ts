import { packageConfig } from '../vitest.shared.ts';

// The shared 30 s budget; the heaviest tests ask for more themselves.
export default packageConfig('integration');
