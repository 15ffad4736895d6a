import { describe, expect, it } from 'vitest';
import { IdSet } from '../../src/jobs/id-set.ts';

describe('IdSet', () => {
  it('finds a repeat and gives the earlier index', () => {
    const set = new IdSet();
    expect(set.add('a', 0)).toBeUndefined();
    expect(set.add('b', 1)).toBeUndefined();
    expect(set.add('a', 2)).toBe(0);
    expect(set.size).toBe(2);
  });

  it('holds a million distinct ids in 24 MB with no false suspect, growing as it goes', () => {
    const set = new IdSet();
    let suspects = 0;
    for (let i = 0; i < 1_000_000; i++) {
      if (set.add(`request-${i.toString(36)}-${(i * 7919) % 1000}`, i) !== undefined) suspects++;
    }
    expect(suspects).toBe(0);
    expect(set.size).toBe(1_000_000);
    // 2^21 slots of 12 bytes: the table is at most half full.
    expect(set.bytes).toBe(2 ** 21 * 12);
    expect(set.add('request-0-0', 5)).toBe(0);
  });
});
