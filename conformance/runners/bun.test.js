// @ts-check
/**
 * The conformance suite under `bun test`: the built ESM entries of @msgbatch/node
 * and core, the emulator, and `Bun.serve` for the loopback scenario.
 */
import { test } from 'bun:test';
import * as emulator from '@msgbatch/emulator';
import * as sdk from '@msgbatch/node';
import { scenarios } from '../scenarios/index.js';
import { runScenario, SCENARIO_TIMEOUT_MS, skipReason } from '../src/harness.js';
import { inProcessTokenPath } from '../src/token-path.js';
import { optional } from './optional.mjs';

const proxy = await optional(() => import('@msgbatch/core/proxy'));
const browser = await optional(() => import('@msgbatch/browser'));

/** @type {import('../src/harness.js').Runtime} */
const runtime = {
  name: `bun ${Bun.version}`,
  sdk,
  createClient: (options) => new sdk.Anthropic(options),
  createEmulator: emulator.createEmulator,
  serve: async (api) => {
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: api.fetch });
    return { url: `http://127.0.0.1:${server.port}`, close: () => server.stop(true) };
  },
};
// The proxy half as @msgbatch/node exports it, else straight from core.
const proxySource = /** @type {any} */ (sdk).createBatchesProxy ? sdk : proxy;
if (proxySource && browser) {
  runtime.tokenPath = () =>
    inProcessTokenPath({
      proxy: proxySource,
      createEmulator: emulator.createEmulator,
      Client: sdk.Anthropic,
    });
  runtime.createBrowserClient = (options) => new browser.BrowserClient(options);
}

for (const scenario of scenarios) {
  const run = skipReason(runtime, scenario) ? test.skip : test;
  run(scenario.name, () => runScenario(runtime, scenario), SCENARIO_TIMEOUT_MS + 1000);
}
