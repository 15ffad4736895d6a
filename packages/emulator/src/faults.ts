/** The six operations, as fault rules name them. */
export type Operation = 'create' | 'retrieve' | 'list' | 'cancel' | 'delete' | 'results';

/** Names the operation of a request from its method and path (query ignored), if any. */
export function classify(method: string, pathname: string): Operation | undefined {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/v1/messages/batches') {
    if (method === 'POST') return 'create';
    return method === 'GET' ? 'list' : undefined;
  }
  const match = /^\/v1\/messages\/batches\/[^/]+(\/cancel|\/results)?$/.exec(path);
  if (!match) return undefined;
  if (match[1] === '/cancel') return method === 'POST' ? 'cancel' : undefined;
  if (match[1] === '/results') return method === 'GET' ? 'results' : undefined;
  if (method === 'GET') return 'retrieve';
  return method === 'DELETE' ? 'delete' : undefined;
}

/**
 * What a fault does. `delayMs` (on any rule) waits that long before anything else.
 * - `status`: answer with this status, headers and body instead of the real handler
 *   (default body: the API's error envelope for the status; 502 gets an HTML page).
 * - `delay`: only the delay, then the normal answer.
 * - `reset`: drop the connection — `'before-body'` before the request is read (nothing
 *   happens), `'after-body'` after it was handled (e.g. the batch *was* created). In
 *   `fetch` mode the call rejects with a `TypeError`, as a network failure does.
 * - `truncate`: the response body errors after `afterBytes` bytes.
 * - `stall`: the response body sends `afterBytes` bytes, then nothing until aborted.
 * - `malformed-line`: a line that is not JSON is inserted after `afterLines` lines (JSONL).
 * - `schema-violation`: the JSON body (or first JSONL line) gets a field of the wrong type.
 */
export type Fault =
  | { type: 'status'; status: number; headers?: Record<string, string>; body?: string | object }
  | { type: 'delay' }
  | { type: 'reset'; phase?: 'before-body' | 'after-body' }
  | { type: 'truncate'; afterBytes: number }
  | { type: 'stall'; afterBytes: number }
  | { type: 'malformed-line'; afterLines?: number; text?: string }
  | { type: 'schema-violation' };

/** Which requests a rule applies to; every given field must match. */
export interface FaultMatch {
  /** Operation name(s). */
  operation?: Operation | readonly Operation[];
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Exact pathname, a pattern with `*` for one path segment, or a RegExp. */
  path?: string | RegExp;
  /**
   * Text the request body must contain, e.g. `"custom_id":"r-0"` to hit the create of one
   * batch among several in flight. The body is read from a copy, only while such a rule is set.
   */
  bodyIncludes?: string;
}

/** A fault plus where and how often it applies. */
export type FaultRule = Fault &
  FaultMatch & {
    /** How many matching requests it affects (default 1; `Infinity` for all). */
    times?: number;
    /** Wait this long (real ms) before answering. */
    delayMs?: number;
  };

/** A rule that has been added. */
export interface FaultHandle {
  readonly id: number;
  readonly rule: FaultRule;
  /** Matching requests it will still affect. */
  readonly remaining: number;
  /** Stops it early. */
  remove(): void;
}

/** Scripted faults of one emulator. The first matching rule with uses left wins. */
export interface FaultController {
  /** Adds a rule; it applies to the next `times` matching requests. */
  add(rule: FaultRule): FaultHandle;
  /** Rules with uses left, in the order they are tried. */
  list(): FaultHandle[];
  /** Removes every rule. */
  clear(): void;
}

function pathMatches(pattern: string | RegExp, pathname: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(pathname);
  if (!pattern.includes('*')) return pattern === pathname;
  const escaped = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}$`).test(pathname);
}

function matches(rule: FaultRule, method: string, pathname: string, body?: string): boolean {
  if (rule.bodyIncludes !== undefined && !body?.includes(rule.bodyIncludes)) return false;
  if (rule.operation !== undefined) {
    const wanted = typeof rule.operation === 'string' ? [rule.operation] : rule.operation;
    const operation = classify(method, pathname);
    if (!operation || !wanted.includes(operation)) return false;
  }
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  return rule.path === undefined || pathMatches(rule.path, pathname);
}

/** Creates a fault controller plus `take`, which the handler calls once per request. */
export function createFaults(): FaultController & {
  /** True while a rule matches on the body: the handler reads it (from a copy) only then. */
  wantsBody(): boolean;
  take(method: string, pathname: string, body?: string): FaultRule | undefined;
} {
  const rules: Array<{ id: number; rule: FaultRule; remaining: number }> = [];
  let nextId = 1;
  const handle = (entry: (typeof rules)[number]): FaultHandle => ({
    id: entry.id,
    rule: entry.rule,
    get remaining() {
      return entry.remaining;
    },
    remove() {
      entry.remaining = 0;
      const at = rules.indexOf(entry);
      if (at >= 0) rules.splice(at, 1);
    },
  });
  return {
    add(rule) {
      const times = rule.times ?? 1;
      if (!(times >= 1)) throw new TypeError(`times must be at least 1, got ${times}`);
      const entry = { id: nextId++, rule, remaining: times };
      rules.push(entry);
      return handle(entry);
    },
    list: () => rules.map(handle),
    clear() {
      rules.length = 0;
    },
    wantsBody: () => rules.some((r) => r.rule.bodyIncludes !== undefined),
    take(method, pathname, body) {
      const entry = rules.find((r) => matches(r.rule, method, pathname, body));
      if (!entry) return undefined;
      entry.remaining--;
      if (entry.remaining <= 0) rules.splice(rules.indexOf(entry), 1);
      return entry.rule;
    },
  };
}
