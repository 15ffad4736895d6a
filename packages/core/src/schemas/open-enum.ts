import * as v from 'valibot';

/**
 * A string enum that stays open: the known values give autocompletion, and any
 * other string is accepted, because the API adds values within a version and a
 * new one must not break a running client.
 */
export function openEnum<const T extends string>(known: readonly T[]) {
  return v.custom<T | (string & {})>(
    (input) => typeof input === 'string',
    `Expected one of ${known.map((k) => `"${k}"`).join(', ')} or another string`,
  );
}

/** An RFC 3339 timestamp as the API sends it (any offset, any precision). Kept as a string. */
export const TimestampSchema = v.string();
