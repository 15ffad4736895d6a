/**
 * Byte-level JSON checking for the head reader of summarizeResults: whether a line whose
 * head was read from its bytes (`{"custom_id":"…","result":{"type":"…"`) is one valid JSON
 * value in which nothing overrides that head, so that `JSON.parse` of the line (what typed
 * iteration does) would give the same `custom_id` and `result.type`. It allocates nothing
 * and never builds the value: parsing a line took several times as long as reading its
 * bytes (bench/RESULTS.md, summarizeResults).
 */

/** Containers on the stack. */
const OBJECT = 1;
const ARRAY = 2;

/** What the scanner expects next. */
const VALUE = 0;
const AFTER_VALUE = 1;
const KEY = 2;
const KEY_OR_END = 3;
const VALUE_OR_END = 4;

/** 1 for a byte that stands in a JSON string as itself: not `"`, `\` or a control
 * character. Bytes from 0x80 are UTF-8; a sequence that is not valid UTF-8 decodes to
 * U+FFFD, which a JSON string may hold, and never swallows an ASCII byte after it. */
const PLAIN = new Uint8Array(256);
for (let b = 0x20; b < 0x100; b++) PLAIN[b] = b === 0x22 || b === 0x5c ? 0 : 1;

/** 1 for JSON's whitespace within a line: space, tab, carriage return (no `\n` in a line). */
const SPACE = new Uint8Array(256);
SPACE[0x20] = 1;
SPACE[0x09] = 1;
SPACE[0x0d] = 1;

/** 1 for the characters that may follow `\` in a JSON string, other than `u`. */
const ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPE[c.charCodeAt(0)] = 1;

/** 1 for a hexadecimal digit. */
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

const CUSTOM_ID = ascii('custom_id');
const RESULT = ascii('result');
const TYPE = ascii('type');

/**
 * Checks the rest of a line whose head was read from its bytes: `bytes[from..end)` follows
 * the closing `"` of the head's `result.type` string, inside the line's object (depth 1)
 * and its `result` object (depth 2).
 *
 * True when the line is exactly one JSON value (`JSON.parse` would accept it, JSON's
 * whitespace around it allowed) in which no later key of the line's object reads
 * `custom_id` or `result` and no later key of `result` reads `type` (JSON.parse keeps the
 * last of duplicate keys). False when the line is not JSON, or when such a key repeats, or
 * is written with an escape where it could repeat one: then only JSON.parse can tell.
 *
 * @param bytes - the line's bytes (UTF-8)
 * @param from - just after the head's `result.type` string
 * @param end - where the line ends (its `\n`, or the end of the body)
 */
export function headLineIsSound(bytes: Uint8Array, from: number, end: number): boolean {
  let stack = new Uint8Array(16);
  stack[0] = OBJECT;
  stack[1] = OBJECT;
  let depth = 2;
  /** Whether the object at depth 2 is the head's `result` (every later one is another key's value). */
  let inResult = true;
  let state = AFTER_VALUE;
  let i = from;
  for (;;) {
    while (i < end && SPACE[bytes[i]!] === 1) i++;
    if (i >= end) return false;
    const c = bytes[i]!;
    if (state === AFTER_VALUE) {
      const open = stack[depth - 1];
      if (c === 0x2c) {
        // `,`
        state = open === OBJECT ? KEY : VALUE;
        i++;
        continue;
      }
      if (c !== (open === OBJECT ? 0x7d : 0x5d)) return false; // `}` or `]`
      i++;
      if (--depth === 0) break;
      if (depth === 1) inResult = false;
      continue;
    }
    if (state === KEY || state === KEY_OR_END) {
      if (c === 0x7d && state === KEY_OR_END) {
        i++;
        if (--depth === 0) break;
        if (depth === 1) inResult = false;
        state = AFTER_VALUE;
        continue;
      }
      if (c !== 0x22) return false;
      const keyStart = i + 1;
      i = stringEnd(bytes, keyStart, end);
      if (i === -1) return false;
      if (depth === 1 || (depth === 2 && inResult)) {
        const keyEnd = i - 1;
        for (let k = keyStart; k < keyEnd; k++) if (bytes[k] === 0x5c) return false;
        if (depth === 1) {
          if (same(bytes, keyStart, keyEnd, CUSTOM_ID) || same(bytes, keyStart, keyEnd, RESULT)) {
            return false;
          }
        } else if (same(bytes, keyStart, keyEnd, TYPE)) {
          return false;
        }
      }
      while (i < end && SPACE[bytes[i]!] === 1) i++;
      if (i >= end || bytes[i] !== 0x3a) return false; // `:`
      i++;
      state = VALUE;
      continue;
    }
    // A value.
    if (c === 0x5d && state === VALUE_OR_END) {
      i++;
      if (--depth === 1) inResult = false;
      state = AFTER_VALUE;
      continue;
    }
    if (c === 0x22) {
      i = stringEnd(bytes, i + 1, end);
      if (i === -1) return false;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === stack.length) {
        const deeper = new Uint8Array(depth * 2);
        deeper.set(stack);
        stack = deeper;
      }
      stack[depth++] = c === 0x7b ? OBJECT : ARRAY;
      i++;
      state = c === 0x7b ? KEY_OR_END : VALUE_OR_END;
      continue;
    } else if (c === 0x74) {
      i = literalEnd(bytes, i, end, TRUE);
    } else if (c === 0x66) {
      i = literalEnd(bytes, i, end, FALSE);
    } else if (c === 0x6e) {
      i = literalEnd(bytes, i, end, NULL);
    } else {
      i = numberEnd(bytes, i, end);
    }
    if (i === -1) return false;
    state = AFTER_VALUE;
  }
  while (i < end && SPACE[bytes[i]!] === 1) i++;
  return i === end;
}

/** Just after the `"` closing a string whose text starts at `i`; -1 when it is not valid JSON or the line ends first. */
function stringEnd(bytes: Uint8Array, i: number, end: number): number {
  for (;;) {
    while (i < end && PLAIN[bytes[i]!] === 1) i++;
    if (i >= end) return -1;
    const c = bytes[i]!;
    if (c === 0x22) return i + 1;
    if (c !== 0x5c || i + 1 >= end) return -1; // a control character, or `\` at the end
    const e = bytes[i + 1]!;
    if (e === 0x75) {
      // `\uXXXX`: any four hex digits (JSON.parse takes lone surrogates too)
      if (i + 6 > end) return -1;
      if (
        !(HEX[bytes[i + 2]!]! & HEX[bytes[i + 3]!]! & HEX[bytes[i + 4]!]! & HEX[bytes[i + 5]!]!)
      ) {
        return -1;
      }
      i += 6;
    } else if (ESCAPE[e] === 1) i += 2;
    else return -1;
  }
}

/** Just after a JSON number that starts at `i` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`); -1 when there is none. */
function numberEnd(bytes: Uint8Array, i: number, end: number): number {
  if (bytes[i] === 0x2d) i++; // `-`
  if (i >= end) return -1;
  if (bytes[i] === 0x30) i++;
  else if (isDigit(bytes[i]!)) while (++i < end && isDigit(bytes[i]!));
  else return -1;
  if (i < end && bytes[i] === 0x2e) {
    // `.`
    if (++i >= end || !isDigit(bytes[i]!)) return -1;
    while (++i < end && isDigit(bytes[i]!));
  }
  if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    // `e` or `E`
    if (++i < end && (bytes[i] === 0x2b || bytes[i] === 0x2d)) i++;
    if (i >= end || !isDigit(bytes[i]!)) return -1;
    while (++i < end && isDigit(bytes[i]!));
  }
  return i;
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');

function literalEnd(bytes: Uint8Array, i: number, end: number, literal: Uint8Array): number {
  return same(bytes, i, Math.min(i + literal.length, end), literal) ? i + literal.length : -1;
}

/** Whether `bytes[start..end)` are exactly `expected`. */
function same(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[start + k] !== expected[k]) return false;
  return true;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
