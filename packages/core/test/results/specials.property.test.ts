import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { specialsOf, useSpecialsIndex } from '../../src/results/specials.ts';

// The WebAssembly index of JSON's special bytes must list exactly the positions a byte-by-byte
// reading finds, in order, whatever the bytes, their length (blocks of 16 and the rest) and
// where they sit in their buffer; and where it is switched off, the answer is null, so the
// scanner falls back to reading the bytes itself (the property tests of json-scan and
// jsonl-heads check that both ways give the same outcome).

/** The model: every `"`, `\` and byte below 0x20, then the length. */
function model(bytes: Uint8Array): number[] {
  const out: number[] = [];
  bytes.forEach((b, i) => {
    if (b === 0x22 || b === 0x5c || b < 0x20) out.push(i);
  });
  out.push(bytes.length);
  return out;
}

const byte = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(0x22, 0x5c, 0x00, 0x1f, 0x20, 0x0a, 0x41, 0x7f, 0x80, 0xff),
);

afterEach(() => {
  useSpecialsIndex(true);
});

describe('specialsOf (properties)', () => {
  it('lists every special byte in order, at any length and offset', () => {
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 200 }), fc.nat(17), (values, shift) => {
        const buffer = new Uint8Array(values.length + shift + 5).fill(0x22);
        buffer.set(values, shift);
        const bytes = buffer.subarray(shift, shift + values.length);
        expect(Array.from(specialsOf(bytes)!)).toEqual(model(bytes));
      }),
      { numRuns: 3_000 },
    );
  });

  it('grows its memory for a larger buffer, and is right after a smaller one', () => {
    const large = new Uint8Array(300_000).fill(0x22);
    expect(Array.from(specialsOf(large)!)).toEqual(model(large));
    const small = Uint8Array.from([0x41, 0x22, 0x41]);
    expect(Array.from(specialsOf(small)!)).toEqual([1, 3]);
  });

  it('answers null when switched off (as where WebAssembly is missing) and for very long buffers', () => {
    expect(specialsOf(new Uint8Array((1 << 20) + 1))).toBeNull();
    expect(useSpecialsIndex(false)).toBe(true);
    expect(specialsOf(Uint8Array.from([0x22]))).toBeNull();
  });
});
