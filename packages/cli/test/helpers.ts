import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, type EmulatorOptions } from '@msgbatch/emulator';
import { type BatchCreateParams, MsgbatchClient } from '@msgbatch/node';

const root = join(import.meta.dirname, '..');
/** The built binary the tests run. */
export const CLI = join(root, 'bin/msgbatch.js');
export const KEY = 'test-key-7f3a';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds dist/cli.js (which bin/msgbatch.js loads) when it is missing or older than src (the tests run the real binary). */
export function buildCliIfStale(): void {
  let built = 0;
  try {
    built = statSync(join(root, 'dist/cli.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newest(join(root, 'src'))) {
    execFileSync('pnpm', ['exec', 'tsup', '--silent'], { cwd: root, stdio: 'inherit' });
  }
}

/** `count` valid requests. */
export function requests(count: number): BatchCreateParams['requests'] {
  return Array.from({ length: count }, (_, i) => ({
    custom_id: `req-${i}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: `q${i}` }],
    },
  }));
}

/** An emulator served on loopback (real clock) and an in-process client of it. */
export async function serve(options: EmulatorOptions = {}) {
  const emulator = createEmulator({ apiKeys: [KEY], ...options });
  const server = await emulator.listen({ port: 0, hostname: '127.0.0.1' });
  const client = new MsgbatchClient({ apiKey: KEY, baseURL: server.url, logLevel: 'off' });
  return { emulator, server, client, batches: client.messages.batches };
}

/** What a finished CLI run left behind. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: only what the CLI should see (no inherited ANTHROPIC_*). */
export function cliEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/**
 * Spawns `node bin/msgbatch.js …args` (stdin: `input`, else nothing); `watch` sees the
 * output so far whenever more arrives.
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  watch?: (output: { stdout: string; stderr: string }, child: ReturnType<typeof spawn>) => void,
  input?: string,
  onSpawn?: (child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      watch?.({ stdout, stderr }, child);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      watch?.({ stdout, stderr }, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Runs `msgbatch emulator …args --port 0 --json`, and once it has printed its URL, runs
 * `msgbatch list --json` against it, then stops the emulator with Ctrl-C. Gives both runs.
 */
export async function emulatorThenList(args: string[]): Promise<{ emulator: Run; list: Run }> {
  let listing: Promise<Run> | undefined;
  const emulator = await runCli(
    ['emulator', '--port', '0', ...args, '--json'],
    cliEnv({}),
    ({ stdout }, child) => {
      if (listing || !stdout.includes('\n')) return;
      const { url } = JSON.parse(stdout);
      listing = runCli(
        ['list', '--json'],
        cliEnv({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'any' }),
      );
      void listing.then(() => child.kill('SIGINT'));
    },
  );
  if (!listing)
    throw new Error(`the emulator printed no URL: ${emulator.stdout}${emulator.stderr}`);
  return { emulator, list: await listing };
}
