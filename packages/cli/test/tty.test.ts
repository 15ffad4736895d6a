import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toNodeHandler } from '@msgbatch/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, CLI, KEY, requests, serve } from './helpers.ts';

// The interactive parts, driven in a real pseudo-terminal: the built binary runs in a
// tmux pane (a private tmux server), keys are sent to it and the screen is read back.
const SOCKET = `msgbatch-tty-test-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

let env: Awaited<ReturnType<typeof serve>>;
let front: ReturnType<typeof createServer>;
let frontURL: string;

beforeAll(async () => {
  if (!hasTmux) return;
  buildCliIfStale();
  env = await serve({ rate: 100, cancelDrainMs: 300 });
  // In front of the emulator: asks for `retry-after: 10` on every poll of a batch.
  front = createServer(
    toNodeHandler(async (request) => {
      const answer = await env.emulator.fetch(request);
      if (request.method !== 'GET' || !/\/batches\/[^/]+$/.test(new URL(request.url).pathname)) {
        return answer;
      }
      const headers = new Headers(answer.headers);
      headers.set('retry-after', '10');
      return new Response(answer.body, { status: answer.status, headers });
    }),
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontURL = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}, 60_000);
afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // no session was left
  }
  front?.close();
  return env?.server.close();
});

let sessions = 0;
/** Runs `msgbatch …args` in a new 150×40 pane; the pane prints EXIT:<code> when it ends. */
function terminal(args: string[], baseURL = env.server.url) {
  const name = `t${++sessions}`;
  const quoted = args.map((a) => `'${a}'`).join(' ');
  tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '150',
    '-y',
    '40',
    '-e',
    `ANTHROPIC_BASE_URL=${baseURL}`,
    '-e',
    `ANTHROPIC_API_KEY=${KEY}`,
    `'${process.execPath}' '${CLI}' ${quoted}; echo "EXIT:$?"; sleep 600`,
  );
  const screen = () => tmux('capture-pane', '-p', '-t', name, '-S', '-200');
  return {
    screen,
    keys: (...keys: string[]) => tmux('send-keys', '-t', name, ...keys),
    /** Waits (polling the screen) until it shows `pattern`; fails with the screen after 20 s. */
    async until(pattern: RegExp): Promise<string> {
      for (let i = 0; i < 400; i++) {
        const text = screen();
        if (pattern.test(text)) return text;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the screen never showed ${pattern}:\n${screen()}`);
    },
    close: () => tmux('kill-session', '-t', name),
  };
}

const running = () => env.batches.create({ requests: requests(20_000) });
const status = (id: string) => env.emulator.store.get(id)?.processing_status;

describe.skipIf(!hasTmux)('on a terminal (skipped: tmux is not installed)', () => {
  it('bulk cancel lists the batches, asks, and cancels on "y"', async () => {
    const a = await running();
    const b = await running();
    const t = terminal(['cancel', a.id, b.id]);
    const asked = await t.until(/Cancel these 2\? \[y\/N\]/);
    expect(asked).toContain('About to cancel 2 batches:');
    expect(asked).toContain(`  ${a.id}`);
    expect(asked).toContain(`  ${b.id}`);
    expect(status(a.id)).toBe('in_progress');
    t.keys('y', 'Enter');
    const done = await t.until(/EXIT:\d+/);
    t.close();
    expect(done).toContain('EXIT:0');
    expect(done).toContain(`${a.id} canceled`);
    expect(status(a.id)).not.toBe('in_progress');
    expect(status(b.id)).not.toBe('in_progress');
  });

  it('job submit shows a bar of the batches created; job cancel lists them, asks, and cancels on "y"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-tty-job-'));
    const file = join(dir, 'requests.jsonl');
    writeFileSync(
      file,
      requests(30_000)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const submit = terminal(['job', 'submit', file, '--max-requests', '10000']);
    const submitted = await submit.until(/EXIT:\d+/);
    submit.close();
    expect(submitted).toContain('checked 30000 requests: 3 batches');
    expect(submitted).toMatch(/submitting \[█+\] 3\/3 batches/);
    expect(submitted).toMatch(/^TOTAL +30000 +30000 /m);
    expect(submitted).toContain('EXIT:0');
    const manifest = JSON.parse(readFileSync(join(dir, 'requests.job.json'), 'utf8'));
    const ids: string[] = manifest.chunks.map((c: { batchId: string }) => c.batchId);

    const cancel = terminal(['job', 'cancel', join(dir, 'requests.job.json')]);
    const asked = await cancel.until(/Cancel these 3\? \[y\/N\]/);
    expect(asked).toContain(`About to cancel 3 batches of job ${manifest.jobId}:`);
    for (const id of ids) expect(asked).toContain(id);
    expect(ids.map(status)).toEqual(['in_progress', 'in_progress', 'in_progress']);
    cancel.keys('y', 'Enter');
    const done = await cancel.until(/EXIT:\d+/);
    cancel.close();
    expect(done).toContain('EXIT:0');
    expect(done).toMatch(/^TOTAL +30000 /m);
    expect(ids.map(status)).toEqual(['ended', 'ended', 'ended']);
  });

  it('bulk cancel answered with Enter (the default, no) cancels nothing', async () => {
    const a = await running();
    const b = await running();
    const t = terminal(['cancel', a.id, b.id]);
    await t.until(/\[y\/N\]/);
    t.keys('Enter');
    const done = await t.until(/EXIT:\d+/);
    t.close();
    expect(done).toContain('Nothing was canceled.');
    expect(done).toContain('EXIT:0');
    expect([status(a.id), status(b.id)]).toEqual(['in_progress', 'in_progress']);
  });

  it('wait shows status, elapsed time, counts and the next poll as retry-after says; Ctrl-C says the batch keeps running', async () => {
    const batch = await running();
    const t = terminal(['wait', batch.id, '--poll-interval', '0.2'], frontURL);
    // retry-after: 10 wins over the 0.2 s poll interval.
    const shown = await t.until(/next poll in (10|9)s/);
    expect(shown).toMatch(
      new RegExp(`^${batch.id}  in_progress  elapsed \\d+s  next poll in`, 'm'),
    );
    expect(shown).toMatch(/^ {2}processing=20000 succeeded=0 errored=0 canceled=0 expired=0$/m);
    // The API keeps every request `processing` until the end: no bar stuck at 0 %.
    expect(shown).not.toContain('%');
    t.keys('C-c');
    const done = await t.until(/EXIT:\d+/);
    t.close();
    expect(done).toContain(
      `Stopped waiting. Batch ${batch.id} keeps running on the server; \`msgbatch cancel ${batch.id}\` stops it.`,
    );
    expect(done).toContain('EXIT:130');
    expect(status(batch.id)).toBe('in_progress');
  });

  it('wait draws a bar once the counts move, and ends with the batch details', async () => {
    const moving = await serve({ rate: 400, progressiveCounts: true });
    try {
      const batch = await moving.batches.create({ requests: requests(2000) });
      const t = terminal(['wait', batch.id, '--poll-interval', '0.2'], moving.server.url);
      const shown = await t.until(/\] \d+% of 2000 done/);
      expect(shown).toMatch(new RegExp(`^${batch.id}  in_progress  elapsed`, 'm'));
      const done = await t.until(/EXIT:\d+/);
      t.close();
      expect(done).toMatch(/^status: +ended$/m);
      expect(done).toContain('EXIT:0');
    } finally {
      await moving.server.close();
    }
  });

  it('cancel --wait shows no bar while the API keeps every request processing', async () => {
    const batch = await running();
    const t = terminal(['cancel', batch.id, '--wait']);
    const done = await t.until(/EXIT:\d+/);
    t.close();
    expect(done).toContain('EXIT:0');
    expect(done).toMatch(new RegExp(`^${batch.id} ended .*\\| 0 processing, ok `, 'm'));
    expect(done).not.toMatch(/\d+%/);
  });
});
