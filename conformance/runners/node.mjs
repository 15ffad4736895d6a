// @ts-check
// Conformance on Node against the built ESM entry of @msgbatch/node.
import * as emulator from '@msgbatch/emulator';
import * as sdk from '@msgbatch/node';
import { main } from './node-main.mjs';
import { optional } from './optional.mjs';

await main({
  format: 'esm',
  sdk,
  emulator,
  proxy: await optional(() => import('@msgbatch/core/proxy')),
  browser: await optional(() => import('@msgbatch/browser')),
});
