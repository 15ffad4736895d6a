import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useWasmScanner, wasmScanner } from '../../src/results/json-scan-simd.ts';
import { peekCustomIdAndType, splitLines } from '../../src/results/jsonl.ts';
import { readResultHeads } from '../../src/results/jsonl-heads.ts';

// readResultHeads is the byte-level fast path of splitLines + peekCustomIdAndType + JSON.parse,
// which summarizeResults uses: for any body, in any chunks, it must report the same lines, a
// head only where JSON.parse of the line agrees with it, and every line it cannot vouch
// for as text (to be parsed).

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

/** What JSON.parse makes of a line: its id and type, or null. */
function parsedHead(line: string): { custom_id: unknown; type: unknown } | null {
  try {
    const value = JSON.parse(line);
    return { custom_id: value?.custom_id, type: value?.result?.type };
  } catch {
    return null;
  }
}

/**
 * The model: a head where peekCustomIdAndType answers and JSON.parse of the line agrees;
 * the text where JSON.parse fails or disagrees. A line where both agree may still come as
 * text when it holds an escape (a key written with one might repeat the head's).
 */
async function expectModel(bytes: Uint8Array, events: readonly Event[]): Promise<void> {
  const lines: string[] = [];
  for await (const line of splitLines(streamOfCuts(bytes, []))) lines.push(line);
  expect(events.length).toBe(lines.length);
  lines.forEach((line, i) => {
    const event = events[i]!;
    const peeked = peekCustomIdAndType(line);
    const parsed = parsedHead(line);
    const agree =
      peeked !== null &&
      parsed !== null &&
      parsed.custom_id === peeked.custom_id &&
      parsed.type === peeked.type;
    if (event[0] === 'head') {
      expect(agree).toBe(true);
      expect(event).toEqual(['head', peeked!.custom_id, peeked!.type]);
    } else {
      expect(event).toEqual(['other', line]);
      if (agree) expect(line).toContain('\\');
    }
  });
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
  // A line in the API's form with its tail cut, or a byte put in or taken out.
  fc
    .tuple(
      id,
      type,
      fc.jsonValue({ maxDepth: 2 }),
      fc.nat(),
      fc.constantFrom('', '"', '}', ']', ',', '\\', '\u0001', 'x', ' '),
      fc.boolean(),
    )
    .map(([customId, t, message, at, put, drop]) => {
      const text = JSON.stringify({ custom_id: customId, result: { type: t, message } });
      const cut = at % (text.length + 1);
      return text.slice(0, cut) + put + text.slice(cut + (drop ? 1 : 0));
    }),
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
    '{"custom_id":"a","result":{"type":"canceled"}}}',
    '{"custom_id":"a","result":{"type":"canceled"},}',
    '{"custom_id":"a","result":{"type":"canceled"}} x',
    '{"custom_id":"a","result":{"type":"canceled"}} \r',
    '{"custom_id":"a","result":{"type":"canceled","type":"expired"}}',
    '{"custom_id":"a","result":{"type":"canceled"},"custom_id":"b"}',
    '{"custom_id":"a","result":{"type":"canceled"},"result":{"type":"expired"}}',
    '{"custom_id":"a","result":{"type":"canceled"},"custom\\u005fid":"b"}',
    '{"custom_id":"a","result":{"type":"canceled","x":{"type":1},"y":[1,-2.5e+3,true,null]},"z":{"custom_id":0}}',
    '{"custom_id":"a","result":{"type":"canceled","x":01}}',
    '{"custom_id":"a","result":{"type":"canceled","x":"\\x"}}',
    '{"custom_id":"a","result":{"type":"canceled","x":[1,]}}',
    '{"custom_id":"a","result":{"type":"canceled","x":tru}}',
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
  it('reports a head only where JSON.parse of the line agrees, whatever the chunks', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 10 }), async (bytes, cuts) => {
        await expectModel(bytes, await viaHeads(bytes, cuts));
      }),
      { numRuns: 5_000 },
    );
  }, 120_000);

  it('reports the same with the WebAssembly scan and without it (as where WebAssembly is missing)', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 10 }), async (bytes, cuts) => {
        expect(wasmScanner()).not.toBeNull();
        const withWasm = await viaHeads(bytes, cuts);
        useWasmScanner(false);
        try {
          expect(await viaHeads(bytes, cuts)).toEqual(withWasm);
        } finally {
          useWasmScanner(true);
        }
      }),
      { numRuns: 3_000 },
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
          const events = await viaHeads(bytes, cuts);
          await expectModel(bytes, events);
          // Lines in the API's form, without escapes, take the fast path.
          for (const [i, [customId]] of entries.entries()) {
            if (!JSON.stringify(customId).includes('\\')) expect(events[i]![0]).toBe('head');
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('checks buffers too long for the WebAssembly memory in JavaScript, with the same outcome', async () => {
    // A chunk over 1 MiB is not copied into the module: its lines take the JavaScript scan.
    const pad = 'é'.repeat(600_000);
    const good = JSON.stringify({ custom_id: 'big', result: { type: 'succeeded', pad } });
    const broken = `${good.slice(0, -2)}"}}`;
    const small = JSON.stringify({ custom_id: 'small', result: { type: 'expired' } });
    const bytes = encoder.encode(`${good}\n${broken}\n${small}`);
    expect(bytes.length).toBeGreaterThan(1 << 21);
    for (const cuts of [[], [bytes.length - 10]]) {
      const events = await viaHeads(bytes, cuts);
      expect(events.map((e) => e[0])).toEqual(['head', 'other', 'head']);
      await expectModel(bytes, events);
    }
  });

  it('reads a type of any length, also past what the WebAssembly answer packs (1024 bytes)', async () => {
    for (const length of [1, 1023, 1024, 5000]) {
      const type = 't'.repeat(length);
      const text = [
        JSON.stringify({ custom_id: 'a', result: { type, pad: [1, 'x'] } }),
        `${JSON.stringify({ custom_id: 'b', result: { type } }).slice(0, -1)}`,
      ].join('\n');
      const bytes = encoder.encode(text);
      for (const cuts of [[], [7], [bytes.length - 3]]) {
        const events = await viaHeads(bytes, cuts);
        expect(events.map((e) => e[0])).toEqual(['head', 'other']);
        expect(events[0]).toEqual(['head', 'a', type]);
        await expectModel(bytes, events);
      }
    }
  });

  it('reads bodies side by side as it reads each alone (the WebAssembly memory is shared)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(body, fc.array(fc.nat(), { maxLength: 6 })), {
          minLength: 2,
          maxLength: 4,
        }),
        async (bodies) => {
          const alone: Event[][] = [];
          for (const [bytes, cuts] of bodies) alone.push(await viaHeads(bytes, cuts));
          expect(await Promise.all(bodies.map(([bytes, cuts]) => viaHeads(bytes, cuts)))).toEqual(
            alone,
          );
        },
      ),
      { numRuns: 500 },
    );
  }, 120_000);
});
