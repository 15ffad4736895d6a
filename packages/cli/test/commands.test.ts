import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageBatch } from '@msgbatch/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, cliEnv, KEY, requests, runCli, serve } from './helpers.ts';

let env: Awaited<ReturnType<typeof serve>>;
let cliEnvironment: NodeJS.ProcessEnv;
const cli = (...args: string[]) => runCli(args, cliEnvironment);
const version = (
  JSON.parse(
    (await import('node:fs')).readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'),
  ) as { version: string }
).version;

beforeAll(async () => {
  buildCliIfStale();
  env = await serve({ rate: 100, cancelDrainMs: 300 });
  cliEnvironment = cliEnv({ ANTHROPIC_BASE_URL: env.server.url, ANTHROPIC_API_KEY: KEY });
}, 60_000);
afterAll(() => env?.server.close());

const runningBatch = () => env.batches.create({ requests: requests(20_000) });
const jsonl = (n: number, prefix = 'r') =>
  requests(n)
    .map((r, i) => JSON.stringify({ ...r, custom_id: `${prefix}-${i}` }))
    .join('\n');
const batchCount = () => Object.values(env.emulator.store.counts()).reduce((a, b) => a + b, 0);

describe('the command line itself', () => {
  it('no arguments prints the help on stderr and exits 2', async () => {
    const run = await cli();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: msgbatch [options] [command]');
  });

  it('--version prints the version', async () => {
    expect(await cli('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each([
    [['list', '--bogus'], "msgbatch: unknown option '--bogus'"],
    [['list', '--limit', 'many'], "msgbatch: option '--limit <n>' argument 'many' is invalid"],
    [['frobnicate'], "msgbatch: unknown command 'frobnicate'"],
    [['cancel'], 'msgbatch: Give at least one batch id, or --all-in-progress.'],
  ])('every error has the one prefix: %j', async (args, first) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(first);
    expect(run.stderr.startsWith('msgbatch: ')).toBe(true);
  });

  it('times say their zone: local by default, UTC with --utc', async () => {
    const batch = await runningBatch();
    const utc = await cli('get', batch.id, '--utc');
    const shown = `${batch.created_at.replace('T', ' ').slice(0, 19)} UTC`;
    expect(utc.stdout).toMatch(new RegExp(`^created_at: +${shown}$`, 'm'));
    const local = await runCli(['get', batch.id], { ...cliEnvironment, TZ: 'Asia/Kolkata' });
    const at = new Date(Date.parse(batch.created_at) + 330 * 60_000).toISOString();
    expect(local.stdout).toMatch(
      new RegExp(`^created_at: +${at.replace('T', ' ').slice(0, 19)} \\+05:30$`, 'm'),
    );
  });
});

describe('msgbatch create', () => {
  it('creates a batch from --file, streamed line by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-create-'));
    writeFileSync(join(dir, 'requests.jsonl'), `${jsonl(3, 'file')}\n`);
    const run = await cli('create', '--file', join(dir, 'requests.jsonl'), '--json');
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as MessageBatch;
    expect(created.processing_status).toBe('in_progress');
    const counts = env.emulator.store.get(created.id)!.request_counts;
    expect(Object.values(counts).reduce((a: number, b) => a + Number(b), 0)).toBe(3);
  });

  it('reads stdin when no --file is given', async () => {
    const run = await runCli(['create'], cliEnvironment, undefined, jsonl(2, 'stdin'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^status: +in_progress$/m);
    expect(run.stderr).toMatch(/^Follow it with: msgbatch wait msgbatch_\w+$/m);
  });

  it('--dry-run prints what would be sent and sends nothing', async () => {
    const before = batchCount();
    const run = await runCli(
      ['create', '--dry-run', '--json'],
      cliEnv({ ANTHROPIC_BASE_URL: env.server.url }),
      undefined,
      jsonl(2, 'dry'),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dry_run: true,
      method: 'POST',
      path: '/v1/messages/batches',
      requests: 2,
      custom_ids: ['dry-0', 'dry-1'],
    });
    expect(batchCount()).toBe(before);
  });

  it.each([
    ['{"custom_id":"a","params":{}}\nnot json', 'stdin:2: not JSON'],
    [
      '{"custom_id":"a","params":{}}\n{"custom_id":"a","params":{}}',
      'stdin:2: custom_id "a" is already used on line 1',
    ],
    ['{"params":{}}', 'stdin:1: "custom_id" must be a string'],
    ['', 'stdin: no requests'],
    ['{"custom_id":"a b","params":{"model":"m","max_tokens":1,"messages":[]}}', 'custom_id'],
  ])('refuses bad input before sending anything (exit 2): %j', async (input, message) => {
    const before = batchCount();
    const run = await runCli(['create'], cliEnvironment, undefined, input);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(batchCount()).toBe(before);
  });
});

describe('bulk cancel', () => {
  it('off a terminal, without --yes, refuses (exit 2) and cancels nothing', async () => {
    const a = await runningBatch();
    const b = await runningBatch();
    const run = await cli('cancel', a.id, b.id);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('without confirmation: not a terminal. Add --yes');
    expect(env.emulator.store.get(a.id)?.processing_status).toBe('in_progress');
    expect(env.emulator.store.get(b.id)?.processing_status).toBe('in_progress');
  });

  it('--dry-run lists what --all-in-progress would cancel and sends nothing', async () => {
    const a = await runningBatch();
    const run = await cli('cancel', '--all-in-progress', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Would cancel \d+ batch(es)? \(nothing was sent\):$/m);
    expect(run.stdout).toContain(`  ${a.id}  `);
    expect(env.emulator.store.get(a.id)?.processing_status).toBe('in_progress');
  });

  it('--yes cancels without asking; one id needs no confirmation', async () => {
    const a = await runningBatch();
    const b = await runningBatch();
    expect((await cli('cancel', a.id, b.id, '--yes')).code).toBe(0);
    expect(env.emulator.store.get(a.id)?.processing_status).not.toBe('in_progress');
    const c = await runningBatch();
    expect((await cli('cancel', c.id)).code).toBe(0);
    expect(env.emulator.store.get(c.id)?.processing_status).not.toBe('in_progress');
  });
});

describe('msgbatch wait off a terminal', () => {
  it('writes no progress frames, one line at the end', async () => {
    const created = await env.batches.create({ requests: requests(50) });
    const run = await cli('wait', created.id, '--poll-interval', '0.1');
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^${created.id} ended processing=0 `));
  });
});
