import { appendFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, JobSourceError } from '@msgbatch/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonlEntry, jsonlFileSource } from '../src/jsonl-file-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'msgbatch-source-'));
let n = 0;
const file = (text: string) => {
  const path = join(dir, `f${n++}.jsonl`);
  writeFileSync(path, text);
  return path;
};

async function collect(iterable: AsyncIterable<JsonlEntry>, limit = Number.POSITIVE_INFINITY) {
  const out: JsonlEntry[] = [];
  for await (const entry of iterable) {
    out.push(entry);
    if (out.length >= limit) break;
  }
  return out;
}

const request = (id: string, content = 'hi') => ({
  custom_id: id,
  params: { model: 'm', max_tokens: 8, messages: [{ role: 'user', content }] },
});

describe('jsonlFileSource', () => {
  it('gives every request with its index, its text and its line; blank lines skipped', async () => {
    const a = JSON.stringify(request('a'));
    const b = JSON.stringify(request('b', 'ünïcödé ✓'));
    const path = file(`\uFEFF${a}\r\n\n   \n${b}`);
    const source = jsonlFileSource(path);
    expect(source.rereadable).toBe(true);
    const entries = await collect(source.entries());
    expect(entries).toEqual([
      { index: 0, request: request('a'), text: a, line: 1 },
      { index: 1, request: request('b', 'ünïcödé ✓'), text: b, line: 4 },
    ]);
  });

  it('describe() is the kind, the absolute path, the size and mtimeMs', () => {
    const path = file('{"custom_id":"a","params":{}}\n');
    const source = jsonlFileSource(path);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    // As the file was when the source was made: the change shows as a refused read.
    const description = source.describe();
    expect(description).toMatchObject({ kind: 'jsonl-file', path, size: 30 });
    expect(typeof description.mtimeMs).toBe('number');
    expect(jsonlFileSource(path).describe().mtimeMs).toBe(1_700_000_000_000);
  });

  it.each([
    ['{"custom_id":"a","params":{}}\n\n{"custom_id": "b", oops}\n', 'line 3 is not valid JSON', 1],
    ['{"custom_id":"a","params":{}}\n[1,2]\n', 'line 2 is not a JSON object', 1],
    ['{"params":{}}\n', 'line 1 has no string custom_id', 0],
    [
      '\n{"custom_id":"z","params":"secret text"}\n',
      'line 2 (custom_id "z") has no object params',
      0,
    ],
  ])('a bad line is a JobSourceError naming its line number: %j', async (text, message, index) => {
    const error = await collect(jsonlFileSource(file(text)).entries()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobSourceError);
    expect((error as Error).message).toContain(message);
    expect((error as JobSourceError).index).toBe(index);
    // Never the params.
    expect((error as Error).message).not.toContain('secret');
  });

  it('a missing file is a JobSourceError at once; a bad from is an InvalidArgumentError', async () => {
    expect(() => jsonlFileSource(join(dir, 'missing.jsonl'))).toThrow(JobSourceError);
    expect(() => jsonlFileSource(dir)).toThrow(JobSourceError);
    const source = jsonlFileSource(file('{"custom_id":"a","params":{}}'));
    await expect(collect(source.entries(-1))).rejects.toThrow(InvalidArgumentError);
  });

  it('refuses to read a file that changed since the source was made (appended, or rewritten)', async () => {
    const path = file(`${JSON.stringify(request('a'))}\n`);
    const source = jsonlFileSource(path);
    expect(await collect(source.entries())).toHaveLength(1);
    appendFileSync(path, `${JSON.stringify(request('b'))}\n`);
    const error = await collect(source.entries()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobSourceError);
    expect((error as Error).message).toContain('has changed');

    const same = file(`${JSON.stringify(request('a'))}\n`);
    const before = jsonlFileSource(same);
    writeFileSync(same, `${JSON.stringify(request('z'))}\n`); // same size, new mtime
    utimesSync(same, 1_600_000_000, 1_600_000_000);
    await expect(collect(before.entries())).rejects.toThrow(JobSourceError);
  });

  it('entries(from) seeks: the same entries as a full read from that index, cold or indexed, in any order (property)', async () => {
    const line = fc.oneof(
      { weight: 4, arbitrary: fc.string({ maxLength: 30 }).map((s) => ({ kind: 'req', s })) },
      { weight: 1, arbitrary: fc.constantFrom('', '  ', '\t').map((s) => ({ kind: 'blank', s })) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 60 }),
        fc.boolean(), // CRLF
        fc.boolean(), // final newline
        fc.integer({ min: 1, max: 7 }), // indexEvery
        fc.integer({ min: 1, max: 48 }), // chunkBytes
        fc.array(fc.integer({ min: 0, max: 70 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 5 }), // how many each read takes before it stops
        async (lines, crlf, finalNewline, indexEvery, chunkBytes, froms, take) => {
          let id = 0;
          const texts = lines.map((l) =>
            l.kind === 'blank' ? l.s : JSON.stringify(request(`r${id++}`, l.s)),
          );
          const eol = crlf ? '\r\n' : '\n';
          const path = file(texts.join(eol) + (finalNewline && texts.length > 0 ? eol : ''));
          // The expected entries: from the text, independently of the reader.
          const expected: JsonlEntry[] = [];
          texts.forEach((text, i) => {
            if (text.trim() === '') return;
            expected.push({
              index: expected.length,
              request: JSON.parse(text),
              text,
              line: i + 1,
            });
          });
          const source = jsonlFileSource(path, { indexEvery, chunkBytes });
          for (const from of froms) {
            // A partial read (the consumer stops early) leaves the index consistent.
            const got = await collect(source.entries(from), take);
            expect(got).toEqual(expected.slice(from, from + take));
          }
          expect(await collect(source.entries())).toEqual(expected);
          for (const from of froms) {
            expect(await collect(source.entries(from))).toEqual(expected.slice(from));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads a 20,000-line file in order, and seeks to its last line', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++)
      lines.push(JSON.stringify(request(`id-${i}`, 'x'.repeat(200))));
    const path = file(`${lines.join('\n')}\n`);
    const source = jsonlFileSource(path);
    let count = 0;
    for await (const entry of source.entries()) {
      if (entry.request.custom_id !== `id-${count}`) throw new Error('out of order');
      count++;
    }
    expect(count).toBe(20_000);
    // Seeking to the end reads only from the last index point.
    const tail = await collect(source.entries(19_999));
    expect(tail.map((e) => e.request.custom_id)).toEqual(['id-19999']);
  });
});
