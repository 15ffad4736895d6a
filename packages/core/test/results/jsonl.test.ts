import { describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APIUserAbortError } from '../../src/errors.ts';
import { JSONLDecodeError, LineTooLongError } from '../../src/errors-later.ts';
import { decodeJSONL, peekCustomIdAndType, splitLines } from '../../src/results/jsonl.ts';

const encoder = new TextEncoder();

/** A pull-based source that hands out `chunks` one per read and records cancellation. */
function source(chunks: readonly (string | Uint8Array)[], options: { fail?: unknown } = {}) {
  const cancel = vi.fn();
  const queue = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = queue.shift();
        if (next) controller.enqueue(next);
        else if (options.fail !== undefined) controller.error(options.fail);
        else controller.close();
      },
      cancel,
    },
    { highWaterMark: 0 },
  );
  return { stream, cancel };
}

/** A source whose first read never settles on its own. */
function stalledSource() {
  const cancel = vi.fn();
  const stream = new ReadableStream<Uint8Array>(
    { pull: () => new Promise<void>(() => {}), cancel },
    { highWaterMark: 0 },
  );
  return { stream, cancel };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function failure(iterable: AsyncIterable<unknown>, delivered: unknown[] = []) {
  try {
    for await (const item of iterable) delivered.push(item);
  } catch (error) {
    return error;
  }
  throw new Error('expected the iteration to fail');
}

const SAMPLE = '{"id":"é-1","t":"😀"}\r\n\r\n  \n{"id":"数据","t":"ok"}\n{"id":"last"}';
const SAMPLE_LINES = ['{"id":"é-1","t":"😀"}', '{"id":"数据","t":"ok"}', '{"id":"last"}'];

describe('splitLines', () => {
  it('yields LF and CRLF lines, skips blank ones and keeps a last line without newline', async () => {
    const { stream } = source([SAMPLE]);
    expect(await collect(splitLines(stream))).toEqual(SAMPLE_LINES);
  });

  it('gives the same lines for every split of the bytes into three chunks', async () => {
    const bytes = encoder.encode(SAMPLE);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const { stream } = source([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(await collect(splitLines(stream))).toEqual(SAMPLE_LINES);
      }
    }
  });

  it('accepts one byte per chunk and empty chunks', async () => {
    const bytes = encoder.encode(SAMPLE);
    const chunks = [...bytes].flatMap((b) => [new Uint8Array(0), Uint8Array.of(b)]);
    expect(await collect(splitLines(source(chunks).stream))).toEqual(SAMPLE_LINES);
  });

  it('drops a final CR with no LF after it', async () => {
    expect(await collect(splitLines(source(['a\r\nb\r']).stream))).toEqual(['a', 'b']);
  });

  it('replaces invalid UTF-8 with U+FFFD', async () => {
    const { stream } = source([Uint8Array.of(0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a)]);
    expect(await collect(splitLines(stream))).toEqual(['a\uFFFD', '\uFFFD']);
  });

  it('splits a chunk of many pieces’ worth of lines as a chunk of one line each', async () => {
    // Long chunks are decoded in pieces cut at newlines; lines and their numbers must not
    // depend on where the pieces fall.
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `{"n":${i},"t":"${'é—😀'.repeat(i % 40)}"}`,
    );
    const text = lines.map((line, i) => (i % 500 === 7 ? `\r\n${line}` : line)).join('\n');
    const bytes = encoder.encode(text);
    const whole = await collect(splitLines(source([bytes]).stream));
    const chunks = [bytes.subarray(0, 100_003), bytes.subarray(100_003)];
    expect(whole).toEqual(lines);
    expect(await collect(splitLines(source(chunks).stream))).toEqual(lines);
    const broken = encoder.encode(`${text}\n{"n":`);
    const error = await failure(decodeJSONL(source([broken]).stream));
    expect(error).toMatchObject({ lineNumber: 3000 + 6 + 1 });
  });

  it('decodes pieces of ASCII, of other UTF-8 and of invalid UTF-8 as one TextDecoder does', async () => {
    // In Node, valid pieces take node:buffer's decoding and the rest a TextDecoder.
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 600; i++) {
      const kind = Math.floor(i / 50) % 3;
      const line =
        kind === 0
          ? encoder.encode(`{"n":${i},"t":"${'ascii '.repeat(i % 30)}"}\n`)
          : kind === 1
            ? encoder.encode(`{"n":${i},"t":"${'é—😀\uFEFF'.repeat(i % 30)}"}\n`)
            : Uint8Array.of(
                ...encoder.encode(`{"n":${i},"t":"`),
                0xff,
                0xed,
                0xa0,
                0x80,
                0xe2,
                0x82,
                0x22,
                0x7d,
                0x0a,
              );
      parts.push(line);
    }
    const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    const expected = new TextDecoder().decode(bytes).split('\n').slice(0, -1);
    expect(await collect(splitLines(source([bytes]).stream))).toEqual(expected);
    const chunks = [
      bytes.subarray(0, 20_001),
      bytes.subarray(20_001, 50_000),
      bytes.subarray(50_000),
    ];
    expect(await collect(splitLines(source(chunks).stream))).toEqual(expected);
  });

  it('decodes one 8 MB line arriving in 64 KiB chunks', async () => {
    const text = 'é😀数'.repeat(800_000); // 9 bytes each: 7.2 MB of multi-byte text
    const bytes = encoder.encode(`${JSON.stringify({ custom_id: 'big', text })}\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
    const values = await collect(decodeJSONL(source(chunks).stream));
    expect(values).toHaveLength(1);
    expect((values[0] as { text: string }).text === text).toBe(true);
  });

  it('drops a BOM only at the very start of the body, also when split across chunks', async () => {
    const bom = [0xef, 0xbb, 0xbf];
    const bytes = Uint8Array.from([
      ...bom,
      ...encoder.encode('a\n'),
      ...bom,
      ...encoder.encode('b\n'),
    ]);
    for (let i = 0; i <= bytes.length; i++) {
      const { stream } = source([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(await collect(splitLines(stream))).toEqual(['a', '\uFEFFb']);
    }
    // An incomplete BOM is invalid UTF-8 and a BOM after it is text.
    const broken = source([Uint8Array.of(0xef, 0xbb, 0x0a, ...bom, 0x63)]);
    expect(await collect(splitLines(broken.stream))).toEqual(['\uFFFD', '\uFEFFc']);
    const late = source([new Uint8Array(0), Uint8Array.of(...bom), encoder.encode('x')]);
    expect(await collect(splitLines(late.stream))).toEqual(['x']);
  });

  it('decodes long lines whose characters are split across every chunk boundary', async () => {
    // 4-, 3- and 2-byte characters in lines longer than a chunk, cut into chunks of sizes
    // coprime to the character lengths, so every offset inside a character is a boundary
    // somewhere; the short line after each long one starts mid-chunk.
    const long = (n: number) => `{"t":"${'😀数é'.repeat(n)}x"}`;
    const lines = [long(30_000), '{"s":1}', long(70_000), '{"s":"é"}', long(9_000)];
    const bytes = encoder.encode(`\uFEFF${lines.join('\r\n')}`);
    for (const size of [65_521, 8_191, 100_003]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const got = await collect(splitLines(source(chunks).stream));
      expect(got.length).toBe(lines.length);
      expect(got.every((line, i) => line === lines[i])).toBe(true);
    }
  });

  it('replaces invalid UTF-8 in a long line exactly as one TextDecoder does', async () => {
    const text = `{"t":"${'a'.repeat(200_000)}"}`;
    const bytes = encoder.encode(`${text}\n${text}`);
    // A lone continuation byte, a cut 3-byte sequence and a surrogate in each line.
    for (const at of [10, 100_000, 190_000]) bytes.set([0x80, 0xe2, 0x82, 0xed, 0xa0], at);
    for (const at of [10, 100_000, 190_000]) bytes.set([0xff], at + text.length + 1);
    const expected = new TextDecoder().decode(bytes).split('\n');
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 4_099) chunks.push(bytes.subarray(i, i + 4_099));
    expect(await collect(splitLines(source(chunks).stream))).toEqual(expected);
  });

  it('decodes and copies each byte of a long line once, however many chunks it spans', async () => {
    // Re-decoding or re-copying what came before at each chunk would be quadratic: count the
    // bytes handed to TextDecoder and copied between arrays instead of timing it.
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const copy = vi.spyOn(Uint8Array.prototype, 'set');
    const sum = (calls: unknown[][]) =>
      calls.reduce((total, [input]) => total + ((input as Uint8Array | undefined)?.length ?? 0), 0);
    try {
      const bytes = encoder.encode(`{"t":"${'é'.repeat(1_000_000)}"}\n{"n":2}\n`);
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += 1_000) chunks.push(bytes.subarray(i, i + 1_000));
      const got = await collect(splitLines(source(chunks).stream));
      expect(got.map((line) => line.length)).toEqual([1_000_008, 7]);
      expect(got[0] === `{"t":"${'é'.repeat(1_000_000)}"}`).toBe(true);
      expect(sum(decode.mock.calls)).toBeLessThanOrEqual(bytes.length);
      expect(sum(copy.mock.calls)).toBeLessThanOrEqual(bytes.length);
    } finally {
      decode.mockRestore();
      copy.mockRestore();
    }
  });

  it('cancels the source and releases it when the loop breaks early', async () => {
    const { stream, cancel } = source(['a\nb\n', 'c\n']);
    for await (const line of splitLines(stream)) {
      expect(line).toBe('a');
      break;
    }
    expect(cancel).toHaveBeenCalledOnce();
    expect(stream.locked).toBe(false);
  });

  it('stops a pending read and cancels the source when the signal aborts', async () => {
    const { stream, cancel } = stalledSource();
    const controller = new AbortController();
    const error = failure(splitLines(stream, { signal: controller.signal }));
    controller.abort();
    expect(await error).toBeInstanceOf(APIUserAbortError);
    expect(cancel).toHaveBeenCalled();
    expect(stream.locked).toBe(false);
  });

  it('does not read at all when the signal has already aborted', async () => {
    const { stream } = source(['a\n']);
    const error = await failure(splitLines(stream, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(stream.locked).toBe(false);
  });

  it('passes on the error of a failing read unchanged', async () => {
    const boom = new TypeError('terminated');
    const delivered: unknown[] = [];
    const error = await failure(splitLines(source(['a\nb'], { fail: boom }).stream), delivered);
    expect(error).toBe(boom);
    expect(delivered).toEqual(['a']);
  });

  it('wraps a read failure that is not an Error in APIConnectionError', async () => {
    const error = await failure(splitLines(source([], { fail: 'reset' }).stream));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).cause).toBe('reset');
  });
});

describe('decodeJSONL', () => {
  it('reports a malformed line with its physical line number and the last good custom_id', async () => {
    const { stream, cancel } = source([
      '{"custom_id":"a"}\n\n{"custom_id":"b"}\r\n{"custom_id":',
      '"c"\n{"custom_id":"d"}\n',
    ]);
    const delivered: unknown[] = [];
    const error = await failure(decodeJSONL(stream, { requestID: 'req_1' }), delivered);
    expect(delivered).toEqual([{ custom_id: 'a' }, { custom_id: 'b' }]);
    expect(error).toBeInstanceOf(JSONLDecodeError);
    expect(error).toMatchObject({ lineNumber: 4, lastCustomId: 'b', requestID: 'req_1' });
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    expect(cancel).toHaveBeenCalledOnce();
  });

  it('reports a last line cut off mid-JSON as truncated', async () => {
    const { stream } = source(['{"custom_id":"a"}\n{"custom_id":"b","res']);
    const delivered: unknown[] = [];
    const error = await failure(decodeJSONL(stream), delivered);
    expect(delivered).toEqual([{ custom_id: 'a' }]);
    expect(error).toBeInstanceOf(JSONLDecodeError);
    expect(error).toMatchObject({ lineNumber: 2, lastCustomId: 'a', requestID: null });
    expect((error as Error).message).toMatch(/ended inside a line, which is truncated/);
  });

  it('reports null as lastCustomId when no line decoded', async () => {
    const error = await failure(decodeJSONL(source(['nope\n']).stream));
    expect(error).toMatchObject({ lineNumber: 1, lastCustomId: null });
  });

  it('delivers a complete last line without newline', async () => {
    const values = await collect(decodeJSONL(source(['[1]\n', '{"a":2}']).stream));
    expect(values).toEqual([[1], { a: 2 }]);
  });

  it('runs parse with the line number and lets its error through unchanged', async () => {
    const invalid = new RangeError('not a result line');
    const parse = vi.fn((value: unknown, lineNumber: number) => {
      if (lineNumber === 3) throw invalid;
      return value as { n: number };
    });
    const delivered: unknown[] = [];
    const error = await failure(
      decodeJSONL(source(['{"n":1}\n\n{"n":2}\n']).stream, { parse }),
      delivered,
    );
    expect(error).toBe(invalid);
    expect(delivered).toEqual([{ n: 1 }]);
    expect(parse.mock.calls.map((call) => call[1])).toEqual([1, 3]);
  });

  it('answers calls made at once in order, as a generator does', async () => {
    const { stream } = source(['{"n":1}\n', '{"n":2}\n{"n":3}\n']);
    const lines = decodeJSONL(stream);
    const results = await Promise.all([lines.next(), lines.next(), lines.next(), lines.next()]);
    expect(results).toEqual([
      { done: false, value: { n: 1 } },
      { done: false, value: { n: 2 } },
      { done: false, value: { n: 3 } },
      { done: true, value: undefined },
    ]);
  });

  it('return() closes the body, and every later call is done', async () => {
    const { stream, cancel } = source(['{"n":1}\n{"n":2}\n', '{"n":3}\n']);
    const lines = decodeJSONL(stream);
    expect(await lines.next()).toEqual({ done: false, value: { n: 1 } });
    expect(await lines.return()).toEqual({ done: true, value: undefined });
    expect(cancel).toHaveBeenCalledOnce();
    expect(stream.locked).toBe(false);
    expect(await lines.next()).toEqual({ done: true, value: undefined });
  });

  it('return() before the first next() reads nothing', async () => {
    const { stream } = source(['{"n":1}\n']);
    const lines = decodeJSONL(stream);
    expect(await lines.return()).toEqual({ done: true, value: undefined });
    expect(stream.locked).toBe(false);
    expect(await lines.next()).toEqual({ done: true, value: undefined });
  });

  it('throw() closes the body and rejects with the error given', async () => {
    const { stream, cancel } = source(['{"n":1}\n{"n":2}\n']);
    const lines = decodeJSONL(stream);
    await lines.next();
    const stop = new Error('stop');
    await expect(lines.throw(stop)).rejects.toBe(stop);
    expect(cancel).toHaveBeenCalledOnce();
    expect(await lines.next()).toEqual({ done: true, value: undefined });
  });

  it('is done after a failure', async () => {
    const lines = decodeJSONL(source(['{"n":1}\nnope\n{"n":3}\n']).stream);
    expect(await lines.next()).toEqual({ done: false, value: { n: 1 } });
    await expect(lines.next()).rejects.toBeInstanceOf(JSONLDecodeError);
    expect(await lines.next()).toEqual({ done: true, value: undefined });
  });

  it('stops before the next line once the signal aborts', async () => {
    const controller = new AbortController();
    const lines = decodeJSONL(source(['{"n":1}\n{"n":2}\n']).stream, {
      signal: controller.signal,
    });
    expect(await lines.next()).toEqual({ done: false, value: { n: 1 } });
    controller.abort();
    await expect(lines.next()).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('is an async iterator as generators are (Symbol.asyncDispose where the runtime has it)', () => {
    const lines = decodeJSONL(source([]).stream);
    const generator = (async function* () {})();
    expect(lines[Symbol.asyncIterator]()).toBe(lines);
    expect(Object.prototype.toString.call(lines)).toBe(Object.prototype.toString.call(generator));
    const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose ?? Symbol('none');
    expect(typeof (lines as any)[dispose]).toBe(typeof (generator as any)[dispose]);
  });

  describe('a chunk of many pieces (its later pieces are taken without a read)', () => {
    /** Lines of ~200 bytes, with blank and CRLF lines among them: ~70 KB in all. */
    const physical = Array.from({ length: 400 }, (_, i) =>
      i % 37 === 5
        ? i % 2
          ? ''
          : ' \t'
        : `{"custom_id":"id-${i}","t":"${'é—😀x'.repeat(i % 50)}"}`,
    );
    const endings = physical.map((_, i) => (i % 3 === 0 ? '\r\n' : '\n'));
    const textOf = (lines: readonly string[]) => lines.map((line, i) => line + endings[i]).join('');
    const valuesOf = (lines: readonly string[]) =>
      lines.filter((line) => line.trim()).map((line) => JSON.parse(line));

    it('delivers every line in order, blank lines skipped and CRLF taken off', async () => {
      const { stream } = source([textOf(physical)]);
      expect(encoder.encode(textOf(physical)).length).toBeGreaterThan(60_000);
      expect(await collect(decodeJSONL(stream))).toEqual(valuesOf(physical));
    });

    it('names a bad line in a later piece by its physical number, after the lines before it', async () => {
      for (const bad of [150, 151, 399]) {
        const lines = physical.map((line, i) => (i === bad ? '{"custom_id":' : line));
        const { stream, cancel } = source([textOf(lines), '{"custom_id":"after"}\n']);
        const delivered: unknown[] = [];
        const error = await failure(decodeJSONL(stream, { requestID: 'req_p' }), delivered);
        expect(delivered).toEqual(valuesOf(physical.slice(0, bad)));
        expect(error).toBeInstanceOf(JSONLDecodeError);
        const last = valuesOf(physical.slice(0, bad)).at(-1) as { custom_id: string };
        expect(error).toMatchObject({
          lineNumber: bad + 1,
          lastCustomId: last.custom_id,
          requestID: 'req_p',
        });
        expect(cancel).toHaveBeenCalledOnce();
      }
    });

    it('stops at once when the signal aborts between two lines of the chunk in hand', async () => {
      const controller = new AbortController();
      const { stream, cancel } = source([textOf(physical)]);
      const lines = decodeJSONL(stream, { signal: controller.signal });
      for (let i = 0; i < 200; i++) expect((await lines.next()).done).toBe(false);
      controller.abort();
      await expect(lines.next()).rejects.toBeInstanceOf(APIUserAbortError);
      expect(cancel).toHaveBeenCalledOnce();
      expect(await lines.next()).toEqual({ done: true, value: undefined });
    });

    it('hands out the lines before a line over maxLineBytes in a later piece, then names it', async () => {
      const long = 300;
      const lines = physical.map((line, i) =>
        i === long ? `{"custom_id":"long","pad":"${'y'.repeat(2_000)}"}` : line,
      );
      const delivered: unknown[] = [];
      const { stream, cancel } = source([textOf(lines)]);
      const error = await failure(decodeJSONL(stream, { maxLineBytes: 1_500 }), delivered);
      expect(delivered).toEqual(valuesOf(physical.slice(0, long)));
      expect(error).toBeInstanceOf(LineTooLongError);
      expect(error).toMatchObject({ lineNumber: long + 1 });
      expect(cancel).toHaveBeenCalledOnce();
    });

    it('gives the same lines when the chunk is cut anywhere, also inside a CRLF or a character', async () => {
      const bytes = encoder.encode(textOf(physical));
      const crlf = bytes.indexOf(0x0d, 30_000) + 1; // between \r and \n
      const inChar = bytes.indexOf(0xf0, 45_000) + 2; // inside a 4-byte character
      for (const cut of [crlf, inChar, 8_192, 8_193, 16_385]) {
        const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)];
        expect(await collect(decodeJSONL(source(chunks).stream))).toEqual(valuesOf(physical));
      }
    });
  });

  it('takes lastCustomId from customIdOf', async () => {
    const error = await failure(
      decodeJSONL(source(['{"key":"k1"}\n{"other":1}\n{']).stream, {
        parse: (value) => value as { key?: string },
        customIdOf: (value) => value.key,
      }),
    );
    expect(error).toMatchObject({ lineNumber: 3, lastCustomId: 'k1' });
  });
});

describe('peekCustomIdAndType', () => {
  it('reads a canonical line', () => {
    const line = '{"custom_id":"req-1","result":{"type":"succeeded","message":{"type":"message"}}}';
    expect(peekCustomIdAndType(line)).toEqual({ custom_id: 'req-1', type: 'succeeded' });
    expect(peekCustomIdAndType('{"custom_id":"","result":{"type":"expired"}}')).toEqual({
      custom_id: '',
      type: 'expired',
    });
  });

  it.each([
    ['escape in custom_id', '{"custom_id":"a\\"b","result":{"type":"canceled"}}'],
    ['escape in type', '{"custom_id":"a","result":{"type":"c\\u0061nceled"}}'],
    ['whitespace', '{"custom_id": "a", "result": {"type": "canceled"}}'],
    ['other key order', '{"result":{"type":"canceled"},"custom_id":"a"}'],
    ['type not a string', '{"custom_id":"a","result":{"type":1}}'],
    ['type string not closed', '{"custom_id":"a","result":{"type":"canc'],
    ['junk after type', '{"custom_id":"a","result":{"type":"x"y}}'],
  ])('returns null for %s', (_, line) => {
    expect(peekCustomIdAndType(line)).toBeNull();
  });
});
