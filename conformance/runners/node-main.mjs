// @ts-check
/**
 * The Node runner's shared half: given the entry under test (loaded with `import` by
 * node.mjs or with `require` by node.cjs), runs every scenario and prints one line
 * per result; `--report <file>` also writes them as JSON for the matrix.
 */
import { writeFileSync } from 'node:fs';
import { scenarios } from '../scenarios/index.js';
import { formatResult, runAll } from '../src/harness.js';
import { inProcessTokenPath } from '../src/token-path.js';

/**
 * @param {{ format: 'esm' | 'cjs', sdk: any, Client?: any, emulator: any, proxy?: any, browser?: any }} entry
 *   `Client` is what the program constructs: `require('@msgbatch/node')` itself under CommonJS.
 */
export async function main({ format, sdk, Client = sdk.Anthropic, emulator, proxy, browser }) {
  /** @type {import('../src/harness.js').Runtime} */
  const runtime = {
    name: `node ${process.version} (${format})`,
    sdk,
    createClient: (options) => new Client(options),
    createEmulator: emulator.createEmulator,
    serve: (api) => api.listen({ port: 0, hostname: '127.0.0.1' }),
    why: {
      tokenPath: '@msgbatch/core/proxy or @msgbatch/browser is not built',
      createBrowserClient: '@msgbatch/core/proxy or @msgbatch/browser is not built',
    },
  };
  // The proxy half as @msgbatch/node exports it, else straight from core.
  const proxySource = sdk.createBatchesProxy ? sdk : proxy;
  if (proxySource && browser) {
    runtime.tokenPath = () =>
      inProcessTokenPath({ proxy: proxySource, createEmulator: emulator.createEmulator, Client });
    runtime.createBrowserClient = (options) => new browser.BrowserClient(options);
  }
  const results = await runAll(runtime, scenarios, {
    filter: process.env.CONFORMANCE_FILTER,
    onResult: (result) => console.log(formatResult(result)),
  });
  const at = process.argv.indexOf('--report');
  if (at > 0 && process.argv[at + 1]) {
    writeFileSync(
      process.argv[at + 1],
      JSON.stringify({ runtime: runtime.name, results }, null, 2),
    );
  }
  const tally = (/** @type {string} */ status) => results.filter((r) => r.status === status).length;
  const failed = tally('failed');
  console.log(
    `# ${runtime.name}: ${tally('passed')} passed, ${failed} failed, ${tally('skipped')} skipped`,
  );
  process.exitCode = failed ? 1 : 0;
}
