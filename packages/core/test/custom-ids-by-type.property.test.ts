import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CustomIdsByType } from '../src/workflows/custom-ids-by-type.ts';
import type { PerResultType } from '../src/workflows/summarize-results.ts';

// summarizeResults finds repeated custom_ids with this hash table instead of a Set: it must
// answer as a Set would, through growth, hash collisions and types it has not seen before.

const DOCUMENTED = ['succeeded', 'errored', 'canceled', 'expired'];

/** As summarizeResults makes them: no prototype, so that any type name is a plain key. */
const emptyLists = () =>
  Object.assign(Object.create(null), {
    succeeded: [],
    errored: [],
    canceled: [],
    expired: [],
  }) as PerResultType<string[]>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** What a Set and plain lists say for the same adds. */
function reference(adds: readonly [string, string][]) {
  const lists: Record<string, string[]> = emptyLists();
  const seen = new Set<string>();
  const fresh = adds.map(([id, type]) => {
    const isNew = !seen.has(id);
    seen.add(id);
    const list = lists[type] ?? [];
    list.push(id);
    lists[type] = list;
    return isNew;
  });
  return { lists, fresh };
}

const id = fc.oneof(
  fc.constantFrom('id-5pvu', 'id-c3ea', 'a', ''), // the first two share their FNV-1a hash
  fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const type = fc.constantFrom(
  'succeeded',
  'errored',
  'canceled',
  'expired',
  'deferred',
  '__proto__',
);

/** Some ids arrive as bytes, others as strings. */
type Add = [id: string, type: string, asBytes: boolean];

function addAll(ids: CustomIdsByType, adds: readonly Add[]) {
  for (const [customId, t, asBytes] of adds) {
    // A lone surrogate has no UTF-8 bytes: such an id can only come as a string.
    const encodable = decoder.decode(encoder.encode(customId)) === customId;
    if (!asBytes || !encodable) ids.add(customId, t);
    else {
      // Inside a larger buffer, as in a body chunk.
      const bytes = encoder.encode(`{"x":"${customId}"}`);
      ids.addBytes(bytes, 6, bytes.length - 2, t);
    }
  }
}

describe('CustomIdsByType (properties)', () => {
  it('keeps the lists a Set-based count would, and says which ids repeat', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, type, fc.boolean()), { maxLength: 3000 }),
        fc.nat(5000),
        fc.nat(40),
        (adds, expected, limit) => {
          const ids = new CustomIdsByType(DOCUMENTED, expected);
          addAll(ids, adds);
          const want = reference(adds.map(([customId, t]) => [customId, t]));
          const repeats = adds.filter((_, i) => !want.fresh[i]).map(([customId]) => customId);
          expect(ids.repeats(limit)).toEqual(repeats.slice(0, limit));
          expect({ ...ids.lists() }).toEqual(want.lists);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads invalid UTF-8 as TextDecoder does: one id for bytes that decode alike', () => {
    const ids = new CustomIdsByType(DOCUMENTED, 0);
    // 0xff and 0xfe are each one U+FFFD; a string of that character is the same id.
    ids.addBytes(Uint8Array.of(0x61, 0xff), 0, 2, 'succeeded');
    ids.addBytes(Uint8Array.of(0x61, 0xfe), 0, 2, 'errored');
    ids.add('a\ufffd', 'succeeded');
    // A leading byte order mark is part of the id (JSON.parse keeps it).
    ids.addBytes(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), 0, 4, 'succeeded');
    ids.add('a', 'canceled');
    expect({ ...ids.lists() }).toEqual({
      succeeded: ['a\ufffd', 'a\ufffd', '\ufeffa'],
      errored: ['a\ufffd'],
      canceled: ['a'],
      expired: [],
    });
    expect(ids.repeats(10)).toEqual(['a\ufffd', 'a\ufffd']);
  });

  it('finds every repeat among many ids, past the size it expected', () => {
    // More ids than bits per id were planned for: many bits are set twice by chance.
    const ids = new CustomIdsByType(DOCUMENTED, 10);
    const n = 50_000;
    for (let i = 0; i < n; i++) ids.add(`req-${i}`, 'succeeded');
    for (let i = 0; i < n; i += 997) ids.add(`req-${i}`, 'canceled');
    const want = Array.from({ length: Math.ceil(n / 997) }, (_, k) => `req-${k * 997}`);
    expect(ids.repeats(1000)).toEqual(want);
    expect(ids.lists().succeeded).toHaveLength(n);
  });

  it('keeps the type of every id past 256 types', () => {
    const ids = new CustomIdsByType(DOCUMENTED, 0);
    const types = Array.from({ length: 300 }, (_, i) => `type-${i}`);
    for (const [i, t] of types.entries()) ids.add(`id-${i}`, t);
    for (const [i, t] of types.entries()) ids.add(`id-${i}`, t);
    const lists = ids.lists();
    expect(Object.keys(lists)).toEqual([...DOCUMENTED, ...types]);
    for (const [i, t] of types.entries()) expect(lists[t]).toEqual([`id-${i}`, `id-${i}`]);
    expect(ids.repeats(1000)).toEqual(types.map((_, i) => `id-${i}`));
  });
});
