import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FetchHandler, toNodeHandler } from '../src/proxy-adapter.ts';

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** Serves `listener` on loopback and returns its base URL. */
async function listen(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('toNodeHandler', () => {
  it('hands the handler the method, the URL, the headers and the streamed body', async () => {
    const handler: FetchHandler = async (request) =>
      Response.json({
        method: request.method,
        url: request.url,
        type: request.headers.get('content-type'),
        body: await request.text(),
      });
    const base = await listen(toNodeHandler(handler));
    const answer = await fetch(`${base}/v1/messages/batches?limit=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"requests":[]}',
    });
    expect(await answer.json()).toEqual({
      method: 'POST',
      url: `${base}/v1/messages/batches?limit=2`,
      type: 'application/json',
      body: '{"requests":[]}',
    });
  });

  it('rebuilds the URL from Express-style originalUrl, so a mount prefix is kept', async () => {
    const adapter = toNodeHandler(async (request) => new Response(new URL(request.url).pathname));
    const base = await listen((req, res) => {
      // What Express does for app.use('/api', …): url loses the prefix, originalUrl keeps it.
      const mounted = Object.assign(req, { originalUrl: req.url, url: req.url!.slice(4) });
      adapter(mounted, res);
    });
    const answer = await fetch(`${base}/api/v1/messages/batches`);
    expect(await answer.text()).toBe('/api/v1/messages/batches');
  });

  it('passes on status, headers, every set-cookie and a streamed body', async () => {
    const base = await listen(
      toNodeHandler(async () => {
        const headers = new Headers({ 'request-id': 'req_1' });
        headers.append('set-cookie', 'a=1');
        headers.append('set-cookie', 'b=2');
        const chunks = ['{"a":1}\n', '{"b":2}\n'];
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = chunks.shift();
            if (next === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(next));
          },
        });
        return new Response(body, { status: 201, headers });
      }),
    );
    const answer = await fetch(`${base}/`);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('request-id')).toBe('req_1');
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await answer.text()).toBe('{"a":1}\n{"b":2}\n');
  });

  it('answers 500 when the handler throws, or hands the error to next when there is one', async () => {
    const failure = new Error('handler failed');
    const adapter = toNodeHandler(async () => {
      throw failure;
    });
    const passed: unknown[] = [];
    const base = await listen((req, res) => {
      if (req.url === '/with-next') {
        adapter(req, res, (error) => {
          passed.push(error);
          res.writeHead(418).end();
        });
      } else {
        adapter(req, res);
      }
    });
    const plain = await fetch(`${base}/`);
    expect([plain.status, await plain.text()]).toEqual([500, 'Internal Server Error']);
    const withNext = await fetch(`${base}/with-next`);
    expect(withNext.status).toBe(418);
    expect(passed).toEqual([failure]);
  });
});
