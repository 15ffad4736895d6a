// @ts-check
/**
 * The conformance suite inside workerd: a Worker module bundled with the built
 * @msgbatch/core (the entry an edge worker uses) and the emulator.
 *
 * `GET /__conformance` runs every scenario and answers the results as JSON.
 * For the scenario over the runtime's own network stack, `serve(emulator)` hands out
 * a `http://served-N.workerd.test` URL; the client reaches it with workerd's global
 * fetch, the test process's outbound service sends the request back in, and this
 * worker answers it from emulator N.
 */

import * as browser from 'optional:@msgbatch/browser';
import * as proxy from 'optional:@msgbatch/core/proxy';
import * as sdk from '@msgbatch/core';
import { createEmulator } from '@msgbatch/emulator';
import { scenarios } from '../scenarios/index.js';
import { runAll } from '../src/harness.js';
import { inProcessTokenPath } from '../src/token-path.js';

/** @type {Map<string, any>} */
const served = new Map();
let next = 0;

/** @type {import('../src/harness.js').Runtime} */
const runtime = {
  name: 'workerd',
  sdk,
  createClient: (options) => new sdk.MsgbatchClient(options),
  createEmulator,
  serve: async (emulator) => {
    const host = `served-${++next}.workerd.test`;
    served.set(host, emulator);
    return {
      url: `http://${host}`,
      close: async () => {
        served.delete(host);
      },
    };
  },
};
if ('createBatchesProxy' in proxy && 'BrowserClient' in browser) {
  const p = /** @type {any} */ (proxy);
  const b = /** @type {any} */ (browser);
  runtime.tokenPath = () =>
    inProcessTokenPath({ proxy: p, createEmulator, Client: sdk.MsgbatchClient });
  runtime.createBrowserClient = (options) => new b.BrowserClient(options);
}

export default {
  /** @param {Request} request */
  async fetch(request) {
    const url = new URL(request.url);
    const emulator = served.get(url.host);
    if (emulator) return emulator.fetch(request);
    if (url.pathname === '/__conformance') {
      const results = await runAll(runtime, scenarios, {
        filter: url.searchParams.get('filter') ?? undefined,
      });
      return Response.json({ runtime: runtime.name, results });
    }
    return new Response('not found', { status: 404 });
  },
};
