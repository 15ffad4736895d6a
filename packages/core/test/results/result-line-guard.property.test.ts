import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isPlainResultLine } from '../../src/results/result-line-guard.ts';
import { IndividualResponseSchema } from '../../src/schemas/result-line.ts';
import { sampleResultLines } from '../helpers/result-lines.ts';

// The guard lets valid lines skip valibot on the results hot path, so it must never
// accept a line the schema refuses, nor one the schema would return different.

// The documented variants, then one the API may add later (the guard leaves it to valibot).
const validLines = [...sampleResultLines, { custom_id: 'n-1', result: { type: 'deferred' } }];

type Path = (string | number)[];
const plain = { enumerable: true, writable: true, configurable: true };

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsOf(inner, path)];
  });
}

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, '', 0, -1, 'message', 'assistant', 'error', 'succeeded', [], {}),
);
const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'set', 'add'),
  key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'type'), fc.string()),
  value: oddValue,
});

/** A valid line with a few fields deleted, replaced or added (own keys, as JSON.parse makes them). */
const line = fc
  .tuple(fc.constantFrom(...validLines), fc.array(edit, { maxLength: 3 }))
  .map(([valid, edits]) => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    for (const e of edits) {
      const paths = pathsOf(copy);
      if (paths.length === 0) break;
      const path = paths[e.at % paths.length]!;
      // Own properties only: an added `__proto__` key must read as data, not the prototype.
      const own = (node: any, key: string | number) =>
        Object.getOwnPropertyDescriptor(node, key)?.value;
      const parent = path.slice(0, -1).reduce<any>(own, copy);
      const key = path.at(-1)!;
      const target = own(parent, key);
      if (e.kind === 'delete') delete parent[key];
      else if (e.kind === 'set')
        Object.defineProperty(parent, key, { ...plain, value: structuredClone(e.value) });
      // Keys go on objects only: JSON.parse never gives an array keys besides its indices.
      else if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        Object.defineProperty(target, e.key, {
          value: structuredClone(e.value), // constantFrom hands out shared objects
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return copy;
  });

describe('isPlainResultLine', () => {
  it('accepts every documented valid line', () => {
    for (const valid of validLines.slice(0, 4)) expect(isPlainResultLine(valid)).toBe(true);
  });

  it('leaves a line with an own __proto__, constructor or prototype key (as JSON.parse makes them) to the schema', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      for (const value of ['null', '{}', '[]', '0', '""', '{"custom_id":"a"}']) {
        const line = `{"custom_id":"a","result":{"type":"canceled"},"${key}":${value}}`;
        expect(isPlainResultLine(JSON.parse(line))).toBe(false);
        const inner = `{"custom_id":"a","result":{"type":"canceled","${key}":${value}}}`;
        expect(isPlainResultLine(JSON.parse(inner))).toBe(false);
      }
    }
    expect(isPlainResultLine(JSON.parse('{"custom_id":"a","result":{"type":"canceled"}}'))).toBe(
      true,
    );
  });

  it('leaves a line with such a key on any one of the objects the schema walks to the schema', () => {
    // The check is written three times (result-line-guard.ts): a copy left out shows here.
    // (Objects the schema takes as they are, a tool's `input` or an error's `details`, may
    // hold any key.)
    const walked: [object, Path[]][] = [
      [
        validLines[0]!,
        [
          [],
          ['result'],
          ['result', 'message'],
          ['result', 'message', 'content', 0],
          ['result', 'message', 'content', 1],
          ['result', 'message', 'usage'],
          ['result', 'message', 'usage', 'cache_creation'],
        ],
      ],
      [validLines[1]!, [[], ['result'], ['result', 'error'], ['result', 'error', 'error']]],
    ];
    for (const [valid, paths] of walked) {
      expect(isPlainResultLine(valid)).toBe(true);
      for (const path of paths) {
        for (const key of ['__proto__', 'constructor', 'prototype']) {
          const copy = structuredClone(valid);
          const node = path.reduce<any>((parent, k) => parent[k], copy);
          Object.defineProperty(node, key, { ...plain, value: null });
          expect(isPlainResultLine(copy), `${path.join('.')}.${key}`).toBe(false);
        }
      }
    }
    // stop_details, null in the samples: an object there is checked as well.
    const withDetails = structuredClone(validLines[0]) as any;
    withDetails.result.message.stop_details = { type: 'refusal' };
    expect(isPlainResultLine(withDetails)).toBe(true);
    Object.defineProperty(withDetails.result.message.stop_details, 'constructor', {
      ...plain,
      value: 1,
    });
    expect(isPlainResultLine(withDetails)).toBe(false);
  });

  it('leaves objects JSON.parse does not make (another prototype or none) to the schema', () => {
    const valid = validLines[2] as { custom_id: string; result: object };
    const bare = Object.assign(Object.create(null), valid);
    expect(isPlainResultLine(bare)).toBe(false);
    class Line {
      custom_id = valid.custom_id;
      result = { type: 'canceled' };
    }
    expect(isPlainResultLine(new Line())).toBe(false);
    expect(isPlainResultLine({ custom_id: 'a', result: Object.create(null) })).toBe(false);
    expect(isPlainResultLine({ ...valid })).toBe(true);
  });

  it('leaves a later result type to the schema', () => {
    expect(isPlainResultLine(validLines[4])).toBe(false);
  });

  it('accepts only what the schema accepts, and the schema returns an equal line', () => {
    fc.assert(
      fc.property(fc.oneof(line, fc.jsonValue({ maxDepth: 4 })), (value) => {
        if (!isPlainResultLine(value)) return;
        const parsed = v.safeParse(IndividualResponseSchema, value);
        expect(parsed.success).toBe(true);
        expect(parsed.output).toEqual(value);
      }),
      { numRuns: 5_000 },
    );
  });
});
