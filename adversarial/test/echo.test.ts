/**
 * Issue 13 §2: servers that echo the key back, in every form of ECHO_FORMS and in every
 * place an answer has (a 200 body that is not JSON, an error body, the request-id header,
 * any other header, a results line, a field that fails validation), to the library and to
 * the proxy's page. Every text form of every error, every log line and every relayed
 * answer is scanned; the canary must occur zero times.
 */
import {
  createBatchesProxy,
  type Logger,
  MsgbatchClient,
  mintBrowserToken,
  summarizeResults,
  toNodeHandler,
} from '@msgbatch/node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CANARY,
  CLI,
  ECHO_FORMS,
  listen,
  occurrences,
  report,
  runCli,
  textsOf,
} from './helpers.ts';

const counts = { echoVariants: 0, textsScanned: 0, canaryOccurrences: 0, logLines: 0 };
afterAll(() => report('echo', counts));

const logLines: string[] = [];
const logger: Logger = {
  debug: (m) => logLines.push(m),
  info: (m) => logLines.push(m),
  warn: (m) => logLines.push(m),
  error: (m) => logLines.push(m),
};

function scan(texts: string[]) {
  counts.textsScanned += texts.length;
  const found = texts.reduce((n, t) => n + occurrences(t), 0);
  counts.canaryOccurrences += found;
  return found;
}

type Place = (echo: string) => { status: number; headers: Record<string, string>; body: string };
const batchJSON = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'msgbatch_echo',
    type: 'message_batch',
    processing_status: 'ended',
    request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
    ended_at: '2026-11-28T10:00:00Z',
    created_at: '2026-11-28T10:00:00Z',
    expires_at: '2026-11-29T10:00:00Z',
    archived_at: null,
    cancel_initiated_at: null,
    results_url: null,
    ...extra,
  });
/** Where a server can put the echo; the raw JSON text is built by hand so escapes survive. */
const PLACES: Record<string, Place> = {
  '200 body that is not JSON': (e) => ({ status: 200, headers: {}, body: `<html>${e}</html>` }),
  '401 error envelope': (e) => ({
    status: 401,
    headers: { 'content-type': 'application/json' },
    body: `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key: ${e}"},"request_id":"req_${e}"}`,
  }),
  '500 text body (retried)': (e) => ({ status: 500, headers: {}, body: `upstream said ${e}` }),
  'request-id header': (e) => ({ status: 404, headers: { 'request-id': `req_${e}` }, body: '' }),
  'another header': (e) => ({ status: 400, headers: { 'x-debug-auth': e }, body: '{}' }),
  'a 200 field that fails validation': (e) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: batchJSON({ request_counts: `${e}` }),
  }),
};

async function echoServer(place: Place, form: (key: string) => string) {
  return listen((req, res) => {
    req.resume();
    const key = String(req.headers['x-api-key'] ?? '');
    const answer = place(form(key));
    res.writeHead(answer.status, { 'request-id': 'req_echo', ...answer.headers }).end(answer.body);
  });
}

describe.each(Object.entries(ECHO_FORMS))('the key echoed as %s', (_, form) => {
  it.each(Object.keys(PLACES))(
    'in the %s: no trace in any error form or log line',
    async (placeName) => {
      const server = await echoServer(PLACES[placeName]!, form);
      logLines.length = 0;
      try {
        const client = new MsgbatchClient({
          apiKey: CANARY,
          baseURL: server.url,
          logger,
          logLevel: 'debug',
          maxRetries: 1,
          clock: { now: Date.now, sleep: async () => {} },
        });
        const error = await client.messages.batches.retrieve('msgbatch_echo').then(
          () => null,
          (e: unknown) => e,
        );
        counts.echoVariants++;
        counts.logLines += logLines.length;
        expect(error).not.toBeNull();
        expect(scan([...textsOf(error), ...logLines])).toBe(0);
      } finally {
        await server.close();
      }
    },
  );

  it('in a results line (custom_id, then a broken line), through results() and summarizeResults()', async () => {
    const server = await listen((req, res) => {
      req.resume();
      const echo = form(String(req.headers['x-api-key'] ?? ''));
      if (req.url?.endsWith('/results')) {
        res
          .writeHead(200, { 'request-id': 'req_r' })
          .end(`{"custom_id":"${echo}","result":{"type":"succeeded"}}\n{"custom_id":"b",oops\n`);
      } else res.writeHead(200, { 'content-type': 'application/json' }).end(batchJSON());
    });
    try {
      const client = new MsgbatchClient({
        apiKey: CANARY,
        baseURL: server.url,
        logger,
        logLevel: 'debug',
      });
      const errors: unknown[] = [];
      await (async () => {
        for await (const _ of await client.messages.batches.results('msgbatch_echo'));
      })().catch((e: unknown) => errors.push(e));
      const summary = await summarizeResults(client.transport, 'msgbatch_echo').catch(
        (e: unknown) => {
          errors.push(e);
          return null;
        },
      );
      counts.echoVariants++;
      expect(errors.length).toBeGreaterThan(0);
      expect(scan([...errors.flatMap(textsOf), ...logLines])).toBe(0);
      // summarizeResults keeps ids it read; an echoed id is data the caller asked for, not an error.
      expect(summary === null || typeof summary === 'object').toBe(true);
    } finally {
      await server.close();
    }
  });

  it("through the proxy: the page's answers (error body, batch, results, headers) hold no trace", async () => {
    const upstream = await listen((req, res) => {
      req.resume();
      const echo = form(String(req.headers['x-api-key'] ?? ''));
      if (req.url?.endsWith('/results')) {
        res
          .writeHead(200, { 'content-type': 'application/x-jsonl', 'request-id': `req_${echo}` })
          .end(`{"custom_id":"a","result":{"type":"errored","error":{"message":"${echo}"}}}\n`);
      } else if (req.url?.endsWith('/cancel')) {
        res
          .writeHead(400, { 'content-type': 'application/json', 'retry-after': echo })
          .end(`{"type":"error","error":{"type":"invalid_request_error","message":"${echo}"}}`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(batchJSON({ note: echo }));
      }
    });
    const secret = 'adversarial-proxy-secret-0123456789abcdef';
    const proxy = await listen(
      toNodeHandler(
        createBatchesProxy({
          upstream: { baseURL: upstream.url, apiKey: CANARY },
          verify: { secret },
          allowedOrigins: ['http://app.test'],
          logger,
          logLevel: 'debug',
        }),
        { logger },
      ),
    );
    try {
      const token = await mintBrowserToken({
        secret,
        subject: 'u',
        scopes: ['batches:read', 'batches:results', 'batches:cancel'],
      });
      const texts: string[] = [];
      for (const [method, path] of [
        ['GET', '/v1/messages/batches/msgbatch_echo'],
        ['POST', '/v1/messages/batches/msgbatch_echo/cancel'],
        ['GET', '/v1/messages/batches/msgbatch_echo/results'],
      ] as const) {
        const answer = await fetch(proxy.url + path, {
          method,
          headers: { authorization: `Bearer ${token}`, origin: 'http://app.test' },
        });
        texts.push(JSON.stringify([...answer.headers]), await answer.text());
      }
      counts.echoVariants++;
      expect(upstream.received.length).toBe(3);
      expect(scan([...texts, ...logLines])).toBe(0);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it.runIf(CLI)(
    "the CLI's stdout and stderr (plain and --json, debug logging) hold no trace",
    async () => {
      const places = ['200 body that is not JSON', '401 error envelope', 'request-id header'];
      const texts: string[] = [];
      for (const placeName of places) {
        const server = await echoServer(PLACES[placeName]!, form);
        try {
          const env = {
            ANTHROPIC_API_KEY: CANARY,
            ANTHROPIC_BASE_URL: server.url,
            MSGBATCH_LOG: 'debug',
          };
          for (const args of [
            ['get', 'msgbatch_echo'],
            ['get', 'msgbatch_echo', '--json'],
          ]) {
            const run = await runCli(args, env);
            counts.echoVariants++;
            expect(run.code).not.toBe(0);
            texts.push(run.stdout, run.stderr);
          }
        } finally {
          await server.close();
        }
      }
      expect(scan(texts)).toBe(0);
    },
  );
});
