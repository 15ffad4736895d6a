import * as v from 'valibot';

/**
 * A string enum that stays open: the known values give autocompletion, and any
 * other string is accepted, because the API adds values within a version and a
 * new one must not break a running client. At run time it is a plain string
 * check (the cheapest schema valibot has); only the type is narrowed.
 */
export function openEnum<const T extends string>(_known: readonly T[]) {
  return v.string('Expected a string') as unknown as v.GenericSchema<
    T | (string & {}),
    T | (string & {})
  >;
}

/** An RFC 3339 timestamp as the API sends it (any offset, any precision). Kept as a string. */
export const TimestampSchema = v.string();
