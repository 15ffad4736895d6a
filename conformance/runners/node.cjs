// Conformance on Node against the built CommonJS entry of @msgbatch/node, loaded with require.
// The client is constructed as the official SDK's CommonJS example does it: `require`, then `new`.
const Anthropic = require('@msgbatch/node');
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
    sdk: Anthropic,
    Client: Anthropic,
    emulator,
    proxy: optional(() => require('@msgbatch/core/proxy')),
    browser: optional(() => require('@msgbatch/browser')),
  }),
);
