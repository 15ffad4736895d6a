import { describe, expect, it } from 'vitest';
import { APIUserAbortError } from '../src/errors.ts';
import { JSONLDecodeError } from '../src/errors-later.ts';
import { decodeJSONL } from '../src/results/jsonl.ts';
import type { MessageBatch } from '../src/schemas/message-batch.ts';
import { totalRequests } from '../src/workflows/summarize-results.ts';
import { batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const encoder = new TextEncoder();

/** A results body in chunks of `chunkSize` bytes, so that lines and characters straddle them. */
function body(bytes: Uint8Array, chunkSize: number): Response {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
  return new Response(stream, { headers: { 'request-id': 'req_results' } });
}

/** A client whose batch is ended with `counts` and whose results are `bytes`. */
function summarizing(bytes: Uint8Array, counts: Record<string, number>, chunkSize = 7) {
  const ended = batch({
    processing_status: 'ended',
    ended_at: '2026-11-28T11:00:00.000000Z',
    request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, ...counts },
  });
  const { fetch } = scriptedFetch((request) =>
    request.url.endsWith('/results') ? body(bytes, chunkSize) : json(ended),
  );
  return testClient(fetch).client.messages.batches;
}

const line = (customId: string, type: string, rest = '') =>
  `{"custom_id":"${customId}","result":{"type":"${type}"${rest}}}`;

describe('summarizeResults', () => {
  it('sums up lines of every form: the API’s own, reordered, escaped, odd and broken', async () => {
    const text = [
      `\uFEFF${line('a-1', 'succeeded', ',"message":{"content":[{"text":"naïve — ✓"}]}')}`,
      line('b-1', 'canceled'),
      '',
      '{"result":{"type":"errored","error":{}},"custom_id":"c-1"}',
      ' \t',
      '{"custom_id":"esc\\u002d1","result":{"type":"expired"}}',
      line('a-1', 'canceled'),
      'not json',
      line('ídé-1', 'deferred'),
      '{"custom_id":7,"result":{"type":"canceled"}}',
      line('a-1', 'succeeded'),
    ].join('\r\n');
    const batches = summarizing(encoder.encode(text), { succeeded: 2, canceled: 3, expired: 1 });
    const summary = await batches.summarizeResults('msgbatch_x');
    expect(summary.customIds).toEqual({
      succeeded: ['a-1', 'a-1'],
      errored: ['c-1'],
      canceled: ['b-1', 'a-1'],
      expired: ['esc-1'],
      deferred: ['ídé-1'],
    });
    expect(summary.counts).toEqual({
      succeeded: 2,
      errored: 1,
      canceled: 2,
      expired: 1,
      deferred: 1,
    });
    expect(summary.lines).toBe(9);
    // Physical line numbers, blank lines counted, as JSONLDecodeError numbers them.
    expect(summary.unreadable).toEqual({ count: 2, lineNumbers: [8, 10] });
    const decodeError = await (async () => {
      for await (const _ of decodeJSONL(body(encoder.encode(text), 7).body!));
    })().catch((e: unknown) => e);
    expect(decodeError).toBeInstanceOf(JSONLDecodeError);
    expect((decodeError as JSONLDecodeError).lineNumber).toBe(summary.unreadable.lineNumbers[0]);
    expect(summary.duplicates).toEqual(['a-1', 'a-1']);
    expect(summary.reconciled).toBe(false);
  });

  it('tells apart two ids whose hashes are equal', async () => {
    // Found by search: the two share the 31-bit hash the id table probes with.
    const text = [line('id-5pvu', 'succeeded'), line('id-c3ea', 'succeeded')].join('\n');
    const summary = await summarizing(encoder.encode(text), { succeeded: 2 }).summarizeResults(
      'msgbatch_x',
    );
    expect(summary.customIds.succeeded).toEqual(['id-5pvu', 'id-c3ea']);
    expect(summary.duplicates).toEqual([]);
    expect(summary.reconciled).toBe(true);
  });

  it('an abort from onProgress stops the read with APIUserAbortError', async () => {
    const text = [line('a', 'canceled'), line('b', 'canceled'), line('c', 'canceled')].join('\n');
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await summarizing(encoder.encode(text), { canceled: 3 }, 1 << 16)
      .summarizeResults('msgbatch_x', {
        signal: controller.signal,
        onProgress: (lines) => {
          seen.push(lines);
          if (lines === 2) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(seen).toEqual([1, 2]);
  });

  it('keeps the ids, not the body they were read from', async () => {
    // Ids long enough to be slices in V8, in lines of text beyond Latin-1 (2 bytes a
    // character once decoded): slices of the decoded body kept all of it alive.
    // Node's own collector and heap figure (core's tests run under Node; its types are not loaded).
    const v8 = await import('node:v8' as string);
    const vm = await import('node:vm' as string);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heapUsed = () =>
      (
        globalThis as unknown as { process: { memoryUsage(): { heapUsed: number } } }
      ).process.memoryUsage().heapUsed;
    const message = `,"message":{"content":[{"type":"text","text":"${'— data '.repeat(1000)}"}]}`;
    const lines = Array.from({ length: 2000 }, (_, i) =>
      line(`request-${String(i).padStart(30, '0')}`, 'succeeded', message),
    );
    const bytes = encoder.encode(lines.join('\n')); // 18 MB; 28 MB as two-byte text
    const batches = summarizing(bytes, { succeeded: 2000 }, 1 << 16);
    gc();
    const before = heapUsed();
    const summary = await batches.summarizeResults('msgbatch_x');
    gc();
    const kept = heapUsed() - before;
    expect(summary.counts.succeeded).toBe(2000);
    expect(kept).toBeLessThan(4_000_000); // 2,000 ids of 38 characters: well under 1 MB
  }, 30_000);
});

describe('totalRequests', () => {
  it('adds up every request count, a count the API adds later included', () => {
    const counts = { processing: 1, succeeded: 2, errored: 3, canceled: 4, expired: 5, paused: 6 };
    expect(totalRequests(batch({ request_counts: counts }) as MessageBatch)).toBe(21);
  });
});
