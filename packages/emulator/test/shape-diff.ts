/**
 * Compares two JSON values by shape, not by value: the same keys in the same order, the
 * same JSON types, and the same string formats (id prefix and length, timestamp form,
 * results URL form). Values themselves (counts, texts, which id) may differ.
 */

/** The first place two values differ in shape. */
export interface ShapeDifference {
  /** JSON path of the difference, e.g. `$.data[0].request_counts` or `$.result.message.usage`. */
  path: string;
  /** What the reference (the recording) has there. */
  expected: string;
  /** What the value under test has there. */
  actual: string;
}

/** Options of {@link shapeDiff}. */
export interface ShapeDiffOptions {
  /** Paths whose values are compared by JSON type only (e.g. model-written `content`). */
  typeOnly?: (path: string) => boolean;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const PREFIXED_ID = /^([a-z]+_)([A-Za-z0-9]+)$/;
const RESULTS_URL = /^https?:\/\/[^/]+\/v1\/messages\/batches\/[^/]+\/results$/;

/** The format class of a string: what must agree between recording and emulator. */
export function formatOf(value: string): string {
  const time = TIMESTAMP.exec(value);
  if (time) {
    const digits = time[1] ? time[1].length - 1 : 0;
    return `timestamp (${digits} fraction digits, ${time[2]})`;
  }
  if (RESULTS_URL.test(value)) return 'results URL (<origin>/v1/messages/batches/<id>/results)';
  const id = PREFIXED_ID.exec(value);
  if (id) return `id ${id[1]} + ${id[2]!.length} characters`;
  return 'string';
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function describe(value: unknown): string {
  const type = typeOf(value);
  return type === 'string' ? `string: ${formatOf(value as string)}` : type;
}

const child = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * The first difference in shape between `expected` and `actual`, walking both in
 * `expected`'s key order, or `undefined` when they have the same shape.
 *
 * Objects must have the same keys in the same order; arrays the same length, compared
 * item by item; strings the same {@link formatOf}; other values the same JSON type.
 *
 * @example
 * shapeDiff({ a: 1, b: 'x' }, { b: 'y', a: 2 })
 * // → { path: '$', expected: 'keys a, b', actual: 'keys b, a' }
 */
export function shapeDiff(
  expected: unknown,
  actual: unknown,
  options: ShapeDiffOptions = {},
  path = '$',
): ShapeDifference | undefined {
  const expectedType = typeOf(expected);
  const actualType = typeOf(actual);
  if (expectedType !== actualType) {
    return { path, expected: describe(expected), actual: describe(actual) };
  }
  if (options.typeOnly?.(path)) return undefined;
  if (expectedType === 'string') {
    const [a, b] = [formatOf(expected as string), formatOf(actual as string)];
    return a === b ? undefined : { path, expected: `string: ${a}`, actual: `string: ${b}` };
  }
  if (expectedType === 'array') {
    const [a, b] = [expected as unknown[], actual as unknown[]];
    if (a.length !== b.length) {
      return { path, expected: `${a.length} items`, actual: `${b.length} items` };
    }
    for (let i = 0; i < a.length; i++) {
      const difference = shapeDiff(a[i], b[i], options, `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (expectedType === 'object') {
    const a = expected as Record<string, unknown>;
    const b = actual as Record<string, unknown>;
    const [keysA, keysB] = [Object.keys(a), Object.keys(b)];
    if (keysA.join() !== keysB.join()) {
      return { path, expected: `keys ${keysA.join(', ')}`, actual: `keys ${keysB.join(', ')}` };
    }
    for (const key of keysA) {
      const difference = shapeDiff(a[key], b[key], options, child(path, key));
      if (difference) return difference;
    }
  }
  return undefined;
}
