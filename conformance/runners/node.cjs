// Conformance on Node against the built CommonJS entry of @msgbatch/node, loaded with require.
const sdk = require('@msgbatch/node');
const emulator = require('@msgbatch/emulator');

const optional = (load) => {
  try {
    return load();
  } catch {
    return undefined;
  }
};

import('./node-main.mjs').then(({ main }) =>
  main({
    format: 'cjs',
    sdk,
    emulator,
    proxy: optional(() => require('@msgbatch/core/proxy')),
    browser: optional(() => require('@msgbatch/browser')),
  }),
);
