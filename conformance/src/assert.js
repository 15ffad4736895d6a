// @ts-check
/**
 * Assertions for scenarios, written against the language only (no `node:assert`), so
 * the same scenario files run in Node, Deno, Bun, workerd and a browser.
 */

/** Thrown by a failed assertion. */
export class AssertionError extends Error {
  /** @override */
  name = 'AssertionError';
}

/** @param {unknown} value */
const show = (value) => {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
};

/**
 * Truthiness. (Not a TypeScript assertion function: scenarios destructure `assert`
 * from their context, and those must be called through an explicitly typed name.)
 * @param {unknown} condition
 * @param {string} message
 */
export function ok(condition, message) {
  if (!condition) throw new AssertionError(message);
}

/**
 * Strict equality.
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} [message]
 */
export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(
      `${message ?? 'values differ'}: expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

/**
 * Structural equality of JSON-like values (key order ignored).
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} [message]
 */
export function deepEqual(actual, expected, message) {
  if (!same(actual, expected)) {
    throw new AssertionError(
      `${message ?? 'values differ'}: expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

/**
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
function same(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && same(/** @type {any} */ (a)[k], /** @type {any} */ (b)[k]),
  );
}

/**
 * Awaits `promiseOrFn` and expects it to reject with an error of the given `name`.
 * Errors are matched by name, not `instanceof`, so the check holds across realms.
 * @param {Promise<unknown> | (() => unknown)} promiseOrFn
 * @param {string} name
 * @param {string} [message]
 * @returns {Promise<any>} the error
 */
export async function rejects(promiseOrFn, name, message) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    const actual = /** @type {any} */ (error)?.name;
    if (actual !== name) {
      throw new AssertionError(
        `${message ?? 'wrong error'}: expected ${name}, got ${actual}: ${/** @type {any} */ (error)?.message}`,
      );
    }
    return error;
  }
  throw new AssertionError(`${message ?? 'no error'}: expected ${name}, but it resolved`);
}
