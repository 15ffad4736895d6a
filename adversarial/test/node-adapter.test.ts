/**
 * Issue 13 §4: raw-socket requests against the node adapter in front of the real proxy.
 * Whatever the bytes, the answer is a 4xx in the API's error envelope (or Node's own 400
 * for what its parser refuses), never a 500, never an upstream call, and every refusal
 * the adapter makes is logged.
 */
import { connect } from 'node:net';
import { createBatchesProxy, toNodeHandler } from '@msgbatch/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, listen, report, type TestServer } from './helpers.ts';

let upstream: TestServer;
let proxy: TestServer;
const warnings: string[] = [];
const counts = { rawRequests: 0, answered5xx: 0, upstreamCalls: 0 };

beforeAll(async () => {
  upstream = await listen((req, res) => {
    req.resume();
    res.writeHead(200).end('{}');
  });
  const handler = createBatchesProxy({
    upstream: { baseURL: upstream.url, apiKey: CANARY },
    verify: { secret: 'adversarial-proxy-secret-0123456789abcdef' },
    allowedOrigins: ['http://app.test'],
    logLevel: 'off',
  });
  const log = (line: string) => warnings.push(line);
  proxy = await listen(toNodeHandler(handler, { logger: { warn: log, error: log } }));
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
  counts.upstreamCalls = upstream.received.length;
  report('node-adapter', counts);
});

function raw(text: string): Promise<string> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve(answer) : reject(error),
    );
  });
}

const path = '/v1/messages/batches';
const CASES: [string, string, number][] = [
  ['Host [::1', `GET ${path} HTTP/1.1\r\nHost: [::1\r\n`, 400],
  ['Host with a space', `GET ${path} HTTP/1.1\r\nHost: a b\r\n`, 400],
  ['Host with user info', `GET ${path} HTTP/1.1\r\nHost: user@evil\r\n`, 400],
  ['Host with a path', `GET ${path} HTTP/1.1\r\nHost: evil/x\r\n`, 400],
  ['Host with a bad port', `GET ${path} HTTP/1.1\r\nHost: a:99999999\r\n`, 400],
  [
    'absolute target with credentials',
    `GET http://u:p@evil${path} HTTP/1.1\r\nHost: evil\r\n`,
    400,
  ],
  ['TRACE', `TRACE ${path} HTTP/1.1\r\nHost: localhost\r\n`, 405],
  // Node hands CONNECT to a 'connect' listener; with none, it closes the socket unanswered.
  ['CONNECT', 'CONNECT evil:443 HTTP/1.1\r\nHost: evil:443\r\n', 0],
  ['an unknown method', `BREW ${path} HTTP/1.1\r\nHost: localhost\r\n`, 400],
  ['a header without a colon', `GET ${path} HTTP/1.1\r\nHost: localhost\r\nbroken\r\n`, 400],
  ['a NUL in a header', `GET ${path} HTTP/1.1\r\nHost: localhost\r\nx-a: b\0c\r\n`, 400],
  ['HTTP/1.0 without Host', `GET ${path} HTTP/1.0\r\n`, 401],
  ['a path with ..', `GET /v1/messages/batches/../../admin HTTP/1.1\r\nHost: localhost\r\n`, 404],
  ['an encoded slash in the id', `GET ${path}/a%2F..%2Fb HTTP/1.1\r\nHost: localhost\r\n`, 400],
  ['a body on GET', `GET ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc`, 401],
];

describe('the node adapter in front of the proxy, over a raw socket', () => {
  it.each(CASES)('%s: a 4xx, never a 500, nothing sent upstream', async (_, head, status) => {
    const before = upstream.received.length;
    const text = head.includes('\r\n\r\n') ? head : `${head}Connection: close\r\n\r\n`;
    const answer = await raw(text);
    counts.rawRequests++;
    const code = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
    if (code >= 500) counts.answered5xx++;
    expect(code).toBe(status);
    expect(upstream.received.length).toBe(before);
    if (answer.includes('request_id')) {
      // Chunked or not, the envelope is the one JSON object of the body.
      const body = JSON.parse(answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1));
      expect(body.type).toBe('error');
    }
  });

  it('logged each refusal it made itself', () => {
    expect(warnings.filter((w) => / (400|405) for /.test(w)).length).toBeGreaterThanOrEqual(6);
  });
});
