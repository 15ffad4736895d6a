import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { borrowsBufferSearch, indexOfByte } from '../src/byte-search.ts';

// Where Buffer exists (Node, which runs these tests) indexOfByte borrows its memchr search;
// elsewhere it is Uint8Array#indexOf. Both must answer as Uint8Array#indexOf does, for
// subarrays (chunks are views into larger buffers) and for any start.

const cases = fc.record({
  bytes: fc.uint8Array({ maxLength: 300 }),
  offset: fc.nat(20),
  value: fc.oneof(fc.constant(0x0a), fc.integer({ min: 0, max: 255 })),
  from: fc.nat(320),
});

function agrees(search: typeof indexOfByte) {
  fc.assert(
    fc.property(cases, ({ bytes, offset, value, from }) => {
      const view = bytes.subarray(Math.min(offset, bytes.length));
      expect(search(view, value, from)).toBe(view.indexOf(value, from));
    }),
    { numRuns: 2000 },
  );
}

describe('indexOfByte', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('finds what Uint8Array#indexOf finds, in subarrays, from any start', () => {
    expect(borrowsBufferSearch).toBe(true); // Node: the memchr path is the one tested here
    agrees(indexOfByte);
  });

  it('without Buffer (browsers, workers), falls back and agrees too', async () => {
    vi.stubGlobal('Buffer', undefined);
    vi.resetModules();
    const fallback = await import('../src/byte-search.ts');
    expect(fallback.borrowsBufferSearch).toBe(false);
    agrees(fallback.indexOfByte);
  });

  it('in Deno, whose Buffer searches slower than Uint8Array#indexOf, uses the standard search', async () => {
    vi.stubGlobal('Deno', {});
    vi.resetModules();
    const inDeno = await import('../src/byte-search.ts');
    expect(inDeno.borrowsBufferSearch).toBe(false);
    expect(borrowsBufferSearch).toBe(true);
  });
});
