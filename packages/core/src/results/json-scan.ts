/**
 * Byte-level JSON checking for the head reader of summarizeResults: whether a line whose
 * head was read from its bytes (`{"custom_id":"…","result":{"type":"…"`) is one valid JSON
 * value in which nothing overrides that head, so that `JSON.parse` of the line (what typed
 * iteration does) would give the same `custom_id` and `result.type`. It allocates nothing
 * and never builds the value: parsing a line took several times as long as reading its
 * bytes (bench/RESULTS.md, summarizeResults).
 */

/** What the scanner expects next. */
const VALUE = 0;
const AFTER_VALUE = 1;
const KEY = 2;

/** The deepest nesting checked here (a bit per level); a deeper line goes to JSON.parse. */
const MAX_DEPTH = 31;

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

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
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
 * is written with an escape where it could repeat one, or the line nests deeper than 31
 * levels: then only JSON.parse can tell.
 *
 * @param bytes - the line's bytes (UTF-8)
 * @param from - just after the head's `result.type` string
 * @param end - where the line ends (its `\n`, or the end of the body)
 * @param words - `bytes` as aligned 32-bit words ({@link wordsOf}), to skip the text of
 * strings four bytes at a time (about a third less time over realistic lines)
 * @param lead - the index in `bytes` of the first byte of `words[0]`
 */
export function headLineIsSound(
  bytes: Uint8Array,
  from: number,
  end: number,
  words: Int32Array | null = null,
  lead = 0,
): boolean {
  // Open containers as bits, innermost lowest: 1 for an object, 0 for an array. The line's
  // object and its `result` are open.
  let objects = 0b11;
  let depth = 2;
  /** Whether the object at depth 2 is the head's `result` (every later one is another key's value). */
  let inResult = true;
  let state = AFTER_VALUE;
  let i = from;
  for (;;) {
    if (i >= end) return false;
    let c = bytes[i]!;
    if (c <= 0x20) {
      while (SPACE[c] === 1 && ++i < end) c = bytes[i]!;
      if (i >= end || SPACE[c] === 1) return false;
      if (c < 0x20) return false;
    }
    if (state === AFTER_VALUE) {
      if (c === 0x2c) {
        state = (objects & 1) === 1 ? KEY : VALUE;
        i++;
        continue;
      }
      if (c !== ((objects & 1) === 1 ? 0x7d : 0x5d)) return false;
      i++;
      objects >>>= 1;
      if (--depth === 0) break;
      if (depth === 1) inResult = false;
      continue;
    }
    if (state === KEY) {
      if (c !== 0x22) return false;
      const keyStart = i + 1;
      i = stringEnd(bytes, keyStart, end, words, lead);
      if (i === -1) return false;
      if (depth <= 2 && (depth === 1 || inResult)) {
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
      if (i < end && bytes[i] !== 0x3a) while (i < end && SPACE[bytes[i]!] === 1) i++;
      if (i >= end || bytes[i] !== 0x3a) return false; // `:`
      i++;
      state = VALUE;
      continue;
    }
    // A value.
    if (c === 0x22) {
      i = stringEnd(bytes, i + 1, end, words, lead);
      if (i === -1) return false;
      state = AFTER_VALUE;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (depth === MAX_DEPTH) return false;
      depth++;
      i++;
      // Empty containers here, so that KEY and VALUE never meet a closing bracket.
      while (i < end && SPACE[bytes[i]!] === 1) i++;
      if (c === 0x7b) {
        if (i < end && bytes[i] === 0x7d) {
          i++;
          depth--;
          state = AFTER_VALUE;
          continue;
        }
        objects = (objects << 1) | 1;
        state = KEY;
      } else {
        if (i < end && bytes[i] === 0x5d) {
          i++;
          depth--;
          state = AFTER_VALUE;
          continue;
        }
        objects <<= 1;
        state = VALUE;
      }
      continue;
    }
    if (c === 0x74) {
      // true
      if (i + 4 > end || bytes[i + 1] !== 0x72 || bytes[i + 2] !== 0x75 || bytes[i + 3] !== 0x65) {
        return false;
      }
      i += 4;
    } else if (c === 0x66) {
      // false
      if (
        i + 5 > end ||
        bytes[i + 1] !== 0x61 ||
        bytes[i + 2] !== 0x6c ||
        bytes[i + 3] !== 0x73 ||
        bytes[i + 4] !== 0x65
      ) {
        return false;
      }
      i += 5;
    } else if (c === 0x6e) {
      // null
      if (i + 4 > end || bytes[i + 1] !== 0x75 || bytes[i + 2] !== 0x6c || bytes[i + 3] !== 0x6c) {
        return false;
      }
      i += 4;
    } else {
      // A number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
      if (c === 0x2d) {
        if (++i >= end) return false;
        c = bytes[i]!;
      }
      if (c === 0x30) i++;
      else if (c >= 0x31 && c <= 0x39) {
        while (++i < end && isDigit(bytes[i]!));
      } else return false;
      if (i < end && bytes[i] === 0x2e) {
        if (++i >= end || !isDigit(bytes[i]!)) return false;
        while (++i < end && isDigit(bytes[i]!));
      }
      if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
        if (++i < end && (bytes[i] === 0x2b || bytes[i] === 0x2d)) i++;
        if (i >= end || !isDigit(bytes[i]!)) return false;
        while (++i < end && isDigit(bytes[i]!));
      }
    }
    state = AFTER_VALUE;
  }
  while (i < end && SPACE[bytes[i]!] === 1) i++;
  return i === end;
}

/**
 * Just after the `"` closing a string whose text starts at `i`; -1 when it is not valid JSON
 * or the line ends first. With `words` (the same bytes as aligned 32-bit words, the first at
 * byte `lead`), text is skipped a word at a time while none of its four bytes is `"`, `\`
 * or a control character (the exact has-zero-byte and has-less-than tests; which byte of a
 * word is which does not matter). Bytes from 0x80 are UTF-8: a sequence that is not valid
 * decodes to U+FFFD, which a string may hold, and never swallows an ASCII byte after it.
 */
function stringEnd(
  bytes: Uint8Array,
  i: number,
  end: number,
  words: Int32Array | null,
  lead: number,
): number {
  for (;;) {
    let c = 0;
    for (;;) {
      if (i >= end) return -1;
      if (words !== null && i >= lead && ((i - lead) & 3) === 0) {
        let w = (i - lead) >> 2;
        const last = (end - lead) >> 2;
        for (; w < last; w++) {
          const x = words[w]!;
          const q = x ^ 0x22222222;
          const s = x ^ 0x5c5c5c5c;
          if (
            (((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s) | ((x - 0x20202020) & ~x)) &
            0x80808080
          )
            break;
        }
        i = lead + (w << 2);
        if (i >= end) return -1;
      }
      c = bytes[i]!;
      if (c === 0x22 || c === 0x5c || c < 0x20) break;
      i++;
    }
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

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function same(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[start + k] !== expected[k]) return false;
  return true;
}

/**
 * `bytes` as aligned 32-bit words, for {@link headLineIsSound}: the view, and the index in
 * `bytes` where its first word starts. Which byte of a word is which does not matter: a word
 * is only asked whether any of its bytes is special.
 */
export function wordsOf(bytes: Uint8Array): { words: Int32Array; lead: number } {
  const lead = (4 - (bytes.byteOffset & 3)) & 3;
  const count = (bytes.length - lead) >> 2;
  if (count <= 0) return { words: NO_WORDS, lead };
  return { words: new Int32Array(bytes.buffer, bytes.byteOffset + lead, count), lead };
}
const NO_WORDS = new Int32Array(0);
