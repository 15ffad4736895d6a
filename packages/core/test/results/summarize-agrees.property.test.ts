import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../../src/errors.ts';
import { JSONLDecodeError } from '../../src/errors-later.ts';
import { batch, json, scriptedFetch, testClient } from '../helpers/fake-fetch.ts';
import { sampleMessage, sampleResultLines } from '../helpers/result-lines.ts';

// summarizeResults reads most lines from their bytes (jsonl-heads.ts, json-scan.ts); typed
// iteration (`results()`) parses every line and checks it. For any body, in any chunks,
// they must tell the same story: the same custom_ids per type, and the same lines
// unreadable, by number. A line is unreadable where typed iteration throws on it, except
// one that is JSON with a string `custom_id` and `result.type` and fails only the checks
// of its message or error: summarizeResults reads ids and types, not messages, and counts
// it (its documented limit); typed iteration stops there all the same.

const encoder = new TextEncoder();

function streamOf(bytes: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** A client whose ended batch has `bytes` as its results, served in `chunkSize` chunks. */
function clientOf(bytes: Uint8Array, chunkSize: number) {
  const ended = batch({
    processing_status: 'ended',
    ended_at: '2026-11-28T11:00:00.000000Z',
    request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
  });
  const { fetch } = scriptedFetch((request) =>
    request.url.endsWith('/results')
      ? new Response(streamOf(bytes, chunkSize), { headers: { 'request-id': 'req_r' } })
      : json(ended),
  );
  return testClient(fetch).client.messages.batches;
}

type Outcome = { id: string; type: string } | 'unreadable' | { messageOnly: Head };
type Head = { id: string; type: string };

/** The id and type JSON.parse reads from a line, when both are strings. */
function parsedHead(bytes: Uint8Array): Head | null {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes));
    const head = { id: value?.custom_id, type: value?.result?.type };
    return typeof head.id === 'string' && typeof head.type === 'string' ? head : null;
  } catch {
    return null;
  }
}

/** Typed iteration of a whole body: the lines it yields, and the error it ends with. */
async function typed(bytes: Uint8Array, chunkSize: number) {
  const lines: { id: string; type: string }[] = [];
  try {
    for await (const line of clientOf(bytes, chunkSize).results('msgbatch_x')) {
      lines.push({ id: line.custom_id, type: line.result.type });
    }
  } catch (error) {
    return { lines, error: error as Error };
  }
  return { lines, error: null };
}

/**
 * What typed iteration makes of each physical line on its own (blank lines: null): the
 * line is read as line 2 of a body that starts with a newline, so that only the body's
 * first line loses a byte order mark, as in the whole body.
 */
async function typedPerLine(bytes: Uint8Array): Promise<(Outcome | null)[]> {
  const outcomes: (Outcome | null)[] = [];
  let start = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const alone =
      start === 0 ? bytes.slice(0, end) : Uint8Array.from([0x0a, ...bytes.subarray(start, end)]);
    const { lines, error } = await typed(alone, 64);
    if (error instanceof ResponseValidationError) {
      const head = parsedHead(bytes.subarray(start, end));
      outcomes.push(head ? { messageOnly: head } : 'unreadable');
    } else if (error) {
      expect(error).toBeInstanceOf(JSONLDecodeError);
      outcomes.push('unreadable');
    } else outcomes.push(lines.length === 0 ? null : lines[0]!);
    if (newline === -1) return outcomes;
    start = newline + 1;
  }
}

const id = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('a"b', 'a\\b', 'é\u0000', '\u2028x', 'a/b', '\uFEFFa', ''),
);
const errorEnvelope = (sampleResultLines[1]!.result as { error: unknown }).error;
/** Results typed iteration accepts: the documented variants, complete, and a later type. */
const result = fc.oneof(
  fc.constant({ type: 'succeeded', message: sampleMessage }),
  fc.constant({ type: 'errored', error: errorEnvelope }),
  fc.constantFrom({ type: 'canceled' }, { type: 'expired' }, { type: 'deferred' }),
);
/** Types a repeated `type` key may bring without breaking the schema. */
const laterType = fc.constantFrom('canceled', 'expired', 'deferred');
const apiLine = fc
  .tuple(id, result)
  .map(([customId, r]) => JSON.stringify({ custom_id: customId, result: r }));

const lineText = fc.oneof(
  { weight: 4, arbitrary: apiLine },
  // Another key order, and whitespace.
  fc
    .tuple(id, result)
    .map(([customId, r]) => JSON.stringify({ result: r, custom_id: customId }, null, 1)),
  // Duplicate keys: JSON.parse keeps the last.
  fc.tuple(apiLine, id, result, laterType, fc.nat(4)).map(([text, id2, r2, t2, which]) => {
    const open = text.slice(0, -1);
    switch (which) {
      case 0:
        return `${open},"custom_id":${JSON.stringify(id2)}}`;
      case 1:
        return `${open},"result":${JSON.stringify(r2)}}`;
      case 2:
        return `${text.slice(0, -2)},"type":"${t2}"}}`;
      case 3:
        return `${open},"custom\\u005fid":${JSON.stringify(id2)}}`;
      default:
        return `${open},"extra":{"custom_id":1,"result":{"type":"x"}}}`;
    }
  }),
  // A broken tail: cut, or a byte put in or taken out.
  fc
    .tuple(
      apiLine,
      fc.nat(),
      fc.constantFrom('', '"', '}', ']', ',', '\\', '\u0001', 'x', ' ', '\t', '0'),
      fc.boolean(),
    )
    .map(([text, at, put, drop]) => {
      const cut = at % (text.length + 1);
      return text.slice(0, cut) + put + text.slice(cut + (drop ? 1 : 0));
    }),
  // JSON that is not a result line, and blank lines.
  fc.constantFrom(
    '[]',
    '1',
    '"s"',
    'null',
    '{"custom_id":1,"result":{"type":"canceled"}}',
    '{"custom_id":"a"}',
    '{"custom_id":"a","result":{"type":"canceled"}}garbage',
    '',
    ' ',
    '\t',
    '\u00a0',
  ),
);

const body = fc
  .tuple(
    fc.boolean(), // a byte order mark first
    fc.array(fc.tuple(lineText, fc.constantFrom('\n', '\r\n')), { maxLength: 8 }),
    fc.boolean(), // a newline after the last line
    fc.option(fc.nat()), // the body cut short there (in a line, a character, anywhere)
  )
  .map(([mark, lines, trailing, cut]) => {
    let text = mark ? '\uFEFF' : '';
    lines.forEach(([line, separator], i) => {
      text += line;
      if (i < lines.length - 1 || trailing) text += separator;
    });
    const bytes = encoder.encode(text);
    return cut === null ? bytes : bytes.slice(0, cut % (bytes.length + 1));
  });

describe('summarizeResults agrees with typed iteration (properties)', () => {
  it('the same custom_ids per type and the same unreadable lines, whatever the body and chunks', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: 1, max: 40 }), async (bytes, chunkSize) => {
        const perLine = await typedPerLine(bytes);
        const customIds: Record<string, string[]> = {
          succeeded: [],
          errored: [],
          canceled: [],
          expired: [],
        };
        const unreadable: number[] = [];
        perLine.forEach((outcome, i) => {
          if (outcome === 'unreadable') unreadable.push(i + 1);
          else if (outcome !== null) {
            const head = 'messageOnly' in outcome ? outcome.messageOnly : outcome;
            customIds[head.type] = [...(customIds[head.type] ?? []), head.id];
          }
        });

        const summary = await clientOf(bytes, chunkSize).summarizeResults('msgbatch_x');
        expect({ ...summary.customIds }).toEqual(customIds);
        // summarizeResults lists the first 100 unreadable line numbers and counts them all.
        expect(summary.unreadable).toEqual({
          count: unreadable.length,
          lineNumbers: unreadable.slice(0, 100),
        });
        expect(summary.lines).toBe(perLine.filter((outcome) => outcome !== null).length);

        // The whole body, typed: every readable line up to the first unreadable one, which
        // ends the iteration with an error naming its line.
        const whole = await typed(bytes, chunkSize);
        const stop = perLine.findIndex(
          (outcome) => outcome === 'unreadable' || (outcome !== null && 'messageOnly' in outcome),
        );
        const first = stop === -1 ? undefined : stop + 1;
        const before = perLine.slice(0, stop === -1 ? undefined : stop).filter((o) => o !== null);
        expect(whole.lines).toEqual(before);
        if (first === undefined) expect(whole.error).toBeNull();
        else expect(whole.error?.message).toContain(`line ${first}`);
      }),
      { numRuns: 400 },
    );
  }, 300_000);
});
