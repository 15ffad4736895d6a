import { describe, expect, it } from 'vitest';
import { formatOf, shapeDiff } from './shape-diff.ts';

describe('shapeDiff', () => {
  it('finds no difference between values of the same shape', () => {
    const a = {
      id: 'msgbatch_01Kk2gPdvEq73ifNWGPfvmyd',
      n: 2,
      at: '2025-01-29T14:25:40.141141+00:00',
      x: null,
    };
    const b = {
      id: 'msgbatch_01abcdefghijklmnopqrstuv',
      n: 9,
      at: '2026-01-01T00:00:00.000000+00:00',
      x: null,
    };
    expect(shapeDiff(a, b)).toBeUndefined();
  });

  it('names a key order difference at the object', () => {
    expect(shapeDiff({ model: 'm', id: 'i' }, { id: 'i', model: 'm' })).toEqual({
      path: '$',
      expected: 'keys model, id',
      actual: 'keys id, model',
    });
  });

  it('names a missing key, and reports the first difference by JSON path', () => {
    const expected = { data: [{ a: 1, usage: { x: 1, y: 2 } }] };
    const actual = { data: [{ a: 1, usage: { x: 1 } }] };
    expect(shapeDiff(expected, actual)?.path).toBe('$.data[0].usage');
  });

  it('names a type difference, null included', () => {
    expect(shapeDiff({ ended_at: null }, { ended_at: '2025-01-29T14:25:40.141141+00:00' })).toEqual(
      {
        path: '$.ended_at',
        expected: 'null',
        actual: 'string: timestamp (6 fraction digits, +00:00)',
      },
    );
  });

  it('names a timestamp format difference', () => {
    const difference = shapeDiff(
      { t: '2025-01-29T14:25:40.141141+00:00' },
      { t: '2025-01-29T14:25:40.141141Z' },
    );
    expect(difference).toEqual({
      path: '$.t',
      expected: 'string: timestamp (6 fraction digits, +00:00)',
      actual: 'string: timestamp (6 fraction digits, Z)',
    });
  });

  it('names an id prefix or length difference', () => {
    expect(shapeDiff(['msgbatch_01abc'], ['msgbatch_01abcd'])?.path).toBe('$[0]');
    expect(shapeDiff(['msg_0123'], ['req_0123'])?.expected).toBe('string: id msg_ + 4 characters');
  });

  it('names an array length difference', () => {
    expect(shapeDiff({ a: [1, 2] }, { a: [1] })).toEqual({
      path: '$.a',
      expected: '2 items',
      actual: '1 items',
    });
  });

  it('compares typeOnly paths by JSON type only', () => {
    const typeOnly = (path: string) => path.endsWith('.content');
    expect(
      shapeDiff({ content: [{ type: 'thinking' }] }, { content: [] }, { typeOnly }),
    ).toBeUndefined();
    expect(shapeDiff({ content: [] }, { content: 'x' }, { typeOnly })?.path).toBe('$.content');
  });

  it('quotes keys that are not identifiers', () => {
    expect(shapeDiff({ 'a-b': 1 }, { 'a-b': 'x' })?.path).toBe('$["a-b"]');
  });
});

describe('formatOf', () => {
  it('classes results URLs by form, whatever the origin', () => {
    expect(formatOf('https://api.anthropic.com/v1/messages/batches/msgbatch_01x/results')).toBe(
      formatOf('http://localhost/v1/messages/batches/msgbatch_01y/results'),
    );
  });
});
