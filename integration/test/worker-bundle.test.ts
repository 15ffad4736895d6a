/**
 * An edge Worker bundled as wrangler bundles it (esbuild, one file, `workerd` condition)
 * takes core's failure path through a static import (`#failures` → failures.workerd.js),
 * a page through the lazy one; both throw the same typed, redacted errors.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const KEY = 'sk-ant-api03-worker-bundle-secret-0123456789';

async function bundle(conditions: string[]) {
  const result = await build({
    stdin: {
      contents: "export { cancelBatch, transportFromOptions } from '@msgbatch/core/cancel';",
      resolveDir: here,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions,
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // As installed from the registry: the workspace's tsconfig.json does not steer resolution.
    tsconfigRaw: '{}',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const code = result.outputFiles[0]!.text;
  const module = await import(
    `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
  );
  return { inputs, module };
}

const failureVariant = (inputs: string[]) =>
  inputs
    .filter((path) => /transport\/failures(\.workerd)?\.js$/.test(path))
    .map((path) => path.replace(/.*\//, ''));

describe.each([
  ['an edge Worker (workerd)', ['workerd', 'worker'], 'failures.workerd.js'],
  ['a page', [], 'failures.js'],
])('%s', (_name, conditions, variant) => {
  it(`resolves #failures to ${variant}`, async () => {
    const { inputs } = await bundle(conditions);
    expect(failureVariant(inputs)).toEqual([variant]);
  });

  it('throws the typed error of an error answer, without the key', async () => {
    const { module } = await bundle(conditions);
    const fetch = async () =>
      Response.json(
        { type: 'error', error: { type: 'not_found_error', message: `no batch for ${KEY}` } },
        { status: 404, headers: { 'request-id': 'req_404' } },
      );
    const transport = module.transportFromOptions({ apiKey: KEY, fetch, maxRetries: 0 });
    const error = await module.cancelBatch(transport, 'msgbatch_x').catch((e: any) => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.status).toBe(404);
    expect(error.requestID).toBe('req_404');
    expect(error.message).toContain('(request id req_404)');
    expect(JSON.stringify({ message: error.message, body: error.error })).not.toContain(KEY);
    expect(error.message).toContain('[redacted]');
  });
});
