import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from './helpers.ts';

// `require('@msgbatch/node')` must be the client class, as `require('@anthropic-ai/sdk')` is:
// the official SDK's CommonJS examples construct it straight from `require`. Run against the
// built entry, in a child process, as a CommonJS program loads it.

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, '..');

const PROBE = `const Anthropic = require('@msgbatch/node');
const { createEmulator } = require('@msgbatch/emulator');
const api = createEmulator({ apiKeys: ['my-anthropic-api-key'] });
const client = new Anthropic({ apiKey: 'my-anthropic-api-key', baseURL: 'http://emulator.test', fetch: api.fetch });
(async () => {
  let error;
  try { await client.messages.batches.cancel('msgbatch_missing'); } catch (e) { error = e; }
  const esm = await import('@msgbatch/node');
  console.log(JSON.stringify({
    isClass: typeof Anthropic === 'function',
    isTheClass: Anthropic === Anthropic.default && Anthropic === Anthropic.Anthropic,
    instance: client instanceof Anthropic && client instanceof Anthropic.Anthropic,
    namedExports: Object.keys(esm).filter((k) => k !== 'default' && !(k in Anthropic)),
    errorName: error && error.name,
    errorFromPackage: error instanceof Anthropic.NotFoundError && error instanceof Anthropic.APIError,
    esModule: Anthropic.__esModule === true,
  }));
})();`;

describe('the CommonJS entry', () => {
  beforeAll(() => buildIfStale(), 60_000);

  it('is the client class, with default and every named export as its properties', async () => {
    const { stdout } = await run(process.execPath, ['-e', PROBE], { cwd: packageDir });
    expect(JSON.parse(stdout)).toEqual({
      isClass: true,
      isTheClass: true,
      instance: true,
      namedExports: [],
      errorName: 'NotFoundError',
      errorFromPackage: true,
      esModule: true,
    });
  });
});
