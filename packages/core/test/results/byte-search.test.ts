import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as node from '../../src/results/byte-search.node.ts';
import * as standard from '../../src/results/byte-search.ts';

// `#byte-search` resolves to Node's variant (Buffer#indexOf, memchr) in Node and Bun and to
// the standard one elsewhere. Both must answer as Uint8Array#indexOf does, for subarrays
// (chunks are views into larger buffers) and for any start.

const cases = fc.record({
  bytes: fc.uint8Array({ maxLength: 300 }),
  offset: fc.nat(20),
  value: fc.oneof(fc.constant(0x0a), fc.integer({ min: 0, max: 255 })),
  from: fc.nat(320),
});

describe.each([
  ['Node and Bun', node, true],
  ['elsewhere', standard, false],
])('indexOfByte (%s)', (_, variant, borrows) => {
  it('finds what Uint8Array#indexOf finds, in subarrays, from any start', () => {
    expect(variant.borrowsBufferSearch).toBe(borrows);
    fc.assert(
      fc.property(cases, ({ bytes, offset, value, from }) => {
        const view = bytes.subarray(Math.min(offset, bytes.length));
        expect(variant.indexOfByte(view, value, from)).toBe(view.indexOf(value, from));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodeValidUtf8', () => {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** UTF-8 of any string (lone surrogates become U+FFFD when encoded), in a larger buffer. */
  const valid = fc
    .tuple(fc.string({ unit: 'binary', maxLength: 200 }), fc.nat(8), fc.nat(8))
    .map(([text, before, after]) => {
      const bytes = new TextEncoder().encode(text);
      const buffer = new Uint8Array(before + bytes.length + after).fill(0x41);
      buffer.set(bytes, before);
      return buffer.subarray(before, before + bytes.length);
    });

  it('in Node, decodes valid UTF-8 (a view too, ASCII or not, a BOM kept) as a TextDecoder does', () => {
    expect(node.decodeValidUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\uFEFFa');
    expect(node.decodeValidUtf8(new TextEncoder().encode('plain ascii\n'))).toBe('plain ascii\n');
    const edges = '\u0000\uFDD0\uFFFE\uFFFF\u{1FFFE}\u{10FFFF}'; // noncharacters are valid UTF-8
    expect(node.decodeValidUtf8(new TextEncoder().encode(edges))).toBe(edges);
    fc.assert(
      fc.property(valid, (bytes) => {
        expect(node.decodeValidUtf8(bytes)).toBe(decoder.decode(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('in Node, answers undefined for bytes that are not valid UTF-8, leaving them to the TextDecoder', () => {
    const invalid = [
      [0xff],
      [0x61, 0xe2, 0x82], // cut inside a character
      [0xed, 0xa0, 0x80], // a surrogate
      [0xc0, 0xaf], // overlong
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    ];
    for (const bytes of invalid)
      expect(node.decodeValidUtf8(Uint8Array.from(bytes))).toBeUndefined();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = node.decodeValidUtf8(bytes);
        if (text !== undefined) expect(text).toBe(decoder.decode(bytes));
        else expect(decoder.decode(bytes)).toContain('\uFFFD');
      }),
      { numRuns: 3000 },
    );
  });

  it('elsewhere, always leaves the bytes to the TextDecoder', () => {
    expect(standard.decodeValidUtf8(new TextEncoder().encode('a'))).toBeUndefined();
  });
});

describe('#byte-search resolution (package.json "imports")', async () => {
  const { readFile } = await import('node:fs/promises' as string);
  const manifest = JSON.parse(
    await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { imports: Record<string, Record<string, string>> };
  const conditions = manifest.imports['#byte-search']!;

  it('sends Deno to the standard search before its `node` condition can match', () => {
    // Deno's Buffer is JavaScript and searches slower than Uint8Array#indexOf.
    expect(Object.keys(conditions)).toEqual(['deno', 'node', 'default']);
    expect(conditions.deno).toBe('./dist/esm/results/byte-search.js');
    expect(conditions.default).toBe('./dist/esm/results/byte-search.js');
    expect(conditions.node).toBe('./dist/esm/results/byte-search.node.js');
  });
});
