import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from './helpers.ts';

// What `import '@msgbatch/node'` loads is its cold-start cost. These tests pin which
// modules stay out of that import until a feature needs them: they run the built entry
// in a child process whose module resolutions are recorded by a resolve hook. Only
// what is loaded is asserted, never how long it takes.

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, '..');
const SECRET = 'a-test-secret-of-at-least-32-bytes!';

// The hook runs on the loader's own thread; appending synchronously to a file means a
// resolution is on record before the import that caused it settles.
const HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`;
const REGISTER = `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { log: process.env.RESOLVE_LOG } });
`;

// A client stand-in with one ended batch of one line: enough for writeResultsFile.
const STUB_CLIENT = `{
  messages: {
    batches: {
      retrieve: async (id) => ({
        id,
        request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
      }),
      results: async () => ({
        async *lines() {
          yield JSON.stringify({ custom_id: 'a', result: { type: 'succeeded' } });
        },
      }),
    },
  },
}`;

const BATCH = {
  id: 'msgbatch_1',
  type: 'message_batch',
  processing_status: 'canceling',
  request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
  ended_at: null,
  created_at: '2026-11-28T10:00:00Z',
  expires_at: '2026-11-29T10:00:00Z',
  archived_at: null,
  cancel_initiated_at: '2026-11-28T10:01:00Z',
  results_url: null,
};

// Each step prints the URLs resolved since the previous one.
const ESM_SCRIPT = `import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
let seen = 0;
const since = () => {
  const lines = readFileSync(process.env.RESOLVE_LOG, 'utf8').split('\\n').filter(Boolean);
  const fresh = lines.slice(seen);
  seen = lines.length;
  return fresh;
};
since();
const steps = {};
const m = await import('@msgbatch/node');
steps.import = since();
// Node loads its fetch implementation (undici) the first time Request or fetch is touched.
steps.undiciAtImport = process.moduleLoadList.filter((name) => name.includes('undici'));
const BATCH = ${JSON.stringify(JSON.stringify(BATCH))};
const api = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(BATCH));
await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
const client = new m.Anthropic({ apiKey: 'k', baseURL: 'http://127.0.0.1:' + api.address().port });
steps.cancelledId = (await client.messages.batches.cancel('msgbatch_1')).id;
api.close();
steps.cancel = since();
await m.mintBrowserToken({ secret: '${SECRET}', subject: 'u', scopes: ['batches:read'] });
steps.mintBrowserToken = since();
const server = createServer(m.toNodeHandler(async () => new Response('ok')));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const answer = await fetch('http://127.0.0.1:' + server.address().port + '/');
if ((await answer.text()) !== 'ok') throw new Error('toNodeHandler did not answer');
server.close();
steps.toNodeHandler = since();
const dir = mkdtempSync(join(tmpdir(), 'msgbatch-lazy-'));
await m.writeResultsFile(${STUB_CLIENT}, 'msgbatch_1', join(dir, 'out.jsonl'));
steps.writeResultsFile = since();
console.log(JSON.stringify(steps));
`;

// The CommonJS build carries jose inside it; the lazily loaded paths must work there too.
const CJS_SCRIPT = `const m = require('@msgbatch/node');
const { mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
(async () => {
  const token = await m.mintBrowserToken({ secret: '${SECRET}', subject: 'u', scopes: ['batches:read'] });
  const proxy = m.createBatchesProxy({
    upstream: { baseURL: 'https://upstream.invalid', apiKey: 'k' },
    verify: { secret: '${SECRET}' },
    allowedOrigins: [],
    fetch: async () => Response.json({ id: 'msgbatch_1', type: 'message_batch' }),
  });
  const url = 'http://proxy.local/v1/messages/batches/msgbatch_1';
  const allowed = await proxy(new Request(url, { headers: { authorization: 'Bearer ' + token } }));
  const forged = await m.mintBrowserToken({ secret: 'another-secret-of-at-least-32-bytes', subject: 'u', scopes: ['batches:read'] });
  const refused = await proxy(new Request(url, { headers: { authorization: 'Bearer ' + forged } }));
  const dir = mkdtempSync(join(tmpdir(), 'msgbatch-lazy-'));
  const written = await m.writeResultsFile(${STUB_CLIENT}, 'msgbatch_1', join(dir, 'out.jsonl'));
  console.log(JSON.stringify({
    allowed: allowed.status,
    refused: refused.status,
    reason: (await refused.json()).error.message,
    file: readFileSync(written.path, 'utf8'),
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

const JOSE = /\/jose\//;
const KY = /\/ky\/distribution\//;
const LAZY_BUILTINS = ['node:crypto', 'node:fs/promises', 'node:stream', 'node:stream/promises'];

describe('@msgbatch/node loads features on first use', () => {
  let steps: Record<
    | 'import'
    | 'undiciAtImport'
    | 'cancel'
    | 'mintBrowserToken'
    | 'toNodeHandler'
    | 'writeResultsFile',
    string[]
  > & { cancelledId: string };

  beforeAll(async () => {
    buildIfStale();
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-hooks-'));
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    writeFileSync(join(dir, 'register.mjs'), REGISTER);
    const log = join(dir, 'resolved.log');
    writeFileSync(log, '');
    const { stdout } = await run(
      process.execPath,
      ['--import', join(dir, 'register.mjs'), '--input-type=module', '-e', ESM_SCRIPT],
      // cwd inside the package: '@msgbatch/node' resolves to this package's build.
      { cwd: packageDir, env: { PATH: process.env.PATH, RESOLVE_LOG: log } },
    );
    steps = JSON.parse(stdout);
  }, 60_000);

  it('importing the entry loads core and the proxy entry, but not jose or the Node I/O modules', () => {
    expect(steps.import.some((url) => url.endsWith('/core/dist/node/index.js'))).toBe(true);
    expect(steps.import.some((url) => url.endsWith('/core/dist/node/proxy.js'))).toBe(true);
    expect(steps.import.filter((url) => JOSE.test(url))).toEqual([]);
    expect(steps.import.filter((url) => LAZY_BUILTINS.includes(url))).toEqual([]);
  });

  it("Node's import of core is its bundle: a few chunks, none of the per-module files bundlers split", () => {
    // About 90 per-module files took twice the import time of the bundle (bench/, cold import).
    const core = [...new Set(steps.import.filter((url) => url.includes('/core/dist/')))];
    expect(core.filter((url) => url.includes('/core/dist/esm/'))).toEqual([]);
    expect(core.length).toBeGreaterThan(0);
    expect(core.length).toBeLessThanOrEqual(20);
  });

  it('importing the entry loads neither ky nor the fetch implementation of Node; the first request loads ky', () => {
    expect(steps.import.filter((url) => KY.test(url))).toEqual([]);
    expect(steps.undiciAtImport).toEqual([]);
    expect(steps.cancelledId).toBe('msgbatch_1');
    expect(steps.cancel.some((url) => KY.test(url))).toBe(true);
  });

  it('a program that registers no tracer provider loads no OpenTelemetry, a request included', () => {
    const otel = [...steps.import, ...steps.cancel].filter((url) => url.includes('@opentelemetry'));
    expect(otel).toEqual([]);
  });

  it('mintBrowserToken loads jose', () => {
    expect(steps.mintBrowserToken.some((url) => JOSE.test(url))).toBe(true);
  });

  it('toNodeHandler loads node:stream', () => {
    expect(steps.toNodeHandler).toEqual(
      expect.arrayContaining(['node:stream', 'node:stream/promises']),
    );
  });

  it('writeResultsFile loads node:crypto and node:fs/promises', () => {
    expect(steps.writeResultsFile).toEqual(
      expect.arrayContaining(['node:crypto', 'node:fs/promises']),
    );
  });

  it('the CommonJS entry mints, verifies and writes through the same lazy paths', async () => {
    const { stdout } = await run(process.execPath, ['-e', CJS_SCRIPT], {
      cwd: packageDir,
      env: { PATH: process.env.PATH },
    });
    expect(JSON.parse(stdout)).toEqual({
      allowed: 200,
      refused: 401,
      reason: 'The token signature is invalid.',
      file: `${JSON.stringify({ custom_id: 'a', result: { type: 'succeeded' } })}\n`,
    });
  });
});
