import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageBatch } from '@msgbatch/node';
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

let env: Awaited<ReturnType<typeof serve>>;
let cliEnvironment: NodeJS.ProcessEnv;
const cli = (...args: string[]) => runCli(args, cliEnvironment);
const version = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')) as {
    version: string;
  }
).version;

beforeAll(async () => {
  buildCliIfStale();
  // No retry-after on polls: these runs use the real clock (test/wait.test.ts pins the CLI's
  // handling of the API's 10 s hint on a manual one).
  env = await serve({ rate: 100, cancelDrainMs: 300, pollRetryAfter: false });
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
  it('goes on after polls that failed for a passing reason (5xx), as the library wait does', async () => {
    const created = await env.batches.create({ requests: requests(50) });
    // Every attempt of two polls (the client retries twice) answers 503.
    env.emulator.faults.add({ operation: 'retrieve', type: 'status', status: 503, times: 6 });
    const run = await cli('wait', created.id, '--poll-interval', '0.1', '--json');
    env.emulator.faults.clear();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: created.id, processing_status: 'ended' });
  });

  it('stops at an error that will not pass (404), exit 1', async () => {
    const run = await cli('wait', 'msgbatch_missing');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not found');
  });

  it('writes no progress frames, one line at the end', async () => {
    const created = await env.batches.create({ requests: requests(50) });
    const run = await cli('wait', created.id, '--poll-interval', '0.1');
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^${created.id} ended processing=0 `));
  });
});

describe('msgbatch dashboard (server side)', () => {
  it('--open hands the login URL to $BROWSER; --emulator needs no key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-open-'));
    const opener = join(dir, 'open.sh');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$1" > "${join(dir, 'opened')}"\n`, {
      mode: 0o755,
    });
    let opened = '';
    const run = await runCli(
      ['dashboard', '--emulator', '--port', '0', '--open', '--json'],
      cliEnv({ BROWSER: opener }),
      ({ stdout }, child) => {
        if (!stdout.includes('\n') || child.killed) return;
        const poll = setInterval(() => {
          try {
            opened = readFileSync(join(dir, 'opened'), 'utf8');
          } catch {
            return;
          }
          clearInterval(poll);
          child.kill('SIGINT');
        }, 50);
      },
    );
    expect(run.code).toBe(130);
    const printed = JSON.parse(run.stdout.split('\n')[0]!);
    expect(printed).toMatchObject({ upstream: 'the embedded emulator' });
    expect(printed.login_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]+$/);
    expect(opened).toBe(printed.login_url);
  });

  it('guards its endpoints: Host, same origin, the login code, a session for tokens', async () => {
    let checks: Promise<Record<string, unknown>> | undefined;
    const run = await runCli(
      ['dashboard', '--emulator', '--port', '0', '--json'],
      cliEnv({}),
      ({ stdout }, child) => {
        if (checks || !stdout.includes('\n')) return;
        const { url, login_url: loginURL } = JSON.parse(stdout);
        const origin = url.replace(/\/$/, '');
        const code = /#code=(.+)$/.exec(loginURL)![1];
        const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
          fetch(origin + path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin, ...headers },
            body: JSON.stringify(body),
          });
        checks = (async () => {
          const page = await fetch(url);
          const session = await post('/api/session', { code });
          const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
          const result = {
            csp: page.headers.get('content-security-policy'),
            // A DNS-rebinding page arrives with its own Host (fetch cannot set it; node:http can).
            foreignHost: await new Promise<number>((resolve) => {
              import('node:http').then(({ request }) =>
                request(url, { headers: { host: 'attacker.example' } }, (r) =>
                  resolve(r.statusCode!),
                ).end(),
              );
            }),
            wrongCode: (await post('/api/session', { code: 'nope' })).status,
            crossSite: (await post('/api/session', { code }, { origin: 'https://evil.example' }))
              .status,
            sessionCookie: session.headers.get('set-cookie'),
            tokenWithoutSession: (await post('/api/token', {})).status,
            tokenCrossSite: (
              await post('/api/token', {}, { cookie, origin: 'https://evil.example' })
            ).status,
            token: await (await post('/api/token', {}, { cookie })).json(),
            proxyWithoutToken: (await fetch(`${origin}/api/batches-proxy/v1/messages/batches`))
              .status,
          };
          child.kill('SIGINT');
          return result;
        })();
      },
    );
    expect(run.code).toBe(130);
    const result = await checks!;
    expect(result).toMatchObject({
      foreignHost: 421,
      wrongCode: 401,
      crossSite: 403,
      tokenWithoutSession: 401,
      tokenCrossSite: 403,
      proxyWithoutToken: 401,
      token: { scopes: ['batches:read', 'batches:results', 'batches:cancel'], readOnly: false },
    });
    expect(result.csp).toContain("script-src 'self'");
    expect(result.sessionCookie).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('without a key and without --emulator, says what to do (exit 2)', async () => {
    const run = await runCli(['dashboard', '--port', '0'], cliEnv({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--emulator');
  });
});

describe('msgbatch emulator', () => {
  it('--seed-batches N starts with N batches the CLI then lists', async () => {
    const { emulator: run, list: listed } = await emulatorThenList(['--seed-batches', '2']);
    expect(run.code).toBe(130);
    const { seeded_batches: seeded } = JSON.parse(run.stdout.split('\n')[0]!);
    expect(seeded).toHaveLength(2);
    const ids = JSON.parse(listed.stdout).map((b: MessageBatch) => b.id);
    expect([...ids].sort()).toEqual([...seeded].sort());
  });

  it('without seeds it prints the line that creates a batch; a busy port is one line, exit 1', async () => {
    const run = await runCli(['emulator', '--port', '0'], cliEnv({}), ({ stdout }, child) => {
      if (stdout.includes('Stop it with Ctrl-C.') && !child.killed) child.kill('SIGINT');
    });
    expect(run.stdout).toMatch(/^ {2}echo '\{"custom_id":"hello",.*\}' \| msgbatch create$/m);
    const port = new URL(/listening on (\S+)/.exec(run.stdout)![1]!).port;
    const busy = await runCli(['emulator', '--port', new URL(env.server.url).port], cliEnv({}));
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(
      `msgbatch: Port ${new URL(env.server.url).port} on 127.0.0.1 is already in use; pick another with --port (0 picks a free one).\n`,
    );
    expect(port).toMatch(/^\d+$/);
  });
});
