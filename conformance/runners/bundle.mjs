// @ts-check
/**
 * Bundles a conformance entry for a runtime that cannot resolve packages itself
 * (workerd, a browser page, a Web Worker) with the root's esbuild.
 *
 * - `optional:<specifier>` imports resolve to the package when it exists, else to an
 *   empty module, so a runner can offer the browser proxy only once it is built.
 * - `@hono/node-server` (loaded lazily by the emulator's Node-only `listen`) becomes a
 *   stub: these runtimes serve through their own mechanisms.
 */
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/** @type {import('esbuild').Plugin} */
const optionalAndStubs = {
  name: 'conformance-optional',
  setup(b) {
    b.onResolve({ filter: /^optional:/ }, async (args) => {
      const specifier = args.path.slice('optional:'.length);
      const resolved = await b.resolve(specifier, {
        kind: 'import-statement',
        resolveDir: args.resolveDir,
      });
      if (resolved.errors.length === 0) return { path: resolved.path };
      return { path: specifier, namespace: 'missing' };
    });
    b.onLoad({ filter: /.*/, namespace: 'missing' }, () => ({
      contents: 'export {};',
      loader: 'js',
    }));
    b.onResolve({ filter: /^@hono\/node-server$/ }, () => ({
      path: 'node-server',
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "export function serve() { throw new Error('listen() is Node-only'); }",
      loader: 'js',
    }));
  },
};

/**
 * @param {{ entry: string, outfile: string, conditions: string[], format?: 'esm' | 'iife' }} options
 */
export async function bundle({ entry, outfile, conditions, format = 'esm' }) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format,
    platform: 'neutral',
    target: 'es2022',
    conditions,
    mainFields: ['module', 'main'],
    plugins: [optionalAndStubs],
    logLevel: 'error',
    legalComments: 'none',
  });
  return outfile;
}

/**
 * The version of a package as installed for this workspace.
 * @param {string} name
 * @param {string} [from] a module path to resolve from
 */
export function installedVersion(name, from) {
  const req = from ? createRequire(from) : require;
  return req(`${name}/package.json`).version;
}
