/**
 * Issue 13 §4: `writeResultsFile` against file-system and network faults, over a real
 * server. Whatever fails, nothing is left beside the target but what was there, no
 * download stays open, and a run killed mid-download is cleaned up by the next one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '@msgbatch/emulator';
import { MsgbatchClient, toNodeHandler, writeResultsFile } from '@msgbatch/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, listen, ROOT, report, requests, type TestServer } from './helpers.ts';

const emulator = createEmulator({ rate: 1000, apiKeys: [CANARY] });
let server: TestServer;
let id = '';
const counts = { fileFaults: 0, tempFilesLeft: 0, requestsBeforeFailure: 0 };

beforeAll(async () => {
  server = await listen(toNodeHandler((request) => emulator.fetch(request)));
  const client = new MsgbatchClient({ apiKey: CANARY, baseURL: server.url, logLevel: 'off' });
  id = (await client.messages.batches.create({ requests: requests(400) })).id;
  await client.messages.batches.waitForEnd(id, { pollInterval: 20 });
});
afterAll(async () => {
  await server.close();
  report('results-file', counts);
});

const client = (options: Record<string, unknown> = {}) =>
  new MsgbatchClient({
    apiKey: CANARY,
    baseURL: server.url,
    logLevel: 'off',
    maxRetries: 0,
    ...options,
  });
const temps = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('writeResultsFile under faults', () => {
  it.each([
    ['a missing directory', (dir: string) => join(dir, 'missing', 'out.jsonl'), 'ENOENT'],
    [
      'a path under a regular file',
      (dir: string) => {
        writeFileSync(join(dir, 'file'), 'x');
        return join(dir, 'file', 'out.jsonl');
      },
      'ENOTDIR',
    ],
  ])('%s: fails before any request', async (_, target, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-faults-'));
    const before = server.received.length;
    const error = await writeResultsFile(client(), id, target(dir)).catch(
      (e: NodeJS.ErrnoException) => e,
    );
    counts.fileFaults++;
    counts.requestsBeforeFailure += server.received.length - before;
    expect((error as NodeJS.ErrnoException).code).toBe(code);
    expect(server.received.length).toBe(before);
  });

  it('a target that is a directory: the rename fails, the directory and nothing else remain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-faults-'));
    mkdirSync(join(dir, 'out.jsonl'));
    const error = await writeResultsFile(client(), id, join(dir, 'out.jsonl')).catch(
      (e: unknown) => e,
    );
    counts.fileFaults++;
    counts.tempFilesLeft += temps(dir).length;
    expect((error as NodeJS.ErrnoException).code).toMatch(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it.each([
    [
      'a body cut short',
      { type: 'truncate', afterBytes: 2000 },
      {},
      /APIConnectionError|JSONLDecodeError|ResultsMismatchError/,
    ],
    [
      'a body that stalls',
      { type: 'stall', afterBytes: 2000 },
      { idleTimeout: 200 },
      /APIConnectionTimeoutError/,
    ],
    // Behind toNodeHandler the emulator's reset is a handler that throws: the adapter's 500.
    ['a connection reset', { type: 'reset' }, {}, /APIConnectionError|InternalServerError/],
    ['a malformed line', { type: 'malformed-line', afterLines: 10 }, {}, /ResultsMismatchError/],
  ] as const)('%s: a typed error, no temporary file left', async (_, fault, options, name) => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-faults-'));
    emulator.faults.add({ operation: 'results', ...fault } as never);
    try {
      const error = await writeResultsFile(client(options), id, join(dir, 'out.jsonl')).catch(
        (e: unknown) => e,
      );
      counts.fileFaults++;
      counts.tempFilesLeft += temps(dir).length;
      expect((error as Error).name).toMatch(name);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      emulator.faults.clear();
    }
  });

  it('a run killed mid-download leaves its temporary file; the next run of the target removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-faults-'));
    const target = join(dir, 'out.jsonl');
    emulator.faults.add({ operation: 'results', type: 'stall', afterBytes: 5000 });
    const script = `
      import { MsgbatchClient, writeResultsFile } from '@msgbatch/node';
      const client = new MsgbatchClient({ apiKey: process.env.KEY, baseURL: process.env.URL, logLevel: 'off' });
      writeResultsFile(client, process.env.ID, process.env.TARGET, { onProgress: ({ read }) => {
        if (read === 1) process.stdout.write('started\\n');
      } });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(ROOT, 'adversarial'),
      env: { PATH: process.env.PATH ?? '', KEY: CANARY, URL: server.url, ID: id, TARGET: target },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    // A temporary file with a line or so in it, and the process still running.
    expect(temps(dir)).toHaveLength(1);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    emulator.faults.clear();
    expect(temps(dir)).toHaveLength(1);
    await writeResultsFile(client(), id, target);
    counts.fileFaults++;
    counts.tempFilesLeft += temps(dir).length;
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });
});
