// @ts-check
/**
 * The conformance harness: a runtime's runner describes what it has (a client
 * constructor, the emulator, optionally a way to serve on a socket or to reach the
 * browser proxy) and the harness runs every scenario against it. Nothing here touches
 * a runtime global beyond the web platform (`fetch`, `setTimeout`, `AbortController`).
 */
import * as assert from './assert.js';

/**
 * @typedef {object} Served
 * @property {string} url base URL of the server, e.g. `http://127.0.0.1:53211`
 * @property {() => Promise<void>} close
 */

/**
 * What the "browser token path" scenario talks to: a proxy in front of an emulator,
 * a batch created upstream, and token sources with different scopes.
 * @typedef {object} TokenPath
 * @property {string} baseURL the proxy's base URL, given to the browser client
 * @property {typeof fetch} [fetch] how the browser client reaches the proxy (default: global fetch)
 * @property {() => Promise<string>} getToken a token with `batches:read` and `batches:cancel`
 * @property {() => Promise<string>} getReadOnlyToken a token with `batches:read` only
 * @property {string} batchId an in-progress batch created upstream
 * @property {string} secretMarker the upstream credential, which must never reach the browser
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} Runtime
 * @property {string} name e.g. `node v20.20.2 (esm)`
 * @property {any} sdk the package entry under test: error classes, `decodeJSONL`
 * @property {(options: Record<string, unknown>) => any} createClient the runtime's client
 * @property {(options?: Record<string, unknown>) => any} createEmulator `createEmulator` of `@msgbatch/emulator`
 * @property {(emulator: any) => Promise<Served>} [serve] serves an emulator on 127.0.0.1 with the runtime's own server
 * @property {() => Promise<TokenPath>} [tokenPath] the browser token path through the proxy
 * @property {(options: Record<string, unknown>) => any} [createBrowserClient] `@msgbatch/browser`'s client
 * @property {Partial<Record<'serve' | 'tokenPath' | 'createBrowserClient', string>>} [why] why a capability is missing
 */

/**
 * @typedef {object} Context
 * @property {string} runtime
 * @property {any} sdk
 * @property {typeof assert} assert
 * @property {(options: Record<string, unknown>) => any} createClient
 * @property {(options?: Record<string, unknown>) => any} emulator a fresh emulator
 * @property {(emulator: any) => Promise<Served>} serve closed after the scenario
 * @property {() => Promise<TokenPath>} tokenPath closed after the scenario
 * @property {(options: Record<string, unknown>) => any} createBrowserClient
 * @property {(fn: () => unknown) => void} defer runs `fn` after the scenario, pass or fail
 */

/**
 * @typedef {object} Scenario
 * @property {string} name
 * @property {readonly ('serve' | 'tokenPath' | 'createBrowserClient')[]} [requires] capabilities the runtime must offer; else skipped
 * @property {(ctx: Context) => Promise<void>} run
 */

/**
 * @typedef {object} ScenarioResult
 * @property {string} name
 * @property {'passed' | 'failed' | 'skipped'} status
 * @property {number} ms
 * @property {string} [error] message (and stack) of a failure, or why it was skipped
 */

/** Longest a scenario may take before it counts as failed. */
export const SCENARIO_TIMEOUT_MS = 20_000;

/**
 * Why `scenario` cannot run on `runtime`, or null when it can.
 * @param {Runtime} runtime
 * @param {Scenario} scenario
 * @returns {string | null}
 */
export function skipReason(runtime, scenario) {
  const missing = (scenario.requires ?? []).filter((need) => !runtime[need]);
  if (missing.length === 0) return null;
  const reasons = missing.map((need) => runtime.why?.[need] ?? `no ${need} on this runtime`);
  return [...new Set(reasons)].join('; ');
}

/**
 * Runs one scenario and throws its failure, for runners that hand scenarios to a test
 * framework (`deno test`, `bun test`). Cleanups run whatever happens.
 * @param {Runtime} runtime
 * @param {Scenario} scenario
 */
export async function runScenario(runtime, scenario) {
  /** @type {(() => unknown)[]} */
  const cleanups = [];
  /** @type {Context} */
  const ctx = {
    runtime: runtime.name,
    sdk: runtime.sdk,
    assert,
    createClient: runtime.createClient,
    emulator: (options) => runtime.createEmulator(options),
    serve: async (emulator) => {
      if (!runtime.serve) throw new Error('serve is not available');
      const served = await runtime.serve(emulator);
      cleanups.push(() => served.close());
      return served;
    },
    tokenPath: async () => {
      if (!runtime.tokenPath) throw new Error('tokenPath is not available');
      const path = await runtime.tokenPath();
      cleanups.push(() => path.close());
      return path;
    },
    createBrowserClient: (options) => {
      if (!runtime.createBrowserClient) throw new Error('createBrowserClient is not available');
      return runtime.createBrowserClient(options);
    },
    defer: (fn) => {
      cleanups.push(fn);
    },
  };
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS} ms`)),
      SCENARIO_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([scenario.run(ctx), timeout]);
  } finally {
    clearTimeout(timer);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // a failing cleanup must not hide the scenario's own result
      }
    }
  }
}

/**
 * Runs every scenario in order and reports each result; never throws.
 * @param {Runtime} runtime
 * @param {readonly Scenario[]} scenarios
 * @param {{ onResult?: (result: ScenarioResult) => void, filter?: string }} [options]
 * @returns {Promise<ScenarioResult[]>}
 */
export async function runAll(runtime, scenarios, options = {}) {
  /** @type {ScenarioResult[]} */
  const results = [];
  for (const scenario of scenarios) {
    if (options.filter && !scenario.name.includes(options.filter)) continue;
    const started = Date.now();
    const reason = skipReason(runtime, scenario);
    /** @type {ScenarioResult} */
    let result;
    if (reason) {
      result = { name: scenario.name, status: 'skipped', ms: 0, error: reason };
    } else {
      try {
        await runScenario(runtime, scenario);
        result = { name: scenario.name, status: 'passed', ms: Date.now() - started };
      } catch (error) {
        result = {
          name: scenario.name,
          status: 'failed',
          ms: Date.now() - started,
          error: describe(error),
        };
      }
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/**
 * One line per result, TAP-like, for a runner's console.
 * @param {ScenarioResult} result
 */
export function formatResult(result) {
  const mark = { passed: 'ok', failed: 'not ok', skipped: 'skip' }[result.status];
  const detail = result.error ? `\n    ${result.error.split('\n').join('\n    ')}` : '';
  return `${mark} - ${result.name} (${result.ms} ms)${detail}`;
}

/**
 * @param {unknown} error
 * @returns {string}
 */
function describe(error) {
  if (error instanceof Error) {
    const stack = error.stack?.split('\n').slice(1, 4).join('\n') ?? '';
    return `${error.name}: ${error.message}${stack ? `\n${stack}` : ''}`;
  }
  return String(error);
}
