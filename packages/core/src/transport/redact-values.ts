/**
 * Redaction of values, errors and streams: loaded only when an error is thrown or a
 * proxy relays an answer, so a page that only cancels does not download it.
 */
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

/**
 * Sets `target[key]` to `value` as a writable, configurable property, enumerable as the
 * property it replaces (a new one is not): how an error's message, stack, name and cause are set.
 */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: Object.prototype.propertyIsEnumerable.call(target, key),
  });
}

function cleanInPlace(
  error: Error & Record<string, unknown>,
  redact: (text: string) => string,
  depth: number,
) {
  const set = (key: string, v: unknown) => setOwn(error, key, v);
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
    if (error.name !== copy.name) setOwn(copy, 'name', redact(String(error.name)));
  }
  for (const key of NETWORK_FACTS) {
    // What the copy has already (a DOMException's `code` getter) comes from its constructor.
    if (key in copy) continue;
    const v = (error as unknown as Record<string, unknown>)[key];
    if (typeof v === 'string') (copy as unknown as Record<string, unknown>)[key] = redact(v);
    else if (typeof v === 'number') (copy as unknown as Record<string, unknown>)[key] = v;
  }
  if (cause !== undefined) setOwn(copy, 'cause', cause);
  setOwn(copy, 'stack', redact(String(error.stack ?? `${error.name}: ${message}`)));
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
