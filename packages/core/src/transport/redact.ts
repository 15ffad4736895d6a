/**
 * Keeps credentials out of text that may reach a user: error messages, error bodies,
 * headers, request ids, causes, log lines, and the proxy's relayed answers.
 *
 * What "the credential" matches, in any mix within one occurrence, character by character:
 * - the raw text;
 * - JSON escapes (`\u002d`, and `\"`, `\\`, `\/`, `\n`… for the characters that have one);
 * - percent-encoding (`%2D`, either case; UTF-8 bytes for non-ASCII characters);
 * and as a whole:
 * - base64 and base64url of its UTF-8 bytes, at any alignment inside a longer base64 text
 *   (for secrets of 12 characters or more, so a short core cannot erase unrelated text).
 *
 * Bodies are also redacted after decoding (see {@link redactJSON}): a JSON body is parsed,
 * re-serialized and redacted, so any escaping the JSON layer allows is undone first. Forms
 * not matched: encodings nested two levels deep (base64 of a JSON-escaped key, say), hashes,
 * and the key split across two separate strings. Those need the key's holder to compute them.
 */
export function createRedactor(secrets: readonly (string | null | undefined)[]) {
  const list = [
    ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)),
  ];
  if (list.length === 0) return (text: string): string => text;
  const pattern = new RegExp(list.flatMap(secretPatterns).join('|'), 'g');
  return (text: string): string => {
    if (typeof text !== 'string' || text.length < 4) return text;
    return text.replace(pattern, '[redacted]');
  };
}

/** Turns a function of text into one that removes credentials first. */
export type Redactor = ReturnType<typeof createRedactor>;

const SHORT_JSON_ESCAPES: Record<string, string> = {
  '"': '\\\\"',
  '\\': '\\\\\\\\',
  '/': '\\\\/',
  '\b': '\\\\b',
  '\f': '\\\\f',
  '\n': '\\\\n',
  '\r': '\\\\r',
  '\t': '\\\\t',
};

/** A regexp class matching one hex digit in either case. */
const hexDigit = (digit: string) =>
  /[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit;
const hex = (value: number, width: number) =>
  [...value.toString(16).padStart(width, '0')].map(hexDigit).join('');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function charPattern(char: string): string {
  const code = char.codePointAt(0)!;
  const forms = [escapeRegExp(char)];
  if (code <= 0xffff) forms.push(`\\\\u${hex(code, 4)}`);
  else {
    // A JSON escape of an astral character is its surrogate pair.
    const high = 0xd800 + ((code - 0x10000) >> 10);
    const low = 0xdc00 + ((code - 0x10000) & 0x3ff);
    forms.push(`\\\\u${hex(high, 4)}\\\\u${hex(low, 4)}`);
  }
  const short = SHORT_JSON_ESCAPES[char];
  if (short) forms.push(short);
  forms.push([...new TextEncoder().encode(char)].map((byte) => `%${hex(byte, 2)}`).join(''));
  return `(?:${forms.join('|')})`;
}

/** Every alternative (one regexp source each) that matches the secret in some form. */
export function secretPatterns(secret: string): string[] {
  const text = [...secret].map(charPattern).join('');
  const cores = secret.length >= 12 ? base64Cores(new TextEncoder().encode(secret)) : [];
  // Longest first, so that a base64 core is not cut by a shorter match.
  return [text, ...cores.map(escapeRegExp)];
}

/**
 * The parts of the secret's base64 (and base64url) that do not depend on what comes
 * before or after it in a longer byte string: one per alignment (offset mod 3).
 */
function base64Cores(bytes: Uint8Array): string[] {
  const cores = new Set<string>();
  for (const shift of [0, 1, 2]) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    let binary = '';
    for (const byte of padded) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    // Characters mixing bits of the padding (start) or of what follows (end) are left out.
    const start = shift === 0 ? 0 : shift === 1 ? 2 : 3;
    const end = Math.floor((padded.length * 8) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= 8) {
      cores.add(core);
      cores.add(core.replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return [...cores];
}

/**
 * Throws `error` without the credential (see `redactError`), loading that code only now:
 * it is needed on the failure path alone.
 */
export async function throwRedacted(
  error: unknown,
  redact: (text: string) => string,
): Promise<never> {
  const { redactError } = await import('./redact-values.ts');
  throw redactError(error, redact);
}
