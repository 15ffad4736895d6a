// @ts-check
/**
 * The conformance suite in Chromium, bundled once for a page and a module Web Worker.
 * The entry under test is @msgbatch/browser once it is built (else core, so the rest
 * of the suite still runs in a browser). The in-process scenarios use a bundled
 * emulator; the token path goes over HTTP to the test server's proxy, cross-origin.
 */

import * as browserPackage from 'optional:@msgbatch/browser';
import * as core from '@msgbatch/core';
import { createEmulator } from '@msgbatch/emulator';
import { scenarios } from '../scenarios/index.js';
import { runAll } from '../src/harness.js';

const browser = /** @type {any} */ (browserPackage);
/** The browser package's client class, whichever name it exports it under. */
const BrowserClient = browser.default ?? browser.BrowserClient ?? browser.Anthropic;

/**
 * @param {string} where `page` or `worker`
 * @param {{ proxyOrigin: string, filter?: string }} config
 */
async function run(where, config) {
  const entry = BrowserClient ? '@msgbatch/browser' : '@msgbatch/core';
  /** @type {import('../src/harness.js').Runtime} */
  const runtime = {
    name: `chromium ${where}`,
    sdk: BrowserClient ? { ...core, ...browser } : core,
    createClient: (options) =>
      BrowserClient
        ? new BrowserClient({ ...options, dangerouslyAllowBrowser: true })
        : new core.MsgbatchClient(options),
    createEmulator,
    why: {
      serve: 'a browser cannot listen on a socket (the token path scenario goes over HTTP instead)',
      tokenPath: '@msgbatch/browser is not built',
      createBrowserClient: '@msgbatch/browser is not built',
    },
  };
  if (BrowserClient) {
    runtime.createBrowserClient = (options) => new BrowserClient(options);
    runtime.tokenPath = async () => {
      const fixture = await (await fetch('/fixture', { method: 'POST' })).json();
      /** @param {string} scopes */
      const token = async (scopes) => (await fetch(`/token?scopes=${scopes}`)).text();
      return {
        baseURL: `${config.proxyOrigin}${fixture.mountPath}`,
        getToken: () => token('batches:read,batches:cancel'),
        getReadOnlyToken: () => token('batches:read'),
        batchId: fixture.batchId,
        secretMarker: fixture.secretMarker,
        close: async () => {},
      };
    };
  }
  const results = await runAll(runtime, scenarios, { filter: config.filter });
  return { runtime: `${runtime.name}`, entry, userAgent: navigator.userAgent, results };
}

const scope = /** @type {any} */ (globalThis);
if (typeof scope.document !== 'undefined') {
  // The page: `window.conformance(where, config)` for the test driver.
  scope.conformance = (/** @type {string} */ where, /** @type {any} */ config) => {
    if (where === 'page') return run('page', config);
    return new Promise((resolve, reject) => {
      const worker = new Worker('/bundle.js', { type: 'module' });
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(config);
    });
  };
} else {
  // A Web Worker: run when the page sends the config, answer with the results.
  scope.onmessage = async (/** @type {MessageEvent} */ event) => {
    scope.postMessage(await run('web worker', event.data));
  };
}
