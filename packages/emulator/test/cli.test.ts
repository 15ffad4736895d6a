import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

const cli = new URL('../bin/msgbatch-emulator.js', import.meta.url).pathname;
const children: ChildProcess[] = [];

function start(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match && out.includes("-d '")) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${out}`)));
  });
  return { child, url, output: () => out };
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('msgbatch-emulator command', () => {
  it('serves the API on the printed URL, prints an example call, and stops cleanly on SIGINT', async () => {
    const { child, url, output } = start(['--port', '0', '--seed', 's', '--api-key', 'k-cli']);
    const base = await url;
    expect(output()).toContain(`curl ${base}/v1/messages/batches`);
    const headers = { 'x-api-key': 'k-cli', 'anthropic-version': '2023-06-01' };
    expect((await fetch(`${base}/v1/messages/batches`, { headers })).status).toBe(200);
    expect(
      (
        await fetch(`${base}/v1/messages/batches`, {
          headers: { ...headers, 'x-api-key': 'other' },
        })
      ).status,
    ).toBe(401);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('exits 2 with the usage on a bad flag value', async () => {
    const child = spawn(process.execPath, [cli, '--port', 'eighty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (chunk) => {
      err += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('bad --port');
    expect(err).toContain('Usage: msgbatch-emulator');
  });
});
