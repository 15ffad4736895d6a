/**
 * Issue 16: a connection failure says why, in the library's `APIConnectionError` and in
 * the CLI, over real sockets: a refused port, a server that resets, a name that does not
 * resolve. The canary key appears in neither.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIConnectionError, MsgbatchClient } from '@msgbatch/node';
import { describe, expect, it } from 'vitest';
import { CANARY, CLI, runCli, textsOf } from './helpers.ts';

/** A port nothing listens on: one that was just closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function resettingServer() {
  const server = createServer((req) => req.socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const retrieve = (baseURL: string) =>
  new MsgbatchClient({ apiKey: CANARY, baseURL, logLevel: 'off', maxRetries: 0 }).messages.batches
    .retrieve('msgbatch_x')
    .then(
      () => null,
      (e: unknown) => e as Error,
    );

describe('a connection failure says why', () => {
  it('refused: connect ECONNREFUSED and the address', async () => {
    const port = await closedPort();
    const error = await retrieve(`http://127.0.0.1:${port}`);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error!.message).toBe(
      `Connection error: connect ECONNREFUSED 127.0.0.1:${port} (fetch failed)`,
    );
    expect(textsOf(error).some((t) => t.includes(CANARY))).toBe(false);
  });

  it('reset by the server: the socket error, not only "fetch failed"', async () => {
    const server = await resettingServer();
    try {
      const error = await retrieve(server.url);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error!.message).toMatch(
        /^Connection error: .*(other side closed|ECONNRESET|socket).* \(fetch failed\)$/i,
      );
    } finally {
      await server.close();
    }
  });

  it('a name that does not resolve: getaddrinfo and the name', async () => {
    const error = await retrieve('http://msgbatch-test.invalid');
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error!.message).toMatch(/getaddrinfo \w+ msgbatch-test\.invalid/);
  });

  it.runIf(CLI)('the CLI prints the same reason on stderr, without the key', async () => {
    const port = await closedPort();
    const run = await runCli(['list'], {
      ANTHROPIC_API_KEY: CANARY,
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
      MSGBATCH_LOG: 'debug',
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(run.stderr + run.stdout).not.toContain(CANARY);
  });
});
