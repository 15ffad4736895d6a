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

/** A regexp source for hex digits, either case (`2d` → `2d`, `d` as `[dD]`). */
const hex = (value: number, width: number) =>
  value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const utf8 = (text: string) => new TextEncoder().encode(text);

function charPattern(char: string): string {
  // JSON's short escape (\" \\ \/ \b \f \n \r \t) when the character has one.
  const short = char === '/' ? '\\/' : JSON.stringify(char).slice(1, -1);
  const forms = [
    escapeRegExp(char),
    // \uXXXX of each UTF-16 unit: an astral character's JSON escape is its surrogate pair.
    char
      .split('')
      .map((unit) => `\\\\u${hex(unit.charCodeAt(0), 4)}`)
      .join(''),
    [...utf8(char)].map((byte) => `%${hex(byte, 2)}`).join(''),
  ];
  if (short.length === 2) forms.push(escapeRegExp(short));
  return `(?:${forms.join('|')})`;
}

/** Every alternative (one regexp source each) that matches the secret in some form. */
export function secretPatterns(secret: string): string[] {
  const text = [...secret].map(charPattern).join('');
  const cores = secret.length >= 12 ? base64Cores(String.fromCharCode(...utf8(secret))) : [];
  // Longest first, so that a base64 core is not cut by a shorter match.
  return [text, ...new Set(cores)].map((core, i) => (i ? escapeRegExp(core) : core));
}

/**
 * The parts of the secret's base64 (and base64url) that do not depend on what comes
 * before or after it in a longer byte string: one per alignment (offset mod 3).
 */
function base64Cores(binary: string): string[] {
  return [0, 1, 2].flatMap((shift) => {
    // Characters mixing bits of the padding (start) or of what follows (end) are left out.
    const core = btoa('\0'.repeat(shift) + binary).slice(
      [0, 2, 3][shift],
      Math.floor(((shift + binary.length) * 8) / 6),
    );
    return core.length < 8 ? [] : [core, core.replaceAll('+', '-').replaceAll('/', '_')];
  });
}
