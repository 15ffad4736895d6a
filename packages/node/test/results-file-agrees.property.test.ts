import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineTooLongError, MsgbatchClient, ResultsMismatchError } from '@msgbatch/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeResultsFile } from '../src/results-file.ts';

// writeResultsFile must agree with typed iteration (`results()`): it writes a file only when
// typed iteration reads every line, and a line typed iteration cannot read (not one JSON
// value: a broken tail, a line cut short) fails the download instead of landing in the file.

const encoder = new TextEncoder();
const TYPES = ['succeeded', 'errored', 'canceled', 'expired'] as const;

function ended(counts: Record<string, number>) {
  return {
    id: 'msgbatch_x',
    type: 'message_batch',
    processing_status: 'ended',
    request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, ...counts },
    ended_at: '2026-11-28T11:00:00.000000Z',
    created_at: '2026-11-28T10:00:00.000000Z',
    expires_at: '2026-11-29T10:00:00.000000Z',
    archived_at: null,
    cancel_initiated_at: null,
    results_url: null,
  };
}

/** A client whose batch `msgbatch_x` has `counts` and the results `bytes`, in chunks of 7. */
function clientOf(bytes: Uint8Array, counts: Record<string, number>) {
  const fetch = async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.endsWith('/results')) {
      return new Response(JSON.stringify(ended(counts)), {
        headers: { 'content-type': 'application/json' },
      });
    }
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 7));
        offset += 7;
      },
    });
    return new Response(body, { headers: { 'request-id': 'req_r' } });
  };
  return new MsgbatchClient({
    apiKey: 'k',
    baseURL: 'http://127.0.0.1:9',
    fetch: fetch as typeof globalThis.fetch,
    logLevel: 'off',
    maxRetries: 0,
  });
}

/** Typed iteration, line by line: each line's type, null for a blank one, or 'unreadable'. */
async function typedPerLine(lines: readonly string[]): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const line of lines) {
    try {
      const read: string[] = [];
      for await (const value of clientOf(encoder.encode(line), {}).messages.batches.results(
        'msgbatch_x',
      )) {
        read.push(value.result.type);
      }
      out.push(read[0] ?? null);
    } catch {
      out.push('unreadable');
    }
  }
  return out;
}

const apiLine = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...TYPES.slice(2)))
  .map(([id, type]) => JSON.stringify({ custom_id: id, result: { type } }));
const lineText = fc.oneof(
  { weight: 3, arbitrary: apiLine },
  // A broken tail: cut, or a byte put in.
  fc
    .tuple(apiLine, fc.nat(), fc.constantFrom('', '"', '}', ',', 'x', '\\'))
    .map(([text, at, put]) => {
      const cut = at % (text.length + 1);
      return text.slice(0, cut) + put;
    }),
  // Duplicate keys: the last wins.
  fc
    .tuple(apiLine, fc.constantFrom(...TYPES.slice(2)))
    .map(([text, type]) => `${text.slice(0, -2)},"type":"${type}"}}`),
  fc
    .tuple(apiLine, fc.constantFrom(...TYPES.slice(2)))
    .map(([text, type]) => `${text.slice(0, -1)},"result":{"type":"${type}"}}`),
  fc.constant(''),
);

describe('writeResultsFile agrees with typed iteration (properties)', () => {
  it('writes the file exactly when typed iteration reads every line, with its counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineText, { maxLength: 6 }), async (lines) => {
        const perLine = await typedPerLine(lines);
        const counts: Record<string, number> = {};
        for (const type of perLine) {
          if (type !== null && type !== 'unreadable') counts[type] = (counts[type] ?? 0) + 1;
        }
        const unreadable = perLine.filter((type) => type === 'unreadable').length;
        const dir = mkdtempSync(join(tmpdir(), 'msgbatch-agree-'));
        const out = join(dir, 'out.jsonl');
        // request_counts as typed iteration counts the lines: only unreadable ones can fail.
        const client = clientOf(encoder.encode(lines.join('\n')), counts);
        const result = await writeResultsFile(client, 'msgbatch_x', out).catch((e) => e);
        if (unreadable === 0) {
          expect(result).toMatchObject({ read: perLine.filter((t) => t !== null).length });
          expect({ ...result.counts }).toEqual(counts);
          const written = readFileSync(out, 'utf8');
          expect(written).toBe(
            lines
              .filter((l) => l !== '')
              .map((l) => `${l}\n`)
              .join(''),
          );
        } else {
          expect(result).toBeInstanceOf(ResultsMismatchError);
          expect(result.mismatches).toContainEqual({
            type: 'unreadable',
            expected: 0,
            actual: unreadable,
          });
          expect(readdirSync(dir)).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('takes maxLineBytes: a longer line fails the download with LineTooLongError', async () => {
    const text = `{"custom_id":"a","result":{"type":"canceled"}}\n{"custom_id":"b","result":{"type":"canceled","pad":"${'x'.repeat(100)}"}}`;
    const dir = mkdtempSync(join(tmpdir(), 'msgbatch-agree-'));
    const error = await writeResultsFile(
      clientOf(encoder.encode(text), { canceled: 2 }),
      'msgbatch_x',
      join(dir, 'out.jsonl'),
      { maxLineBytes: 100 },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(LineTooLongError);
    expect(error).toMatchObject({ lineNumber: 2 });
    expect(readdirSync(dir)).toEqual([]);
    await expect(
      writeResultsFile(clientOf(new Uint8Array(), {}), 'msgbatch_x', join(dir, 'out.jsonl'), {
        maxLineBytes: 0,
      }),
    ).rejects.toMatchObject({ name: 'InvalidArgumentError' });
  });
});
