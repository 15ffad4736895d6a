/**
 * Secrets: a canary API key goes through representative flows — every operation and
 * workflow, errors of every kind (401, 404, 5xx, timeouts, resets, cut and stalled bodies,
 * bad answers, bad arguments), the logger at debug level, and the built CLI — and every
 * captured log line, error message, stack, `JSON.stringify(error)`, `util.inspect(error)`,
 * `String(error.cause)` and CLI output is scanned for it. Zero occurrences, asserted.
 *
 * (The browser test's network scan belongs to the browser package's tests.)
 * Writes `.tmp/reliability/canary.json`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  type BatchCreateParams,
  type ClientOptions,
  type Clock,
  type Logger,
  MsgbatchClient,
} from '@msgbatch/core';
import { createEmulator, type Emulator } from '@msgbatch/emulator';
import { afterAll, describe, expect, it } from 'vitest';

const CANARY = `sk-ant-api03-CANARY-${randomBytes(16).toString('hex')}`;
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'msgbatch.js');

/** Everything captured, by where it came from. */
const captured: { source: string; text: string }[] = [];
const capture = (source: string, text: string) => captured.push({ source, text });
const leaks = () => captured.filter((c) => c.text.includes(CANARY));

/** Every text form of an error a user or a log pipeline may see. */
function captureError(source: string, error: unknown) {
  capture(`${source}: String`, String(error));
  if (error instanceof Error) {
    capture(`${source}: message`, error.message);
    capture(`${source}: stack`, error.stack ?? '');
    capture(`${source}: String(cause)`, String(error.cause));
    if (error.cause instanceof Error) capture(`${source}: cause.stack`, error.cause.stack ?? '');
  }
  capture(`${source}: JSON.stringify`, JSON.stringify(error) ?? '');
  capture(`${source}: inspect`, inspect(error, { depth: 6 }));
}

const logger: Logger = {
  debug: (m, ...rest) => capture('log.debug', [m, ...rest.map((r) => inspect(r))].join(' ')),
  info: (m, ...rest) => capture('log.info', [m, ...rest.map((r) => inspect(r))].join(' ')),
  warn: (m, ...rest) => capture('log.warn', [m, ...rest.map((r) => inspect(r))].join(' ')),
  error: (m, ...rest) => capture('log.error', [m, ...rest.map((r) => inspect(r))].join(' ')),
};

function requests(count: number, prefix = 'r'): BatchCreateParams['requests'] {
  return Array.from({ length: count }, (_, i) => ({
    custom_id: `${prefix}-${i}`,
    params: {
      model: i % 3 === 2 ? 'not-a-claude-model' : 'claude-sonnet-4-5',
      max_tokens: 16,
      messages: [{ role: 'user' as const, content: `q ${i}` }],
    },
  }));
}

function setup(options: Partial<ClientOptions> = {}, apiKeys: string[] = [CANARY]) {
  const emulator = createEmulator({ clock: 'manual', rate: 100, apiKeys });
  const clock: Clock = {
    now: () => emulator.clock.now(),
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      const wakeAt = emulator.clock.now() + ms;
      await new Promise((resolve) => setImmediate(resolve));
      emulator.clock.set(Math.max(wakeAt, emulator.clock.now()));
    },
  };
  const client = new MsgbatchClient({
    apiKey: CANARY,
    baseURL: 'http://emulator.test',
    fetch: emulator.fetch,
    clock,
    random: () => 0,
    logger,
    logLevel: 'debug',
    ...options,
  });
  return { emulator, client, batches: client.messages.batches };
}

/** Runs a step; its value is scanned (inspect) and its error captured in every form. */
async function step(source: string, run: () => Promise<unknown>) {
  try {
    const value = await run();
    capture(`${source}: value`, inspect(value, { depth: 6 }));
  } catch (error) {
    captureError(source, error);
  }
}

async function drain(iterable: AsyncIterable<unknown>) {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const cliRuns: { args: string[]; code: number | null }[] = [];

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<void>((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        cliRuns.push({ args, code: typeof code === 'number' ? code : null });
        capture(`cli ${args.join(' ')}: stdout`, stdout);
        capture(`cli ${args.join(' ')}: stderr`, stderr);
        resolve();
      },
    );
  });
}

describe('a canary API key never shows up', () => {
  it('in logs, values and errors of every operation and workflow, faults included', async () => {
    const { emulator, batches } = setup();
    let id = '';
    await step('create', async () => {
      const batch = await batches.create({ requests: requests(6) });
      id = batch.id;
      return batch;
    });
    const slow = (await batches.create({ requests: requests(500, 's') })).id;
    await step('retrieve', () => batches.retrieve(id));
    await step('list', async () => drain(batches.list({ limit: 1 })));
    await step('waitForEnd', () => batches.waitForEnd(id));
    await step('results', async () => drain(batches.results(id)));
    await step('summarizeResults', () => batches.summarizeResults(id));
    await step('cancel', () => batches.cancel(slow));
    await step('cancelAndWait', () => batches.cancelAndWait(slow));
    await step('cancelMany', () => batches.cancelMany([id, slow, 'msgbatch_missing']));
    await step('404', () => batches.retrieve('msgbatch_missing'));
    await step('400 delete in progress', async () => {
      const fresh = await batches.create({ requests: requests(50, 'f') });
      return batches.delete(fresh.id);
    });
    const faults: [string, Parameters<Emulator['faults']['add']>[0]][] = [
      ['429', { operation: 'retrieve', type: 'status', status: 429, times: 5 }],
      ['500', { operation: 'retrieve', type: 'status', status: 500, times: 5 }],
      ['502', { operation: 'retrieve', type: 'status', status: 502, times: 5 }],
      [
        '529 long',
        { operation: 'retrieve', type: 'status', status: 529, headers: { 'retry-after': '600' } },
      ],
      ['reset', { operation: 'retrieve', type: 'reset', times: 5 }],
      ['schema', { operation: 'retrieve', type: 'schema-violation' }],
      ['truncate', { operation: 'retrieve', type: 'truncate', afterBytes: 10 }],
    ];
    for (const [name, rule] of faults) {
      emulator.faults.add(rule);
      await step(`fault ${name}`, () => batches.retrieve(id));
      emulator.faults.clear();
    }
    emulator.faults.add({ operation: 'create', type: 'reset', phase: 'after-body' });
    await step('create outcome unknown', () => batches.create({ requests: requests(2) }));
    emulator.faults.add({ operation: 'results', type: 'malformed-line', afterLines: 2 });
    await step('malformed line', async () => drain(batches.results(id)));
    emulator.faults.add({ operation: 'results', type: 'truncate', afterBytes: 100 });
    await step('results cut', async () => drain(batches.results(id)));
    await step('delete', () => batches.delete(id));
    expect(captured.filter((c) => c.source.startsWith('log.')).length).toBeGreaterThan(20);
    expect(leaks()).toEqual([]);
  });

  it('in stalls, a wrong key (401) and bad arguments', async () => {
    const stalled = setup({ idleTimeout: 30 });
    const created = await stalled.batches.create({ requests: requests(3) });
    stalled.emulator.clock.advance(60_000);
    stalled.emulator.faults.add({ operation: 'results', type: 'stall', afterBytes: 20 });
    await step('stall', async () => drain(stalled.batches.results(created.id)));

    const wrongKey = setup({}, ['some-other-key']);
    await step('401', () => wrongKey.batches.list());
    await step('401 create', () => wrongKey.batches.create({ requests: requests(1) }));
    const bearer = setup({ apiKey: null, authToken: CANARY }, ['some-other-key']);
    await step('401 bearer', () => bearer.batches.retrieve('msgbatch_x'));

    const { batches } = setup();
    await step('bad custom_id', () =>
      batches.create({ requests: [{ ...requests(1)[0]!, custom_id: 'has space' }] }),
    );
    await step('bad id', () => batches.retrieve(''));
    await step('bad limit', async () => batches.list({ limit: 0 }));
    await step('bad version', async () => new MsgbatchClient({ apiKey: CANARY, apiVersion: 'x' }));
    await step('bad baseURL', async () => new MsgbatchClient({ apiKey: CANARY, baseURL: 'nope' }));
    const refused = new MsgbatchClient({
      apiKey: CANARY,
      baseURL: 'http://127.0.0.1:9',
      logger,
      logLevel: 'debug',
      maxRetries: 0,
    });
    await step('connection refused', () => refused.messages.batches.retrieve('msgbatch_x'));
    expect(leaks()).toEqual([]);
  });

  it.runIf(existsSync(CLI))(
    'in the CLI’s stdout and stderr (401, 404, refused, debug logging)',
    async () => {
      const emulator = createEmulator({ apiKeys: [CANARY], rate: 1000 });
      const server = await emulator.listen({ port: 0 });
      const other = createEmulator({ apiKeys: ['some-other-key'] });
      const otherServer = await other.listen({ port: 0 });
      try {
        const env = { ANTHROPIC_API_KEY: CANARY, ANTHROPIC_BASE_URL: server.url };
        const debug = { ...env, MSGBATCH_LOG: 'debug' };
        const created = await new MsgbatchClient({
          apiKey: CANARY,
          baseURL: server.url,
          logLevel: 'off',
        }).messages.batches.create({ requests: requests(3) });
        await new Promise((resolve) => setTimeout(resolve, 50)); // ends at 1000/s
        await Promise.all([
          runCli(['list'], debug),
          runCli(['list', '--json'], env),
          runCli(['get', 'msgbatch_missing'], debug),
          runCli(['get', 'msgbatch_missing', '--json'], debug),
          runCli(['results', created.id], debug),
          runCli(['results', created.id, '--summary', '--json'], debug),
          runCli(['cancel', 'msgbatch_missing', '--json'], debug),
          runCli(['list'], { ...debug, ANTHROPIC_BASE_URL: otherServer.url }),
          runCli(['get', 'x', '--json'], { ...debug, ANTHROPIC_BASE_URL: otherServer.url }),
          runCli(['list'], { ...debug, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' }),
        ]);
      } finally {
        await server.close();
        await otherServer.close();
      }
      expect(cliRuns.some((r) => r.code !== 0)).toBe(true); // the 401/404 runs failed, as they should
      expect(leaks()).toEqual([]);
    },
    30_000,
  );
});

describe('a request that times out', () => {
  const timedOut = async () => {
    const timed = setup({ timeout: 30, maxRetries: 0 });
    timed.emulator.faults.add({ operation: 'retrieve', type: 'delay', delayMs: 100 });
    timed.emulator.faults.add({ operation: 'create', type: 'delay', delayMs: 100 });
    const errors: unknown[] = [];
    await timed.batches.retrieve('msgbatch_x').catch((e: unknown) => errors.push(e));
    await timed.batches.create({ requests: requests(1) }).catch((e: unknown) => errors.push(e));
    return errors as Error[];
  };

  it('keeps the key out of the message, stack, JSON and String(cause)', async () => {
    for (const error of await timedOut()) {
      expect(error.name).toMatch(/APIConnectionTimeoutError|CreateOutcomeUnknownError/);
      for (const text of [error.message, error.stack, JSON.stringify(error), String(error.cause)]) {
        expect(text).not.toContain(CANARY);
      }
    }
  });

  // Found by this scan: ky's TimeoutError (its request headers included) used to be the cause.
  it('keeps the key out of inspect(error) too', async () => {
    for (const error of await timedOut()) {
      captureError(`timeout ${error.name}`, error);
      expect(inspect(error, { depth: 6 })).not.toContain(CANARY);
    }
  });
});

describe('a server that echoes the key back in an error body', () => {
  const echo = (status: number, body: string) =>
    (async (input: string | URL | Request, init?: RequestInit) => {
      const key = new Request(input, init).headers.get('x-api-key');
      return new Response(body.replace('$KEY', key ?? ''), {
        status,
        headers: { 'content-type': 'application/json', 'request-id': 'req_echo' },
      });
    }) as typeof fetch;

  const echoed = async (status: number, body: string) => {
    const client = new MsgbatchClient({
      apiKey: CANARY,
      fetch: echo(status, body),
      logger,
      logLevel: 'debug',
      maxRetries: 0,
    });
    return client.messages.batches.retrieve('msgbatch_x').then(
      () => null,
      (e: unknown) => e as Error & { error: unknown },
    );
  };
  const envelope =
    '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key $KEY"}}';

  it('keeps it out of the error message and the logs', async () => {
    const error = await echoed(401, envelope);
    captureError('echoed key', error);
    expect(error!.message).not.toContain(CANARY);
    expect(error!.message).toContain('[redacted]');
    expect(error!.stack).not.toContain(CANARY);
  });

  // Found by this scan: the raw body used to be kept unredacted as `error.error`.
  it('keeps it out of JSON.stringify(error) and inspect(error) too', async () => {
    for (const body of [envelope, 'invalid x-api-key $KEY']) {
      const error = await echoed(401, body);
      captureError('echoed key', error);
      expect(JSON.stringify(error)).not.toContain(CANARY);
      expect(inspect(error, { depth: 6 })).not.toContain(CANARY);
    }
  });
});

afterAll(() => {
  const dir = join(ROOT, '.tmp', 'reliability');
  mkdirSync(dir, { recursive: true });
  const bySource = new Set(captured.map((c) => c.source.split(':')[0]));
  writeFileSync(
    join(dir, 'canary.json'),
    `${JSON.stringify(
      {
        canaryPrefix: CANARY.slice(0, 20),
        textsScanned: captured.length,
        charsScanned: captured.reduce((n, c) => n + c.text.length, 0),
        flows: bySource.size,
        logLines: captured.filter((c) => c.source.startsWith('log.')).length,
        cliRuns: cliRuns.length,
        cliAvailable: existsSync(CLI),
        occurrences: leaks().length,
        leakingSources: [...new Set(leaks().map((c) => c.source))],
      },
      null,
      2,
    )}\n`,
  );
});
