import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { LineTooLongError } from '../../src/errors-later.ts';
import { decodeJSONL, splitLines } from '../../src/results/jsonl.ts';
import { readResultHeads } from '../../src/results/jsonl-heads.ts';
import { DEFAULT_MAX_LINE_BYTES } from '../../src/results/jsonl-lines.ts';
import { batch, json, scriptedFetch, testClient } from '../helpers/fake-fetch.ts';

// Every results reader stops at a line longer than maxLineBytes with LineTooLongError naming
// that line, after handing out the lines before it; a body that never sends a newline ends
// there instead of growing memory without bound.

const encoder = new TextEncoder();

function streamOfCuts(bytes: Uint8Array, cuts: readonly number[]) {
  const offsets = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...offsets, bytes.length];
  const chunks = bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

/** A body of `chunk` bytes of `x` forever, never a newline; records its cancellation. */
function endless(chunk = 65_536) {
  const cancel = vi.fn();
  let read = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        read += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x78));
      },
      cancel,
    },
    { highWaterMark: 0 },
  );
  return { stream, cancel, read: () => read };
}

/**
 * The model: the body's physical lines (split at `\n`, each counted in bytes without it);
 * the number of the first longer than `max`, and the non-blank lines before it.
 */
function model(bytes: Uint8Array, max: number) {
  const text: string[] = [];
  let start = 0;
  let number = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    number++;
    if (end - start > max) return { lines: text, tooLong: number };
    if (newline === -1 && end === start) return { lines: text, tooLong: null };
    const line = new TextDecoder().decode(bytes.subarray(start, end)).replace(/\r$/, '');
    if (line.trim() !== '') text.push(line);
    if (newline === -1) return { lines: text, tooLong: null };
    start = newline + 1;
  }
}

async function viaSplit(bytes: Uint8Array, cuts: number[], max: number) {
  const lines: string[] = [];
  try {
    for await (const line of splitLines(streamOfCuts(bytes, cuts), { maxLineBytes: max })) {
      lines.push(line);
    }
  } catch (error) {
    return { lines, error };
  }
  return { lines, error: null };
}

async function viaHeads(bytes: Uint8Array, cuts: number[], max: number) {
  let lines = 0;
  try {
    await readResultHeads(
      streamOfCuts(bytes, cuts),
      { maxLineBytes: max },
      { head: () => lines++, other: () => lines++ },
    );
  } catch (error) {
    return { lines, error };
  }
  return { lines, error: null };
}

const lineText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '{"custom_id":"a","result":{"type":"canceled"}}'),
);
const body = fc
  .tuple(fc.array(fc.tuple(lineText, fc.constantFrom('\n', '\r\n')), { maxLength: 8 }))
  .map(([lines]) => encoder.encode(lines.map(([text, sep]) => text + sep).join('')));

describe('maxLineBytes', () => {
  it('defaults to 64 MiB', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBe(64 * 1024 * 1024);
  });

  it('splitLines and readResultHeads stop at the first line over the limit, whatever the chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 60 }),
        async (bytes, cuts, max) => {
          const expected = model(bytes, max);
          const split = await viaSplit(bytes, cuts, max);
          const heads = await viaHeads(bytes, cuts, max);
          expect(split.lines).toEqual(expected.lines);
          expect(heads.lines).toBe(expected.lines.length);
          for (const { error } of [split, heads]) {
            if (expected.tooLong === null) expect(error).toBeNull();
            else {
              expect(error).toBeInstanceOf(LineTooLongError);
              expect((error as LineTooLongError).lineNumber).toBe(expected.tooLong);
              expect((error as LineTooLongError).maxLineBytes).toBe(max);
            }
          }
        },
      ),
      { numRuns: 1_000 },
    );
  }, 120_000);

  it('counts a line in bytes: a line of exactly the limit passes, one byte more does not', async () => {
    const line = 'é'.repeat(50); // 100 bytes
    expect((await viaSplit(encoder.encode(`${line}\n${line}`), [7, 150], 100)).error).toBeNull();
    const over = await viaSplit(encoder.encode(`${line}\n\n${line}x\n`), [7, 150], 100);
    expect(over.lines).toEqual([line]);
    expect(over.error).toMatchObject({ name: 'LineTooLongError', lineNumber: 3 });
  });

  it('ends a body that never sends a newline, and cancels it', async () => {
    for (const read of [
      async (stream: ReadableStream<Uint8Array>) => {
        for await (const _ of splitLines(stream, { maxLineBytes: 1_000_000 }));
      },
      async (stream: ReadableStream<Uint8Array>) => {
        for await (const _ of decodeJSONL(stream, { maxLineBytes: 1_000_000 }));
      },
      (stream: ReadableStream<Uint8Array>) =>
        readResultHeads(stream, { maxLineBytes: 1_000_000 }, { head() {}, other() {} }),
    ]) {
      const body = endless();
      const error = await read(body.stream).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LineTooLongError);
      expect(error).toMatchObject({ lineNumber: 1, maxLineBytes: 1_000_000 });
      expect(body.read()).toBeLessThanOrEqual(1_000_000 + 2 * 65_536);
      expect(body.cancel).toHaveBeenCalledOnce();
    }
  });

  it('decodeJSONL hands out the lines before the long one, then names it', async () => {
    const text = `{"custom_id":"a"}\n\n{"custom_id":"b","pad":"${'x'.repeat(200)}"}\n{"custom_id":"c"}\n`;
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const value of decodeJSONL(streamOfCuts(encoder.encode(text), [5, 60]), {
        maxLineBytes: 100,
        requestID: 'req_long',
      })) {
        seen.push(value);
      }
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(seen).toEqual([{ custom_id: 'a' }]);
    expect(error).toBeInstanceOf(LineTooLongError);
    expect(error).toMatchObject({ lineNumber: 3, requestID: 'req_long' });
    expect(String((error as Error).message)).toContain('Line 3');
  });

  it('refuses a limit that is not an integer >= 1 at once', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => splitLines(streamOfCuts(new Uint8Array(), []), { maxLineBytes: bad })).toThrow(
        InvalidArgumentError,
      );
      expect(() => decodeJSONL(streamOfCuts(new Uint8Array(), []), { maxLineBytes: bad })).toThrow(
        InvalidArgumentError,
      );
    }
  });

  describe('through the client', () => {
    const ended = batch({
      processing_status: 'ended',
      ended_at: '2026-11-28T11:00:00.000000Z',
      request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 2, expired: 0 },
    });
    const text = [
      '{"custom_id":"a","result":{"type":"canceled"}}',
      '{"custom_id":"b","result":{"type":"canceled"}}',
      `{"custom_id":"c","result":{"type":"canceled","pad":"${'x'.repeat(100)}"}}`,
    ].join('\n');
    const client = () => {
      const scripted = scriptedFetch((request) =>
        request.url.endsWith('/results')
          ? new Response(text, { headers: { 'request-id': 'req_results' } })
          : json(ended),
      );
      return { batches: testClient(scripted.fetch).client.messages.batches, scripted };
    };

    it('results() takes the option and names the line', async () => {
      const { batches } = client();
      const ids: string[] = [];
      const error = await (async () => {
        for await (const line of batches.results('msgbatch_x', { maxLineBytes: 100 })) {
          ids.push(line.custom_id);
        }
      })().then(
        () => null,
        (e: unknown) => e,
      );
      expect(ids).toEqual(['a', 'b']);
      expect(error).toMatchObject({ name: 'LineTooLongError', lineNumber: 3 });
      expect(error).toMatchObject({ requestID: 'req_results' });
      // The default holds it.
      const all: string[] = [];
      for await (const line of client().batches.results('msgbatch_x')) all.push(line.custom_id);
      expect(all).toEqual(['a', 'b', 'c']);
    });

    it('summarizeResults takes the option and names the line', async () => {
      const { batches } = client();
      await expect(
        batches.summarizeResults('msgbatch_x', { maxLineBytes: 100 }),
      ).rejects.toMatchObject({ name: 'LineTooLongError', lineNumber: 3 });
      expect((await client().batches.summarizeResults('msgbatch_x')).lines).toBe(3);
    });

    it('a bad limit is refused before any request', async () => {
      const { batches, scripted } = client();
      await expect(batches.results('msgbatch_x', { maxLineBytes: 0 })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(
        batches.summarizeResults('msgbatch_x', { maxLineBytes: 2.5 }),
      ).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(scripted.requests).toEqual([]);
    });
  });
});
