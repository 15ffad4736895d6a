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
