import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateOutcomeUnknownError, UnexpectedRedirectError } from '../../src/errors.ts';
import { sendCreate } from '../../src/operations/create-batch.ts';
import type { StreamedBody } from '../../src/transport/transport.ts';
import { testClient } from '../helpers/fake-fetch.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const body = (text: string): StreamedBody => ({
  bytes: text.length,
  stream: () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    }),
});

describe('a streamed create answered with a redirect', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status}: UnexpectedRedirectError, not an unknown outcome; the other origin gets nothing`, async () => {
      let elsewhere = 0;
      const other = await listen((_req, res) => {
        elsewhere++;
        res.end('{}');
      });
      let asked = 0;
      const api = await listen((req, res) => {
        asked++;
        req.resume();
        req.on('end', () => {
          res.writeHead(status, { location: `${other}/v1/messages/batches` });
          res.end();
        });
      });
      // The real fetch of this runtime, as users run it (no fake).
      const { client } = testClient((input, init) => globalThis.fetch(input, init), {
        baseURL: api,
      });
      const failure = await sendCreate(client.transport, () => ({
        method: 'POST',
        path: '/v1/messages/batches',
        body: body('{"requests":[{"custom_id":"a","params":{}}]}'),
        idempotent: false,
      })).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UnexpectedRedirectError);
      expect(failure).not.toBeInstanceOf(CreateOutcomeUnknownError);
      expect(asked).toBe(1);
      expect(elsewhere).toBe(0);
    });
  }
});
