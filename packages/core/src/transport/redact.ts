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
function secretPatterns(secret: string): string[] {
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
 * A decoded value (a parsed JSON body) with the credential removed from every string in
 * it, keys included. Serialized, redacted and parsed again: JSON.stringify writes every
 * string in one canonical form, so escapes the server used no longer hide anything.
 * Returns the value itself when nothing was found. A value too deep to serialize becomes
 * its redacted text form.
 */
export function redactJSON(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return '[unserializable value removed]';
  }
  const clean = redact(text);
  if (clean === text) return value;
  try {
    return JSON.parse(clean);
  } catch {
    return clean;
  }
}

/** Own properties of a foreign error that are kept (redacted) on its copy: the network facts. */
const NETWORK_FACTS = ['code', 'errno', 'syscall', 'address', 'port', 'hostname', 'host'];
const STANDARD = new Set(['message', 'stack', 'cause', 'name', ...NETWORK_FACTS]);
const BUILTIN_ERRORS = [TypeError, RangeError, SyntaxError, ReferenceError, URIError, EvalError];
const MAX_CAUSES = 8;

/**
 * Removes the credential from an error the client is about to throw, and from every
 * cause under it. msgbatch's own errors are cleaned in place (their class stays): message,
 * stack and every own property (request id, headers, the error body after decoding,
 * issues…). A foreign cause (fetch's `TypeError`, a custom fetch's error that carries the
 * request and its headers) is kept as it is only when it is a plain error with nothing
 * to hide; otherwise it is replaced by a copy of the same class that keeps only its
 * message, stack, name and network facts (`code`, `syscall`, `address`, `port`…), redacted.
 * Safe to call twice.
 */
export function redactError<E>(error: E, redact: (text: string) => string): E {
  return cleanCause(error, redact, 0) as E;
}

function cleanCause(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_CAUSES) return '[further causes removed]';
  if (isOwnError(value)) {
    cleanInPlace(value as Error & Record<string, unknown>, redact, depth);
    return value;
  }
  if (!(value instanceof Error) && !isDOMException(value)) {
    return redactJSON(safeObject(value), redact);
  }
  const error = value as Error;
  const cause = error.cause === undefined ? undefined : cleanCause(error.cause, redact, depth + 1);
  if (isPlain(error, redact) && cause === error.cause) return error;
  return copyOf(error, cause, redact);
}

function isOwnError(value: object): boolean {
  return (value as Record<symbol, unknown>)[Symbol.for('msgbatch.error')] === true;
}

function isDOMException(value: object): boolean {
  return typeof DOMException === 'function' && value instanceof DOMException;
}

function cleanInPlace(
  error: Error & Record<string, unknown>,
  redact: (text: string) => string,
  depth: number,
) {
  const set = (key: string, v: unknown) =>
    Object.defineProperty(error, key, {
      value: v,
      writable: true,
      configurable: true,
      enumerable: Object.prototype.propertyIsEnumerable.call(error, key),
    });
  set('message', redact(error.message));
  if (typeof error.stack === 'string') set('stack', redact(error.stack));
  for (const key of Object.keys(error)) {
    const v = error[key];
    if (typeof v === 'string') error[key] = redact(v);
    else if (typeof Headers === 'function' && v instanceof Headers)
      error[key] = redactHeaders(v, redact);
    else if (v !== null && typeof v === 'object' && key !== 'cause')
      error[key] = redactJSON(v, redact);
  }
  if (error.cause !== undefined) set('cause', cleanCause(error.cause, redact, depth + 1));
}

/** A copy of headers with every value redacted (a header name never carries a credential). */
export function redactHeaders(headers: Headers, redact: (text: string) => string): Headers {
  const copy = new Headers();
  for (const [name, value] of headers) copy.append(name, redact(value));
  return copy;
}

/** True when keeping the error as it is shows nothing that should not be shown. */
function isPlain(error: Error, redact: (text: string) => string): boolean {
  for (const key of Object.getOwnPropertyNames(error)) {
    if (!STANDARD.has(key)) return false;
    const v = (error as unknown as Record<string, unknown>)[key];
    if (key === 'cause') continue;
    if (v !== null && typeof v === 'object') return false;
    if (typeof v === 'string' && redact(v) !== v) return false;
  }
  if (Object.getOwnPropertySymbols(error).length > 0) return false;
  return redact(String(error.stack ?? '')) === String(error.stack ?? '');
}

function copyOf(error: Error, cause: unknown, redact: (text: string) => string): Error {
  const message = redact(String(error.message ?? ''));
  let copy: Error;
  if (isDOMException(error)) copy = new DOMException(message, error.name);
  else {
    const Builtin = BUILTIN_ERRORS.find((E) => error instanceof E) ?? Error;
    copy = new Builtin(message);
    if (error.name !== copy.name) {
      Object.defineProperty(copy, 'name', {
        value: redact(String(error.name)),
        configurable: true,
        writable: true,
      });
    }
  }
  for (const key of NETWORK_FACTS) {
    const v = (error as unknown as Record<string, unknown>)[key];
    if (typeof v === 'string') (copy as unknown as Record<string, unknown>)[key] = redact(v);
    else if (typeof v === 'number') (copy as unknown as Record<string, unknown>)[key] = v;
  }
  if (cause !== undefined) {
    Object.defineProperty(copy, 'cause', { value: cause, configurable: true, writable: true });
  }
  Object.defineProperty(copy, 'stack', {
    value: redact(String(error.stack ?? `${error.name}: ${message}`)),
    configurable: true,
    writable: true,
  });
  return copy;
}

/** A non-error cause (a thrown plain object): only its JSON-visible data, redacted. */
function safeObject(value: object): unknown {
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return '[unserializable value removed]';
  }
}

/**
 * A body with the credential removed in every form {@link createRedactor} knows, as it
 * streams. Complete lines go out as they arrive (a JSON line cannot hold an occurrence
 * across its newline); a line longer than 1 MiB goes out in pieces, each holding back the
 * few hundred characters that could still start an occurrence. For the proxy's relayed
 * results; the body must be UTF-8 text.
 */
export function redactStream(
  body: ReadableStream<Uint8Array>,
  secrets: readonly (string | null | undefined)[],
): ReadableStream<Uint8Array> {
  const list = [
    ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)),
  ];
  if (list.length === 0) return body;
  const pattern = new RegExp(list.flatMap(secretPatterns).join('|'), 'g');
  // The longest text one occurrence can take: 12 characters per character (4 UTF-8 bytes
  // percent-encoded), which also bounds the base64 forms.
  const hold = Math.max(...list.map((s) => s.length)) * 12;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  /** Sends what precedes `limit`, redacted; an occurrence that starts before it goes whole. */
  const send = (limit: number, controller: TransformStreamDefaultController<Uint8Array>) => {
    let cut = limit;
    let out = '';
    let from = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(pending); m !== null; m = pattern.exec(pending)) {
      if (m.index >= cut) break;
      out += `${pending.slice(from, m.index)}[redacted]`;
      from = m.index + m[0].length;
      if (from > cut) cut = from;
    }
    out += pending.slice(from, cut);
    pending = pending.slice(cut);
    if (out) controller.enqueue(encoder.encode(out));
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const lineEnd = pending.lastIndexOf('\n');
        if (lineEnd >= 0) send(lineEnd + 1, controller);
        else if (pending.length > 1 << 20) send(pending.length - hold, controller);
      },
      flush(controller) {
        pending += decoder.decode();
        send(pending.length, controller);
      },
    }),
  );
}
