import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, cliEnv, KEY, runCli, serve } from './helpers.ts';

let env: Awaited<ReturnType<typeof serve>>;
/** What the forward proxy was asked for: `CONNECT host:port` or `GET http://…`. */
const seen: string[] = [];
let proxyURL: string;
let proxy: ReturnType<typeof createServer>;

beforeAll(async () => {
  buildCliIfStale();
  env = await serve();
  // A forward proxy on loopback: tunnels CONNECT and forwards absolute-form requests.
  proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyURL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);
afterAll(() => {
  proxy?.close();
  return env?.server.close();
});

const apiHost = () => new URL(env.server.url).host;

describe('proxy environment variables', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s sends the requests through the proxy', async (name) => {
    seen.length = 0;
    const run = await runCli(
      ['list', '--json'],
      cliEnv({ ANTHROPIC_BASE_URL: env.server.url, ANTHROPIC_API_KEY: KEY, [name]: proxyURL }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((line) => line.includes(apiHost()))).toBe(true);
  });

  it('HTTPS_PROXY carries https:// requests (a CONNECT tunnel to the API host)', async () => {
    seen.length = 0;
    // The emulator speaks plain HTTP, so the TLS handshake through the tunnel fails (exit 1);
    // what matters is that the request went to the proxy as a CONNECT to the API's host.
    const run = await runCli(
      ['list'],
      cliEnv({
        ANTHROPIC_BASE_URL: `https://${apiHost()}`,
        ANTHROPIC_API_KEY: KEY,
        HTTPS_PROXY: proxyURL,
        HTTP_PROXY: 'http://127.0.0.1:9',
      }),
    );
    expect(run.code).toBe(1);
    expect(seen[0]).toBe(`CONNECT ${apiHost()}`);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('NO_PROXY lists hosts reached directly', async () => {
    seen.length = 0;
    const run = await runCli(
      ['list', '--json'],
      cliEnv({
        ANTHROPIC_BASE_URL: env.server.url,
        ANTHROPIC_API_KEY: KEY,
        HTTP_PROXY: proxyURL,
        NO_PROXY: '127.0.0.1',
      }),
    );
    expect(run.code).toBe(0);
    expect(seen).toEqual([]);
  });

  it('without proxy variables nothing goes through the proxy', async () => {
    seen.length = 0;
    const run = await runCli(
      ['list', '--json'],
      cliEnv({ ANTHROPIC_BASE_URL: env.server.url, ANTHROPIC_API_KEY: KEY }),
    );
    expect(run.code).toBe(0);
    expect(seen).toEqual([]);
  });

  it('a proxy that is down is a connection error (exit 1), the key never printed', async () => {
    const run = await runCli(
      ['list'],
      cliEnv({
        ANTHROPIC_BASE_URL: env.server.url,
        ANTHROPIC_API_KEY: KEY,
        HTTP_PROXY: 'http://127.0.0.1:9',
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr.startsWith('msgbatch: ')).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('msgbatch dashboard reaches the API through the proxy too', async () => {
    seen.length = 0;
    let listed: Promise<number> | undefined;
    const run = await runCli(
      ['dashboard', '--port', '0', '--json'],
      cliEnv({ ANTHROPIC_BASE_URL: env.server.url, ANTHROPIC_API_KEY: KEY, HTTP_PROXY: proxyURL }),
      ({ stdout }, child) => {
        if (listed || !stdout.includes('\n')) return;
        const { url, login_url: loginURL } = JSON.parse(stdout);
        const origin = url.replace(/\/$/, '');
        const post = (path: string, body: unknown, cookie = '') =>
          fetch(origin + path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin, cookie },
            body: JSON.stringify(body),
          });
        listed = (async () => {
          const session = await post('/api/session', { code: /#code=(.+)$/.exec(loginURL)![1] });
          const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
          const { token } = (await (await post('/api/token', {}, cookie)).json()) as {
            token: string;
          };
          const answer = await fetch(`${origin}/api/batches-proxy/v1/messages/batches`, {
            headers: { authorization: `Bearer ${token}`, 'anthropic-version': '2023-06-01' },
          });
          child.kill('SIGINT');
          return answer.status;
        })();
      },
    );
    expect(run.code).toBe(130);
    expect(await listed).toBe(200);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((line) => line.includes(apiHost()))).toBe(true);
  });
});
