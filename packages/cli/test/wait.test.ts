import { createEmulator, type EmulatorOptions } from '@msgbatch/emulator';
import { MsgbatchClient, WaitTimeoutError } from '@msgbatch/node';
import { afterEach, describe, expect, it } from 'vitest';
import { waitCommand } from '../src/commands/wait.ts';
import { Context, type Io } from '../src/context.ts';
import { KEY, requests } from './helpers.ts';

// `msgbatch wait` against the API's `retry-after: 10` on polls, on the emulator's manual
// clock: the CLI's sleeps move emulator time, so nothing here waits for real.

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup(options: EmulatorOptions = {}) {
  const emulator = createEmulator({ clock: 'manual', apiKeys: [KEY], rate: 1, ...options });
  const server = await emulator.listen({ port: 0, hostname: '127.0.0.1' });
  closers.push(() => server.close());
  const client = new MsgbatchClient({ apiKey: KEY, baseURL: server.url, logLevel: 'off' });
  const sleeps: number[] = [];
  const out = { stdout: '', stderr: '' };
  const io: Io = {
    stdout: {
      write(chunk) {
        out.stdout += chunk;
        return true;
      },
    },
    stderr: {
      write(chunk) {
        out.stderr += chunk;
        return true;
      },
    },
    env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url },
    signal: new AbortController().signal,
    clock: {
      now: () => emulator.clock.now(),
      async sleep(ms) {
        sleeps.push(ms);
        emulator.clock.advance(ms);
      },
    },
  };
  const wait = (id: string, opts: Parameters<typeof waitCommand>[2] = {}) =>
    waitCommand(new Context(io, { json: true }), id, opts);
  return { emulator, batches: client.messages.batches, sleeps, out, wait };
}

describe('msgbatch wait and the retry-after of polls', () => {
  it('pauses at least the 10 s the API asks between polls', async () => {
    const { batches, sleeps, out, wait } = await setup();
    const created = await batches.create({ requests: requests(30) }); // ends after 30 s
    await wait(created.id, { pollInterval: 1 });
    expect(sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(JSON.parse(out.stdout).processing_status).toBe('ended');
  });

  it('never waits past --max-wait: the last pause is cut to the deadline', async () => {
    const { emulator, batches, sleeps, wait } = await setup();
    const created = await batches.create({ requests: requests(30) });
    const start = emulator.clock.now();
    const error = await wait(created.id, { pollInterval: 1, maxWait: 15 }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(sleeps).toEqual([10_000, 5_000]);
    expect(emulator.clock.now() - start).toBe(15_000);
  });

  it('grows its own pauses from --poll-interval when the server sends no retry-after', async () => {
    const { batches, sleeps, wait } = await setup({ pollRetryAfter: false });
    const created = await batches.create({ requests: requests(5) });
    await wait(created.id, { pollInterval: 1 });
    expect(sleeps).toEqual([1000, 1500, 2250, 3375]); // ended at 5 s, seen at 8.125 s
  });
});
