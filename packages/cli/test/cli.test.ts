import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MessageBatch, toNodeHandler } from '@msgbatch/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCliIfStale,
  cliEnv,
  emulatorThenList,
  KEY,
  requests,
  runCli,
  serve,
} from './helpers.ts';

const ESC = '\x1b';
let env: Awaited<ReturnType<typeof serve>>;
let cliEnvironment: NodeJS.ProcessEnv;
const cli = (...args: string[]) => runCli(args, cliEnvironment);

beforeAll(async () => {
  buildCliIfStale();
  // 100 requests/s: a 5-request batch ends in 50 ms, a 100,000-request one runs for hours.
  // No retry-after on polls here: these tests run on the real clock, and the CLI's waits
  // would honour the API's 10 s hint (pinned on a manual clock in the wait tests).
  env = await serve({ rate: 100, cancelDrainMs: 300, pollRetryAfter: false });
  cliEnvironment = cliEnv({ ANTHROPIC_BASE_URL: env.server.url, ANTHROPIC_API_KEY: KEY });
}, 60_000);
afterAll(() => env?.server.close());

async function endedBatch(count = 5): Promise<MessageBatch> {
  const created = await env.batches.create({ requests: requests(count) });
  return env.batches.waitForEnd(created.id, { pollInterval: 20 });
}
const runningBatch = () => env.batches.create({ requests: requests(20_000) });

describe('msgbatch list / get / delete', () => {
  it('list --json prints the newest batches as a JSON array', async () => {
    const a = await runningBatch();
    const b = await endedBatch();
    const run = await cli('list', '--limit', '2', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((x: MessageBatch) => x.id)).toEqual([b.id, a.id]);
  });

  it('list off a terminal prints one plain line per batch, without escape codes', async () => {
    const b = await endedBatch();
    const run = await cli('list', '--status', 'ended', '--limit', '1');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout.trim()).toBe(
      `${b.id} ended processing=0 succeeded=5 errored=0 canceled=0 expired=0 created=${b.created_at}`,
    );
  });

  it('get prints the batch; an unknown id exits 1 with the API message', async () => {
    const b = await endedBatch();
    const json = await cli('get', b.id, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(b);
    const plain = await cli('get', b.id);
    expect(plain.stdout).toMatch(new RegExp(`^id: +${b.id}$`, 'm'));
    expect(plain.stdout).toMatch(/^status: +ended$/m);
    const missing = await cli('get', 'msgbatch_missing');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Message Batch msgbatch_missing not found.');
    const missingJSON = await cli('get', 'msgbatch_missing', '--json');
    expect(JSON.parse(missingJSON.stderr).error).toMatchObject({
      name: 'NotFoundError',
      status: 404,
    });
  });

  it('delete removes an ended batch and refuses a running one', async () => {
    const b = await endedBatch();
    const run = await cli('delete', b.id);
    expect(run).toMatchObject({ code: 0, stdout: `Deleted ${b.id}\n` });
    expect((await cli('get', b.id)).code).toBe(1);
    const running = await runningBatch();
    const refused = await cli('delete', running.id, '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error.status).toBe(400);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['list', '--limit', 'many']],
    [['list', '--status', 'done']],
    [['cancel']],
    [['cancel', 'msgbatch_x', '--all-in-progress']],
    [['cancel', '--all-in-progress', '--created-before', 'yesterday-ish']],
    [['results', 'msgbatch_x', '--type', 'bogus']],
    [['frobnicate']],
    [['get']],
  ])('msgbatch %j', async (args) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toBe('');
  });

  it('without any credential', async () => {
    const run = await runCli(['list'], cliEnv({ ANTHROPIC_BASE_URL: env.server.url }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ANTHROPIC_API_KEY');
  });

  it('--help exits 0', async () => {
    const run = await cli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cancel');
  });
});

describe('credentials', () => {
  it('never prints a rejected key', async () => {
    const canary = 'sk-ant-canary-Zq9xW2';
    const run = await runCli(
      ['list'],
      cliEnv({ ANTHROPIC_BASE_URL: env.server.url, ANTHROPIC_API_KEY: canary }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('401');
    expect(run.stdout + run.stderr).not.toContain(canary);
  });

  it('reads --api-key-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-key-'));
    writeFileSync(join(dir, 'key'), `${KEY}\n`);
    const run = await runCli(
      ['list', '--limit', '1', '--json', '--api-key-file', join(dir, 'key')],
      cliEnv({ ANTHROPIC_BASE_URL: env.server.url }),
    );
    expect(run.code).toBe(0);
    const missing = await runCli(['list', '--api-key-file', join(dir, 'nope')], cliEnv({}));
    expect(missing.code).toBe(2);
  });
});

describe('msgbatch cancel', () => {
  it('reports one outcome per id and exits 1 when one was not found', async () => {
    const running = await runningBatch();
    const ended = await endedBatch();
    const run = await cli('cancel', running.id, ended.id, 'msgbatch_missing', '--json', '--yes');
    expect(run.code).toBe(1);
    const outcomes = JSON.parse(run.stdout);
    expect(outcomes.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      [running.id, 'canceled'],
      [ended.id, 'already_ended'],
      ['msgbatch_missing', 'not_found'],
    ]);
    expect(outcomes[2].error.status).toBe(404);
  });

  it('--wait waits until the canceled batch has ended', async () => {
    const running = await runningBatch();
    const run = await cli('cancel', running.id, '--wait');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${running.id} canceled (canceling)`);
    expect(run.stdout).toMatch(new RegExp(`${running.id} ended processing=0 .*canceled=[1-9]`));
    expect(run.stderr).not.toContain(ESC);
  });

  it('--all-in-progress cancels every batch in progress', async () => {
    const a = await runningBatch();
    const b = await runningBatch();
    const run = await cli('cancel', '--all-in-progress', '--json', '--yes');
    expect(run.code).toBe(0);
    const ids = JSON.parse(run.stdout).map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(env.emulator.store.counts().in_progress).toBe(0);
  });
});

describe('msgbatch wait', () => {
  it('prints progress lines on stderr and the ended batch as JSON', async () => {
    const created = await env.batches.create({ requests: requests(150) });
    const run = await cli('wait', created.id, '--json', '--poll-interval', '0.2');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: created.id, processing_status: 'ended' });
    expect(run.stderr).toBe('');
    const plain = await cli('wait', created.id);
    expect(plain.stderr).toMatch(
      new RegExp(`^${created.id} ended processing=0 .* elapsed=0s$`, 'm'),
    );
    expect(plain.stdout).toMatch(/^status: +ended$/m);
  });

  it('Ctrl-C exits 130 and says the batch keeps running on the server', async () => {
    const running = await runningBatch();
    // A counting front of the emulator: Ctrl-C goes once the CLI has polled (its handler is set).
    let polls = 0;
    const front = createServer(
      toNodeHandler((request) => {
        polls++;
        return env.emulator.fetch(request);
      }),
    );
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const sent = setInterval(() => {
      if (polls > 0 && child) {
        child.kill('SIGINT');
        clearInterval(sent);
      }
    }, 50);
    let child: ChildProcess | undefined;
    const run = await runCli(
      ['wait', running.id],
      { ...cliEnvironment, ANTHROPIC_BASE_URL: url },
      undefined,
      undefined,
      (spawned) => {
        child = spawned;
      },
    );
    clearInterval(sent);
    front.close();
    expect(run.code).toBe(130);
    expect(run.stderr).toBe(
      `Stopped waiting. Batch ${running.id} keeps running on the server; \`msgbatch cancel ${running.id}\` stops it.\nInterrupted.\n`,
    );
    expect(env.emulator.store.get(running.id)?.processing_status).toBe('in_progress');
  });

  it('exits 1 after --max-wait', async () => {
    const running = await runningBatch();
    const run = await cli('wait', running.id, '--max-wait', '0.3', '--poll-interval', '0.1');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('had not ended');
  });
});

describe('msgbatch results', () => {
  async function canceledBatch() {
    const created = await env.batches.create({ requests: requests(400) });
    await new Promise((r) => setTimeout(r, 1000));
    return (await env.batches.cancelAndWait(created.id, { pollInterval: 50 })).batch;
  }

  it('streams JSONL, filters by --type, and sums up with --summary', async () => {
    const batch = await canceledBatch();
    const { canceled, succeeded } = batch.request_counts;
    expect(canceled).toBeGreaterThan(0);
    const all = await cli('results', batch.id);
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n')).toHaveLength(400);
    const only = await cli('results', batch.id, '--type', 'canceled');
    const lines = only.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(canceled);
    expect(lines.every((l) => l.result.type === 'canceled')).toBe(true);
    const summary = await cli('results', batch.id, '--summary', '--type', 'canceled', '--json');
    expect(JSON.parse(summary.stdout)).toMatchObject({
      reconciled: true,
      counts: { canceled, succeeded, errored: 0, expired: 0 },
      custom_ids: expect.arrayContaining([lines[0].custom_id]),
    });
    const plain = await cli('results', batch.id, '--summary');
    expect(plain.stdout).toContain(`canceled: ${canceled}\n`);
    expect(plain.stdout).toContain('reconciled: yes');
  });

  it('--out writes the file and leaves no temporary file', async () => {
    const batch = await canceledBatch();
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-out-'));
    const out = join(dir, 'results.jsonl');
    const run = await cli('results', batch.id, '--out', out, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ written: 400, read: 400 });
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(401);
    expect(readdirSync(dir)).toEqual(['results.jsonl']);
  });

  it.each([
    ['a body cut short', { type: 'truncate' as const, afterBytes: 5000 }],
    ['a malformed line', { type: 'malformed-line' as const, afterLines: 10 }],
  ])('after %s, nothing is left under the final name (exit 1)', async (_name, fault) => {
    const batch = await canceledBatch();
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-out-'));
    const out = join(dir, 'results.jsonl');
    env.emulator.faults.add({ operation: 'results', ...fault, times: 5 });
    const run = await cli('results', batch.id, '--out', out);
    env.emulator.faults.clear();
    expect(run.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failed download leaves an existing file as it was', async () => {
    const batch = await canceledBatch();
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-out-'));
    const out = join(dir, 'results.jsonl');
    writeFileSync(out, 'previous\n');
    env.emulator.faults.add({ operation: 'results', type: 'truncate', afterBytes: 100, times: 5 });
    const run = await cli('results', batch.id, '--out', out);
    env.emulator.faults.clear();
    expect(run.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['results.jsonl']);
  });

  it('results of a batch still running explains why and what to run (exit 1)', async () => {
    const running = await runningBatch();
    for (const extra of [['--out', join(tmpdir(), 'never.jsonl')], [], ['--summary']]) {
      const run = await cli('results', running.id, ...extra);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `msgbatch: Batch ${running.id} is in_progress: results exist once it has ended. Run \`msgbatch wait ${running.id}\`, then read them.\n`,
      );
    }
  });
});

describe('msgbatch emulator and demo', () => {
  it('emulator serves on the URL it prints, until Ctrl-C (130)', async () => {
    const { emulator: run, list: listed } = await emulatorThenList([]);
    expect(run.code).toBe(130);
    expect(JSON.parse(run.stdout.split('\n')[0]!).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('demo runs end to end and its canceled ids match request_counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-demo-test-'));
    const out = join(dir, 'demo.jsonl');
    const run = await runCli(['demo', '--json', '--out', out], cliEnv({}));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.canceled_custom_ids).toBe(report.request_counts.canceled);
    expect(report.request_counts.canceled).toBeGreaterThan(0);
    expect(report.request_counts.processing).toBe(0);
    expect(report.done_at_cancel).toBeLessThan(
      report.request_counts.succeeded + report.request_counts.errored,
    );
    expect(report).toMatchObject({ reconciled: true, deleted: true, results_file: out });
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(5000);
  }, 30_000);
});
