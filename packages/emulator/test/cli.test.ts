import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
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

  function run(args: string[]) {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      err += chunk;
    });
    return once(child, 'exit').then(([code]) => ({ code, out, err }));
  }

  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await run(['--version'])).toMatchObject({ code: 0, out: `${version}\n` });
  });

  it('takes --host like `msgbatch emulator` does', async () => {
    const { child, url } = start(['--port', '0', '--host', '127.0.0.1']);
    expect(await url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    child.kill('SIGINT');
  });

  it('a busy port is one line and exit 1, without the usage text', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    const result = await run(['--port', String(port)]);
    busy.close();
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `msgbatch-emulator: Port ${port} on 127.0.0.1 is already in use; pick another with --port (0 picks a free one).\n`,
    );
  });
});
