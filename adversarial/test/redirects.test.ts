/**
 * Issue 13 §1: an API address that answers with a redirect. For each 3xx status and each
 * operation (the library's, `summarizeResults`, `writeResultsFile` and the CLI), over real
 * servers on 127.0.0.1: a typed `UnexpectedRedirectError`, and the other origin receives
 * nothing at all — not the key, not a create's prompts.
 *
 * The API server is the emulator behind `toNodeHandler`; a rule makes it redirect either
 * every request or only the results download (so the stream itself is what redirects).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '@msgbatch/emulator';
import {
  MsgbatchClient,
  summarizeResults,
  toNodeHandler,
  UnexpectedRedirectError,
  writeResultsFile,
} from '@msgbatch/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, CLI, listen, report, requests, runCli, type TestServer } from './helpers.ts';

const STATUSES = [301, 302, 303, 307, 308] as const;
let api: TestServer;
let other: TestServer;
let rule: { status: number; only: 'all' | 'results' } | null = null;
const emulator = createEmulator({ rate: 1000, apiKeys: [CANARY] });
let ended = '';
const counts = { redirectCases: 0, otherOriginRequests: 0, cliCases: 0 };

beforeAll(async () => {
  other = await listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const emulatorHandler = toNodeHandler(async (request) => {
    const path = new URL(request.url).pathname;
    if (rule && (rule.only === 'all' || path.endsWith('/results'))) {
      return new Response(null, {
        status: rule.status,
        headers: {
          location: `${other.url.replace('//', '//admin:hunter2@')}${path}?key=query-secret`,
          'request-id': 'req_adversary_redirect',
        },
      });
    }
    return emulator.fetch(request);
  });
  api = await listen(emulatorHandler);
  const setupClient = new MsgbatchClient({ apiKey: CANARY, baseURL: api.url, logLevel: 'off' });
  ended = (await setupClient.messages.batches.create({ requests: requests(3) })).id;
  await setupClient.messages.batches.waitForEnd(ended, { pollInterval: 20 });
});

afterAll(async () => {
  await api.close();
  await other.close();
  report('redirects', counts);
});

type Operation = (client: MsgbatchClient, dir: string) => Promise<unknown>;
const drain = async (iterable: AsyncIterable<unknown>) => {
  for await (const _ of iterable);
};
const OPERATIONS: Record<string, { only: 'all' | 'results'; run: Operation }> = {
  create: { only: 'all', run: (c) => c.messages.batches.create({ requests: requests(2) }) },
  retrieve: { only: 'all', run: (c) => c.messages.batches.retrieve(ended) },
  list: { only: 'all', run: (c) => drain(c.messages.batches.list({ limit: 1 })) },
  cancel: { only: 'all', run: (c) => c.messages.batches.cancel(ended) },
  delete: { only: 'all', run: (c) => c.messages.batches.delete(ended) },
  results: { only: 'results', run: async (c) => drain(await c.messages.batches.results(ended)) },
  summarize: { only: 'results', run: (c) => summarizeResults(c.transport, ended) },
  writeResultsFile: {
    only: 'results',
    run: (c, dir) => writeResultsFile(c, ended, join(dir, 'out.jsonl')),
  },
};

describe.each(STATUSES)('the API answers %i', (status) => {
  it.each(Object.keys(OPERATIONS))(
    '%s: UnexpectedRedirectError, nothing reaches the other origin',
    async (name) => {
      const operation = OPERATIONS[name]!;
      rule = { status, only: operation.only };
      const before = other.received.length;
      const dir = mkdtempSync(join(tmpdir(), 'msgbatch-redirect-'));
      const client = new MsgbatchClient({
        apiKey: CANARY,
        baseURL: api.url,
        logLevel: 'off',
        maxRetries: 2,
      });
      try {
        const error = await operation.run(client, dir).then(
          () => null,
          (e: unknown) => e,
        );
        counts.redirectCases++;
        counts.otherOriginRequests += other.received.length - before;
        expect(error).toBeInstanceOf(UnexpectedRedirectError);
        expect(error).toMatchObject({
          status,
          location: other.url,
          requestID: 'req_adversary_redirect',
        });
        expect(other.received.length - before).toBe(0);
        expect(JSON.stringify(error)).not.toMatch(/hunter2|query-secret/);
        if (name === 'writeResultsFile') expect(readdirSync(dir)).toEqual([]);
      } finally {
        rule = null;
      }
    },
  );

  it.runIf(CLI)(
    'the CLI (get, results --out): exit 1, one line naming the redirect, nothing sent on',
    async () => {
      const env = { ANTHROPIC_API_KEY: CANARY, ANTHROPIC_BASE_URL: api.url };
      const dir = mkdtempSync(join(tmpdir(), 'msgbatch-redirect-cli-'));
      for (const [args, only] of [
        [['get', ended], 'all'],
        [['results', ended, '--out', join(dir, 'out.jsonl')], 'results'],
      ] as const) {
        rule = { status, only };
        const before = other.received.length;
        try {
          const run = await runCli([...args], env);
          counts.redirectCases++;
          counts.cliCases++;
          counts.otherOriginRequests += other.received.length - before;
          expect(run.code).not.toBe(0);
          expect(run.stderr).toMatch(/redirect/i);
          expect(run.stderr + run.stdout).not.toContain(CANARY);
          expect(other.received.length - before).toBe(0);
        } finally {
          rule = null;
        }
      }
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});
