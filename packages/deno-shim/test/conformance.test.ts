/**
 * The conformance suite under `deno test`: mod.ts (source) over the built core, the
 * emulator from the workspace, `Deno.serve` for the network-stack scenario, and the
 * token path with mod.ts's `createBatchesProxy` / `mintBrowserToken` in front of the
 * built `@msgbatch/browser` client.
 */
import { createEmulator } from '@msgbatch/emulator';
import { scenarios } from '../../../conformance/scenarios/index.js';
import { type Runtime, runScenario, skipReason } from '../../../conformance/src/harness.js';
import { inProcessTokenPath } from '../../../conformance/src/token-path.js';
import * as sdk from '../mod.ts';

/** The browser client, built; absent until `@msgbatch/browser` has been built. */
const browser = await import('../../browser/dist/index.js').catch(() => undefined);

const runtime: Runtime = {
  name: `deno ${Deno.version.deno}`,
  sdk,
  createClient: (options) => new sdk.Anthropic(options),
  createEmulator,
  serve: (emulator) =>
    new Promise((resolve) => {
      const server = Deno.serve(
        {
          hostname: '127.0.0.1',
          port: 0,
          onListen: ({ port }) =>
            resolve({ url: `http://127.0.0.1:${port}`, close: () => server.shutdown() }),
        },
        emulator.fetch,
      );
    }),
};
if (browser) {
  runtime.tokenPath = () =>
    inProcessTokenPath({ proxy: sdk, createEmulator, Client: sdk.Anthropic });
  runtime.createBrowserClient = (options) => new browser.BrowserClient(options);
}

for (const scenario of scenarios) {
  const reason = skipReason(runtime, scenario);
  Deno.test({
    name: scenario.name,
    ignore: reason !== null,
    // The abort scenario leaves the emulator's delay timer to run out on its own.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => runScenario(runtime, scenario),
  });
}
