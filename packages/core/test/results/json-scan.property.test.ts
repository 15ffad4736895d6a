import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headLineIsSound, wordsOf } from '../../src/results/json-scan.ts';
import { wasmScanner } from '../../src/results/json-scan-simd.ts';

// headLineIsSound vouches for a line summarizeResults reads from its bytes: it must say yes
// only where JSON.parse accepts the line and reads the same head, at any alignment of the
// bytes (strings are skipped four bytes at a time), and its WebAssembly twin must say the same.

const encoder = new TextEncoder();
const HEAD = '{"custom_id":"a","result":{"type":"t"';

/** The answer for `line`, its bytes placed at byte offset `shift` of a larger buffer. */
function sound(line: string, shift: number): boolean {
  const bytes = encoder.encode(line);
  const buffer = new Uint8Array(bytes.length + shift + 3);
  buffer.set(bytes, shift);
  const view = buffer.subarray(shift, shift + bytes.length);
  const { words, lead } = wordsOf(view);
  const withWords = headLineIsSound(view, HEAD.length, view.length, words, lead);
  expect(headLineIsSound(view, HEAD.length, view.length)).toBe(withWords);
  // The WebAssembly scan (json-scan.wat) gives the same answer, also with more bytes after the line.
  const wasm = wasmScanner();
  expect(wasm).not.toBeNull();
  expect(wasm!.load(view)).toBe(true);
  expect(wasm!.sound(HEAD.length, view.length)).toBe(withWords ? 1 : 0);
  const longer = new Uint8Array(view.length + 40).fill(shift === 0 ? 0x22 : 0x20);
  longer.set(view);
  expect(wasm!.load(longer)).toBe(true);
  expect(wasm!.sound(HEAD.length, view.length)).toBe(withWords ? 1 : 0);
  return withWords;
}

function parsesToHead(line: string): boolean {
  try {
    const value = JSON.parse(line);
    return value.custom_id === 'a' && value.result.type === 't';
  } catch {
    return false;
  }
}

const special = fc.constantFrom(
  '"',
  '\\',
  '\u0000',
  '\u001f',
  '\n',
  '\t',
  '\u0080',
  'é',
  '\\u12',
  '\\x',
);

describe('headLineIsSound (properties)', () => {
  it('agrees with JSON.parse on long strings with a stray byte anywhere, at any alignment', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 120 }),
        fc.option(fc.tuple(fc.nat(), special)),
        fc.nat(3),
        (text, stray, shift) => {
          let value = JSON.stringify(text);
          if (stray !== null) {
            const at = 1 + (stray[0] % Math.max(1, value.length - 1));
            value = value.slice(0, at) + stray[1] + value.slice(at);
          }
          const line = `${HEAD},"pad":${value}}}`;
          expect(sound(line, shift)).toBe(parsesToHead(line));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('agrees with JSON.parse on any JSON tail, and refuses a later custom_id, result or type', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom('pad', 'custom_id', 'result', 'type', 'custom\\u005fid'),
        fc.boolean(),
        fc.nat(3),
        (value, key, inResult, shift) => {
          const member = `,"${key}":${JSON.stringify(value)}`;
          const line = inResult ? `${HEAD}${member}}}` : `${HEAD}}${member}}`;
          const escaped = key.includes('\\');
          const overrides = inResult ? key === 'type' : key === 'custom_id' || key === 'result';
          expect(sound(line, shift)).toBe(!escaped && !overrides && parsesToHead(line));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('leaves a line nested deeper than 31 levels to JSON.parse, and takes 29', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    expect(sound(`${HEAD},"pad":${nested(29)}}}`, 0)).toBe(true);
    expect(sound(`${HEAD},"pad":${nested(30)}}}`, 0)).toBe(false);
    expect(sound(`${HEAD},"pad":[${nested(30)}]}}`, 1)).toBe(false);
  });
});
