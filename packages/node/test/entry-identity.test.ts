import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from './helpers.ts';

// `@msgbatch/node` re-exports the client (from `@msgbatch/core`) and the proxy (from
// `@msgbatch/core/proxy`); both must throw the one set of error classes it exports, or
// `error instanceof InvalidArgumentError` is false for half the package. Run against the
// built entries, as users load them.

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, '..');
const PROBE = `try {
  m.createBatchesProxy({});
  console.log('no error');
} catch (error) {
  console.log(JSON.stringify({
    name: error.name,
    fromPackage: error instanceof m.InvalidArgumentError,
    fromClient: error instanceof m.Anthropic.InvalidArgumentError,
  }));
}`;

describe('one set of error classes across the entries', () => {
  beforeAll(() => buildIfStale(), 60_000);

  for (const [format, args] of [
    ['CommonJS', ['-e', `const m = require('@msgbatch/node');\n${PROBE}`]],
    ['ESM', ['--input-type=module', '-e', `const m = await import('@msgbatch/node');\n${PROBE}`]],
  ] as const) {
    it(`${format}: an error thrown by the proxy is instanceof the classes the package exports`, async () => {
      const { stdout } = await run(process.execPath, [...args], { cwd: packageDir });
      expect(JSON.parse(stdout)).toEqual({
        name: 'InvalidArgumentError',
        fromPackage: true,
        fromClient: true,
      });
    });
  }

  it("ESM: core's entries (., /client, /cancel) hand out the same classes, and /cancel throws them", async () => {
    // Node's import of core is a bundle whose entries share chunks (tsup.config.ts); entries
    // bundled apart would each carry their own copy of every class.
    const probe = `const [core, client, cancel] = await Promise.all(['@msgbatch/core', '@msgbatch/core/client', '@msgbatch/core/cancel'].map((m) => import(m)));
const transport = cancel.transportFromOptions({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
const error = await cancel.cancelBatch(transport, '').catch((e) => e);
console.log(JSON.stringify({
  client: client.MsgbatchClient === core.MsgbatchClient && client.APIError === core.APIError,
  cancel: cancel.APIError === core.APIError && cancel.cancelBatch === core.cancelBatch,
  thrown: error instanceof core.InvalidArgumentError,
}));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: packageDir,
    });
    expect(JSON.parse(stdout)).toEqual({ client: true, cancel: true, thrown: true });
  });
});
