import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CustomIdsByType } from '../src/workflows/custom-ids-by-type.ts';
import type { PerResultType } from '../src/workflows/summarize-results.ts';

// summarizeResults finds repeated custom_ids with this hash table instead of a Set: it must
// answer as a Set would, through growth, hash collisions and types it has not seen before.

/** As summarizeResults makes them: no prototype, so that any type name is a plain key. */
const emptyLists = () =>
  Object.assign(Object.create(null), {
    succeeded: [],
    errored: [],
    canceled: [],
    expired: [],
  }) as PerResultType<string[]>;

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
  fc.constantFrom('id-5pvu', 'id-c3ea', 'a', ''), // the first two share their table hash
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

describe('CustomIdsByType (properties)', () => {
  it('keeps the lists a Set-based count would, and says which ids repeat', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, type), { maxLength: 3000 }),
        fc.nat(5000),
        (adds, expected) => {
          const ids = new CustomIdsByType(emptyLists(), expected);
          const fresh = adds.map(([customId, t]) => ids.add(customId, t));
          const want = reference(adds);
          expect(fresh).toEqual(want.fresh);
          expect({ ...ids.lists }).toEqual(want.lists);
        },
      ),
      { numRuns: 300 },
    );
  });
});
