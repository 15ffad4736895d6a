/**
 * Issue 13 §3 and §4, over a real server: a results stream that never sends a newline ends
 * in `LineTooLongError` naming the line (results() and summarizeResults), with the download
 * closed; and hand-made hostile bodies (broken tails, truncation, duplicate and escaped keys)
 * get the same story from summarizeResults as from typed iteration, line by line.
 * (The generated-bodies property is core's test/results/summarize-agrees.property.test.ts.)
 */
import { LineTooLongError, type Logger, MsgbatchClient, summarizeResults } from '@msgbatch/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, listen, report, type TestServer } from './helpers.ts';

const counts = { endlessLineCases: 0, hostileBodies: 0, disagreements: 0 };
let server: TestServer;
let body = '';
let endless = { sent: 0, closed: false };
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const batchJSON = JSON.stringify({
  id: 'msgbatch_jsonl',
  type: 'message_batch',
  processing_status: 'ended',
  request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
  ended_at: '2026-11-28T10:00:00Z',
  created_at: '2026-11-28T10:00:00Z',
  expires_at: '2026-11-29T10:00:00Z',
  archived_at: null,
  cancel_initiated_at: null,
  results_url: null,
});

beforeAll(async () => {
  server = await listen((req, res) => {
    req.resume();
    if (!req.url?.endsWith('/results')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(batchJSON);
    } else if (req.url.includes('endless')) {
      // One line that never ends: 64 KiB chunks until the client goes away.
      endless = { sent: 0, closed: false };
      res.writeHead(200, { 'request-id': 'req_endless' });
      res.write('{"custom_id":"a","result":{"type":"canceled"}}\n{"custom_id":"');
      const chunk = 'x'.repeat(1 << 16);
      const push = () => {
        while (!res.destroyed && endless.sent < 64 << 20) {
          endless.sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', push);
        }
        res.end();
      };
      res.on('close', () => {
        endless.closed = true;
      });
      push();
    } else {
      res.writeHead(200, { 'request-id': 'req_jsonl' }).end(body);
    }
  });
});
afterAll(async () => {
  await server.close();
  report('jsonl', counts);
});

const client = () =>
  new MsgbatchClient({ apiKey: CANARY, baseURL: server.url, logger: silent, maxRetries: 0 });

describe('a results line that never ends', () => {
  it.each([
    [
      'results()',
      (c: MsgbatchClient) =>
        drain(c.messages.batches.results('msgbatch_endless', { maxLineBytes: 1 << 20 })),
    ],
    [
      'summarizeResults',
      (c: MsgbatchClient) =>
        summarizeResults(c.transport, 'msgbatch_endless', { maxLineBytes: 1 << 20 }),
    ],
  ] as const)('%s: LineTooLongError naming line 2, the download closed', async (_, run) => {
    const error = await run(client()).then(
      () => null,
      (e: unknown) => e,
    );
    counts.endlessLineCases++;
    expect(error).toBeInstanceOf(LineTooLongError);
    expect((error as LineTooLongError).lineNumber).toBe(2);
    await waitFor(() => endless.closed);
    expect(endless.sent).toBeLessThan(64 << 20);
  });
});

async function drain(results: Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>) {
  for await (const _ of await results);
}

async function waitFor(condition: () => boolean) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** Hand-made hostile bodies: each line alone, typed, must tell summarize's story. */
const good = (id: string, type = 'canceled') => JSON.stringify({ custom_id: id, result: { type } });
const HOSTILE: Record<string, string[]> = {
  'a broken tail': [good('a'), `${good('b').slice(0, -1)},}`, good('c')],
  'a line cut short at the end': [good('a'), good('b').slice(0, 20)],
  'a duplicate custom_id key': [`${good('a').slice(0, -1)},"custom_id":"b"}`],
  'a duplicate result key': [`${good('a').slice(0, -1)},"result":{"type":"expired"}}`],
  'an escaped duplicate key': [`${good('a').slice(0, -1)},"custom\\u005fid":"z"}`],
  'escapes in the id': [
    good('a\\"b'),
    JSON.stringify({ custom_id: 'é\u2028', result: { type: 'canceled' } }),
  ],
  'trailing garbage': [`${good('a')}garbage`, good('b')],
  'not an object': ['[]', '1', good('a')],
  'a byte order mark and CRLF': [`\uFEFF${good('a')}\r`, good('b')],
};

describe('summarizeResults and typed iteration agree on hostile bodies', () => {
  it.each(Object.keys(HOSTILE))('%s', async (name) => {
    const lines = HOSTILE[name]!;
    body = lines.join('\n');
    const summary = await summarizeResults(client().transport, 'msgbatch_jsonl');
    const expected: Record<string, string[]> = {
      succeeded: [],
      errored: [],
      canceled: [],
      expired: [],
    };
    const unreadable: number[] = [];
    for (const [i, line] of lines.entries()) {
      body = i === 0 ? line : `\n${line}`;
      const seen: { id: string; type: string }[] = [];
      const failed = await drainInto(seen);
      if (failed) unreadable.push(i + 1);
      else for (const s of seen) expected[s.type] = [...(expected[s.type] ?? []), s.id];
    }
    counts.hostileBodies++;
    const agree =
      JSON.stringify({ ...summary.customIds }) === JSON.stringify(expected) &&
      JSON.stringify(summary.unreadable.lineNumbers) === JSON.stringify(unreadable);
    if (!agree) counts.disagreements++;
    expect({ ...summary.customIds }).toEqual(expected);
    expect(summary.unreadable.lineNumbers).toEqual(unreadable);
  });
});

async function drainInto(seen: { id: string; type: string }[]): Promise<boolean> {
  try {
    for await (const line of await client().messages.batches.results('msgbatch_jsonl')) {
      seen.push({ id: line.custom_id, type: line.result.type });
    }
    return false;
  } catch {
    return true;
  }
}
