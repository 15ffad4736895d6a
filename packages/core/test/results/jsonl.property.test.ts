import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSONLDecodeError } from '../../src/errors-later.ts';
import { decodeJSONL, peekCustomIdAndType } from '../../src/results/jsonl.ts';

const encoder = new TextEncoder();

/** Splits `bytes` at the given offsets (in any order, repeats make empty chunks). */
function streamOfCuts(bytes: Uint8Array, cuts: readonly number[]): ReadableStream<Uint8Array> {
  const offsets = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...offsets, bytes.length];
  const chunks = bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const reference = (text: string) =>
  text
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));

const separator = fc.constantFrom('\n', '\r\n');
const blankLine = fc.constantFrom('', ' ', '\t', '  \r', '\u00a0', '\u3000');
/** One JSON line (unicode strings, lone surrogates included), its separator, maybe blank lines after. */
const entry = fc.record({
  value: fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }),
  separator,
  blanks: fc.array(fc.tuple(blankLine, separator), { maxLength: 2 }),
});

type Entry = { value: fc.JsonValue; separator: string; blanks: [string, string][] };

function jsonlText(entries: readonly Entry[], trailingNewline: boolean): string {
  const parts = entries.map(
    (e) => JSON.stringify(e.value) + e.separator + e.blanks.map(([b, s]) => b + s).join(''),
  );
  const text = parts.join('');
  return trailingNewline ? text : text.replace(/(\r?\n)+$/, '');
}

/** The property both body sizes hold: decoded in any chunks, the values of split + JSON.parse. */
function decodesAsReference(
  entries: fc.Arbitrary<Entry[]>,
  maxCuts: number,
  numRuns: number,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(
      entries,
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: maxCuts }),
      async (list, trailingNewline, cuts) => {
        const text = jsonlText(list, trailingNewline);
        const values = await collect(decodeJSONL(streamOfCuts(encoder.encode(text), cuts)));
        expect(values).toEqual(reference(text));
      },
    ),
    { numRuns },
  );
}

describe('decodeJSONL (properties)', () => {
  it('decodes whatever chunks the bytes arrive in exactly as split + JSON.parse does', async () => {
    await decodesAsReference(fc.array(entry, { maxLength: 8 }), 12, 10_000);
    // 10,000 async cases take ~5 s alone and more on a busy 2-core machine.
  }, 120_000);

  it('numbers a bad line by its physical position and delivers the lines before it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (entries, at, cuts) => {
          const bad = at % entries.length;
          const before = jsonlText(entries.slice(0, bad), true);
          const text = `${before}{"custom_id":\n${jsonlText(entries.slice(bad), true)}`;
          const delivered: unknown[] = [];
          let error: unknown;
          try {
            for await (const v of decodeJSONL(streamOfCuts(encoder.encode(text), cuts))) {
              delivered.push(v);
            }
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(JSONLDecodeError);
          expect((error as JSONLDecodeError).lineNumber).toBe(before.split('\n').length);
          expect(delivered).toEqual(reference(before));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

/** Entries whose lines carry up to ~2.4 KB of text: a body of them spans several 8 KB pieces. */
const longEntry = fc.record({
  value: fc
    .tuple(
      fc.jsonValue({ maxDepth: 2 }),
      fc.nat({ max: 600 }),
      fc.constantFrom('x', 'é', '—', '😀', '数'),
    )
    .map(([value, n, c]) => ({ value, pad: c.repeat(n) })),
  separator,
  blanks: fc.array(fc.tuple(blankLine, separator), { maxLength: 2 }),
});

describe('decodeJSONL over bodies of many pieces (properties)', () => {
  it('decodes them exactly as split + JSON.parse does, whatever the chunks', async () => {
    await decodesAsReference(fc.array(longEntry, { minLength: 10, maxLength: 60 }), 4, 200);
  }, 60_000);

  it('numbers a bad line by its physical position and delivers the lines before it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(longEntry, { minLength: 10, maxLength: 60 }),
        fc.nat(),
        fc.constantFrom('{"custom_id":', '{"a":1}{"b":2}', '[1,', '"open'),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (entries, at, bad, cuts) => {
          const index = at % entries.length;
          const before = jsonlText(entries.slice(0, index), true);
          const text = `${before}${bad}\n${jsonlText(entries.slice(index), true)}`;
          const delivered: unknown[] = [];
          let error: unknown;
          try {
            for await (const v of decodeJSONL(streamOfCuts(encoder.encode(text), cuts))) {
              delivered.push(v);
            }
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(JSONLDecodeError);
          expect((error as JSONLDecodeError).lineNumber).toBe(before.split('\n').length);
          expect(delivered).toEqual(reference(before));
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});

const canonicalId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const resultType = fc.constantFrom('succeeded', 'errored', 'canceled', 'expired', 'new_type');
const anyString = fc.string({ unit: 'binary', maxLength: 12 });

/** Result lines as JSON.stringify writes them: mostly canonical, sometimes reordered or odd. */
const resultLine = fc
  .record({
    customId: fc.oneof(canonicalId, anyString, fc.jsonValue({ maxDepth: 1 })),
    type: fc.oneof(resultType, anyString, fc.jsonValue({ maxDepth: 1 })),
    rest: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    extra: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
    typeFirst: fc.boolean(),
    idFirst: fc.boolean(),
  })
  .map(({ customId, type, rest, extra, typeFirst, idFirst }) => {
    const result = typeFirst ? { type, ...rest } : { ...rest, type };
    const line = idFirst
      ? { custom_id: customId, result, ...extra }
      : { ...extra, result, custom_id: customId };
    return JSON.stringify(line);
  });

/** What JSON.parse says the two fields are, when they are both strings. */
function parsedFields(line: string) {
  const value = JSON.parse(line);
  const type = value?.result?.type;
  if (typeof value?.custom_id !== 'string' || typeof type !== 'string') return null;
  return { custom_id: value.custom_id as string, type: type as string };
}

describe('peekCustomIdAndType (properties)', () => {
  it('agrees with JSON.parse whenever it answers', () => {
    fc.assert(
      fc.property(resultLine, (line) => {
        const peeked = peekCustomIdAndType(line);
        if (peeked !== null) expect(peeked).toEqual(parsedFields(line));
      }),
      { numRuns: 10_000 },
    );
  });

  it('answers for every line in the canonical form the API writes', () => {
    fc.assert(
      fc.property(canonicalId, resultType, fc.jsonValue(), (customId, type, message) => {
        const line = JSON.stringify({ custom_id: customId, result: { type, message } });
        expect(peekCustomIdAndType(line)).toEqual({ custom_id: customId, type });
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees with JSON.parse on lines with one character changed, when they still parse', () => {
    fc.assert(
      fc.property(
        resultLine,
        fc.nat(),
        fc.string({ unit: 'binary', maxLength: 1 }),
        (line, at, c) => {
          const i = at % (line.length + 1);
          const mutated = line.slice(0, i) + c + line.slice(i + 1);
          let expected: ReturnType<typeof parsedFields>;
          try {
            expected = parsedFields(mutated);
          } catch {
            return; // not JSON: the caller's full parse reports it
          }
          const peeked = peekCustomIdAndType(mutated);
          if (peeked !== null) expect(peeked).toEqual(expected);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
