import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peekCustomIdAndType, splitLines } from '../../src/results/jsonl.ts';
import { readResultHeads } from '../../src/results/jsonl-heads.ts';

// readResultHeads is the byte-level fast path of splitLines + peekCustomIdAndType, which
// summarizeResults uses: for any body, in any chunks, it must report the same lines.

const encoder = new TextEncoder();
// As summarizeResults reads the id bytes: invalid UTF-8 as U+FFFD, a leading U+FEFF kept.
const idDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

function streamOfCuts(bytes: Uint8Array, cuts: readonly number[]): ReadableStream<Uint8Array> {
  const offsets = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...offsets, bytes.length];
  const chunks = bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

type Event = ['head', string, string] | ['other', string];

async function viaLines(bytes: Uint8Array): Promise<Event[]> {
  const events: Event[] = [];
  for await (const line of splitLines(streamOfCuts(bytes, []))) {
    const head = peekCustomIdAndType(line);
    events.push(head ? ['head', head.custom_id, head.type] : ['other', line]);
  }
  return events;
}

async function viaHeads(bytes: Uint8Array, cuts: readonly number[]): Promise<Event[]> {
  const events: Event[] = [];
  await readResultHeads(
    streamOfCuts(bytes, cuts),
    {},
    {
      head: (bytes, start, end, type) =>
        events.push(['head', idDecoder.decode(bytes.slice(start, end)), type]),
      other: (line) => events.push(['other', line]),
    },
  );
  return events;
}

const id = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const type = fc.oneof(
  fc.constantFrom('succeeded', 'errored', 'canceled', 'expired', 'expire', 'succeededx'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
/** Lines as the API writes them, their near misses, other JSON, and text that is not JSON. */
const lineText = fc.oneof(
  fc
    .tuple(id, type, fc.jsonValue({ maxDepth: 2 }))
    .map(([customId, t, message]) =>
      JSON.stringify({ custom_id: customId, result: { type: t, message } }),
    ),
  fc
    .tuple(id, type)
    .map(([customId, t]) => JSON.stringify({ result: { type: t }, custom_id: customId })),
  fc.constantFrom(
    '{"custom_id":"a","result":{"type":"canceled"}',
    '{"custom_id":"a","result":{"type":"canceled"',
    '{"custom_id":"a","result":{"type":"canceled"x',
    '{"custom_id":"a","result":{"type":"canc',
    '{"custom_id":"a',
    '{"custom_id":"a\\u0062","result":{"type":"expired"}}',
    '{"custom_id": "a","result":{"type":"expired"}}',
    '{"custom_id":"a\tb","result":{"type":"expired"}}',
    '{"custom_id":"ab","result":{"type":"exp\u0001red"}}',
    '',
    ' ',
    '\u00a0',
    '\u3000\t',
    '\uFEFF',
    'not json',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
/** A line's bytes, sometimes with a byte that is not UTF-8 put in. */
const lineBytes = fc
  .tuple(lineText, fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff }))))
  .map(([text, odd]) => {
    const bytes = encoder.encode(text);
    if (odd === null) return bytes;
    const at = odd[0] % (bytes.length + 1);
    return Uint8Array.from([...bytes.subarray(0, at), odd[1], ...bytes.subarray(at)]);
  });
const body = fc
  .tuple(
    fc.boolean(), // a byte order mark first
    fc.array(fc.tuple(lineBytes, fc.constantFrom('\n', '\r\n')), { maxLength: 8 }),
    fc.boolean(), // a newline after the last line
  )
  .map(([mark, lines, trailing]) => {
    const parts: number[] = mark ? [0xef, 0xbb, 0xbf] : [];
    lines.forEach(([bytes, separator], i) => {
      parts.push(...bytes);
      if (i < lines.length - 1 || trailing) parts.push(...encoder.encode(separator));
    });
    return Uint8Array.from(parts);
  });

describe('readResultHeads (properties)', () => {
  it('reports what splitLines + peekCustomIdAndType report, whatever the chunks', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 10 }), async (bytes, cuts) => {
        expect(await viaHeads(bytes, cuts)).toEqual(await viaLines(bytes));
      }),
      { numRuns: 5_000 },
    );
  }, 120_000);

  it('reads ids of any length, in lines longer than a chunk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.nat(5000)), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (entries, cuts) => {
          const text = entries
            .map(([customId, size]) =>
              JSON.stringify({
                custom_id: customId,
                result: { type: 'succeeded', pad: 'é'.repeat(size) },
              }),
            )
            .join('\n');
          const bytes = encoder.encode(text);
          expect(await viaHeads(bytes, cuts)).toEqual(await viaLines(bytes));
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
