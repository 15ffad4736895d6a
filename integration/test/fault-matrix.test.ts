/**
 * The fault matrix of issue 8: every operation × every fault the emulator can inject,
 * written down as data (what must happen), turned into one test per cell.
 *
 * Each cell gets a fresh emulator on a manual clock and a client whose clock moves that
 * emulator clock when it sleeps, so retry waits take no real time. The only real waits
 * are the two timing faults (headers slower than `timeout`, a stalled body vs `idleTimeout`).
 *
 * Cells marked `bug` expect what the client should do and run as `it.fails`, because the
 * client does something else today; each names an entry of `BUGS` with file, cause and fix.
 * When the bug is fixed the cell turns red: drop its `bug` then.
 *
 * Writes its figures to `.tmp/reliability/fault-matrix.json` (read by scripts/reliability.mjs).
 */

import { getEventListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  type BatchCreateParams,
  type CancelOutcome,
  type ClientOptions,
  type Clock,
  isMsgbatchError,
  MsgbatchClient,
} from '@msgbatch/core';
import { createEmulator, type Fault, type FaultRule, type Operation } from '@msgbatch/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The key every cell's client sends; scanned for in every error (see scanForCanary). */
const CANARY = `sk-ant-api03-MATRIX-CANARY-${'0123456789abcdef'.repeat(2)}`;

/** A fault rule without its target operation (the matrix/soak picks that). */
type FaultSpec = Fault & { times?: number; delayMs?: number };

// ---------------------------------------------------------------------------------------------
// The matrix, as data
// ---------------------------------------------------------------------------------------------

const OPERATIONS = [
  'create',
  'retrieve',
  'list',
  'cancel',
  'delete',
  'results',
  'waitForEnd',
  'cancelMany',
] as const;
type Op = (typeof OPERATIONS)[number];

/** The wire operation each client operation's fault is aimed at. */
const WIRE: Record<Op, Operation> = {
  create: 'create',
  retrieve: 'retrieve',
  list: 'list',
  cancel: 'cancel',
  delete: 'delete',
  results: 'results',
  waitForEnd: 'retrieve',
  cancelMany: 'cancel',
};

/** What a cell must produce. */
type Expected =
  /** The call succeeded (after retrying where the fault called for it), checked against the store. */
  | { kind: 'ok' }
  /** The call failed with this error class, status and (or not) request id. */
  | { kind: 'error'; name: string; status: number | null; requestID: boolean }
  /** The fault cannot apply to this operation. */
  | { kind: 'n/a'; why: string };

interface Cell {
  expected: Expected;
  /** Requests of the wire operation sent during the call, retries included (when pinned). */
  attempts?: number;
  /** Batches in the store after a create cell (zero duplicates: never more than 1). */
  batches?: number;
  /** A known product bug: the cell runs as `it.fails` until it is fixed. */
  bug?: string;
  /** For a bug cell, what happens today; any other outcome fails the matrix (the table is stale). */
  today?: string;
  /** Why this outcome is the expected one, when it is not obvious. */
  note?: string;
  /** cancelMany: the status of each id's outcome, when not one `failed` among `canceled`. */
  statuses?: string[];
}

interface FaultRow {
  id: string;
  label: string;
  rule: FaultSpec;
  /** Client options this fault needs (short timeouts). */
  client?: Partial<ClientOptions>;
  /** Real-time bound of one cell; past it the cell counts as a hang. */
  guardMs?: number;
  /** Aim the calls at batches that do not exist, so the fault hits a 404 answer. */
  missing?: boolean;
  cells: Record<Op, Cell>;
}

/** Product bugs the matrix exposes; the cells that show them run as `it.fails`. */
export const BUGS: Record<string, string> = {};

/**
 * Bugs these cells found and that have since been fixed; the cells now pass and guard them.
 * Listed for the report only.
 */
export const FIXED = {
  'stall-error-body':
    'an error answer (e.g. a 404) whose body stalled after the headers hung the call forever (errorFromResponse read it without idleTimeout): stall-error-body row',
  'stall-json':
    'a JSON success body that stalled after the headers hung forever (text() was not guarded by idleTimeout): stall row',
  'create-body-lost':
    'a create answered 200 whose body was then cut short failed with the retryable APIConnectionError instead of CreateOutcomeUnknownError: truncate × create, stall × create',
  'workflow-ignores-should-retry':
    'waitForEnd and cancelMany sent again after `x-should-retry: false`: should-retry-false × waitForEnd / cancelMany',
  'wait-sleeps-past-cap':
    'waitForEnd slept any server-requested wait (120 s, or 1e12 ms overflowing setTimeout into a 1 ms loop): 429-retry-after-120 × waitForEnd',
} as const;

const ok = (attempts?: number, extra: Partial<Cell> = {}): Cell => ({
  expected: { kind: 'ok' },
  ...(attempts === undefined ? {} : { attempts }),
  ...extra,
});
const fail = (
  name: string,
  status: number | null,
  requestID: boolean,
  attempts?: number,
  extra: Partial<Cell> = {},
): Cell => ({
  expected: { kind: 'error', name, status, requestID },
  ...(attempts === undefined ? {} : { attempts }),
  ...extra,
});
const na = (why: string): Cell => ({ expected: { kind: 'n/a', why } });

const NOT_JSONL = na('no JSONL body: the fault only exists for results streams');

/** A retryable status answered once: everything idempotent retries; create only after 429/529. */
function transientStatusRow(
  id: string,
  label: string,
  status: number,
  headers: Record<string, string> = {},
): FaultRow {
  const createRetries = status === 429 || status === 529;
  const errorName = statusErrorName(status);
  return {
    id,
    label,
    rule: { type: 'status', status, headers },
    cells: {
      create: createRetries
        ? ok(2, { batches: 1 })
        : fail(errorName, status, true, 1, {
            batches: 0,
            note: 'create is retried only after 429/529',
          }),
      retrieve: ok(2),
      list: ok(2),
      cancel: ok(2),
      delete: ok(2),
      results: ok(2),
      waitForEnd: ok(),
      cancelMany: ok(4, { note: 'cancelMany sends with maxRetries 0 and retries per id itself' }),
    },
  };
}

/** The class the official SDK (and msgbatch) names for a status the matrix injects. */
function statusErrorName(status: number): string {
  const named: Record<number, string> = {
    429: 'RateLimitError',
    501: 'NotImplementedError',
    503: 'ServiceUnavailableError',
    504: 'GatewayTimeoutError',
    529: 'OverloadedError',
  };
  return named[status] ?? 'InternalServerError';
}

/** The same status on every attempt: the typed error once the retries are used up. */
function persistentStatusRow(
  id: string,
  label: string,
  status: number,
  headers: Record<string, string> = {},
): FaultRow {
  const name = statusErrorName(status);
  const createRetries = status === 429 || status === 529;
  return {
    id,
    label,
    rule: { type: 'status', status, headers, times: Number.POSITIVE_INFINITY },
    cells: {
      create: fail(name, status, true, createRetries ? 3 : 1, { batches: 0 }),
      retrieve: fail(name, status, true, 3),
      list: fail(name, status, true, 3),
      cancel: fail(name, status, true, 3),
      delete: fail(name, status, true, 3),
      results: fail(name, status, true, 3),
      waitForEnd: fail(name, status, true, 12, {
        note: '4 polls in a row (3 tolerated failures), each with 2 transport retries',
      }),
      cancelMany: fail(name, status, true, 15, {
        note: 'every id fails after maxAttempts 5; each id accounted for',
      }),
    },
  };
}

export const MATRIX: FaultRow[] = [
  transientStatusRow('429-retry-after', '429 with `retry-after: 1`', 429, { 'retry-after': '1' }),
  transientStatusRow('429-bare', '429 without `retry-after`', 429),
  transientStatusRow('529-retry-after-ms', '529 with `retry-after-ms: 10`', 529, {
    'retry-after-ms': '10',
  }),
  transientStatusRow('500', '500', 500),
  transientStatusRow('502-html', '502 with an HTML body', 502),
  transientStatusRow('503', '503', 503),
  transientStatusRow('504', '504', 504),
  {
    id: '429-retry-after-120',
    label: '429 with `retry-after: 120` (over the 60 s cap)',
    rule: { type: 'status', status: 429, headers: { 'retry-after': '120' } },
    cells: {
      create: fail('RateLimitError', 429, true, 1, { batches: 0, note: 'fails fast' }),
      retrieve: fail('RateLimitError', 429, true, 1, { note: 'fails fast, retryAfterMs 120000' }),
      list: fail('RateLimitError', 429, true, 1),
      cancel: fail('RateLimitError', 429, true, 1),
      delete: fail('RateLimitError', 429, true, 1),
      results: fail('RateLimitError', 429, true, 1),
      waitForEnd: fail('RateLimitError', 429, true, 1, {
        note: 'fails fast like the transport and cancelMany (past MAX_RETRY_AFTER_MS)',
      }),
      cancelMany: fail('RateLimitError', 429, true, 3, {
        note: 'fails fast like the transport: that id failed, the other two canceled',
      }),
    },
  },
  {
    id: 'should-retry-false',
    label: '503 with `x-should-retry: false`',
    rule: { type: 'status', status: 503, headers: { 'x-should-retry': 'false' } },
    cells: {
      create: fail('ServiceUnavailableError', 503, true, 1, { batches: 0 }),
      retrieve: fail('ServiceUnavailableError', 503, true, 1),
      list: fail('ServiceUnavailableError', 503, true, 1),
      cancel: fail('ServiceUnavailableError', 503, true, 1),
      delete: fail('ServiceUnavailableError', 503, true, 1),
      results: fail('ServiceUnavailableError', 503, true, 1),
      waitForEnd: fail('ServiceUnavailableError', 503, true, 1, {}),
      cancelMany: fail('ServiceUnavailableError', 503, true, 3, {
        note: 'one id failed after 1 send, the other two canceled',
      }),
    },
  },
  {
    id: 'reset-before-body',
    label: 'connection reset before the request is read',
    rule: { type: 'reset', phase: 'before-body' },
    cells: {
      create: fail('CreateOutcomeUnknownError', null, false, 1, {
        batches: 0,
        note: 'a reset is not a refused connection: the create may have been sent',
      }),
      retrieve: ok(2),
      list: ok(2),
      cancel: ok(2),
      delete: ok(2),
      results: ok(2),
      waitForEnd: ok(),
      cancelMany: ok(4),
    },
  },
  {
    id: 'reset-after-body',
    label: 'connection reset after the request was handled',
    rule: { type: 'reset', phase: 'after-body' },
    cells: {
      create: fail('CreateOutcomeUnknownError', null, false, 1, {
        batches: 1,
        note: 'the batch exists; not retried, so no duplicate',
      }),
      retrieve: ok(2),
      list: ok(2),
      cancel: ok(2, { note: 'the retry finds the batch canceling: 200 again' }),
      delete: fail('NotFoundError', 404, true, 2, {
        note: 'the delete happened; its retry answers 404 (same as the official SDK) — see report',
      }),
      results: ok(2),
      waitForEnd: ok(),
      cancelMany: ok(4),
    },
  },
  {
    id: 'headers-timeout',
    label: 'headers slower than `timeout` (150 ms vs 40 ms)',
    rule: { type: 'delay', delayMs: 150 },
    client: { timeout: 40 },
    cells: {
      create: fail('CreateOutcomeUnknownError', null, false, 1, {
        note: 'timed out after sending: not retried',
      }),
      retrieve: ok(2),
      list: ok(2),
      cancel: ok(2),
      delete: ok(2),
      results: ok(2),
      waitForEnd: ok(),
      cancelMany: ok(4),
    },
  },
  {
    id: 'truncate',
    label: 'body cut short after 20 bytes',
    rule: { type: 'truncate', afterBytes: 20 },
    cells: {
      create: fail('CreateOutcomeUnknownError', null, true, 1, {
        batches: 1,
      }),
      retrieve: fail('APIConnectionError', null, true, 1, {
        note: 'bodies are not retried once the headers arrived',
      }),
      list: fail('APIConnectionError', null, true, 1),
      cancel: fail('APIConnectionError', null, true, 1),
      delete: fail('APIConnectionError', null, true, 1),
      results: fail('APIConnectionError', null, true, 1),
      waitForEnd: ok(undefined, { note: 'a lost poll is tolerated' }),
      cancelMany: ok(4),
    },
  },
  {
    id: 'schema-violation',
    label: 'schema-violating body',
    rule: { type: 'schema-violation' },
    cells: {
      create: fail('ResponseValidationError', null, true, 1, {
        batches: 1,
        note: 'the batch exists; the request id identifies it',
      }),
      retrieve: fail('ResponseValidationError', null, true, 1),
      list: fail('ResponseValidationError', null, true, 1),
      cancel: fail('ResponseValidationError', null, true, 1),
      delete: fail('ResponseValidationError', null, true, 1),
      results: fail('ResponseValidationError', null, true, 1, { note: 'line 1, custom_id 12345' }),
      waitForEnd: fail('ResponseValidationError', null, true, 1),
      cancelMany: fail('ResponseValidationError', null, true, 3, {
        note: 'that id failed, the other two canceled',
      }),
    },
  },
  {
    id: 'stall',
    label: 'body stalls after 20 bytes (`idleTimeout` 50 ms)',
    rule: { type: 'stall', afterBytes: 20 },
    client: { idleTimeout: 50 },
    guardMs: 700,
    cells: {
      create: fail('CreateOutcomeUnknownError', null, true, 1, {
        batches: 1,
      }),
      retrieve: fail('APIConnectionTimeoutError', null, true, 1, {}),
      list: fail('APIConnectionTimeoutError', null, true, 1),
      cancel: fail('APIConnectionTimeoutError', null, true, 1, {}),
      delete: fail('APIConnectionTimeoutError', null, true, 1, {}),
      results: fail('APIConnectionTimeoutError', null, true, 1),
      waitForEnd: ok(undefined),
      cancelMany: ok(4),
    },
  },
  {
    id: 'stall-error-body',
    label: 'a 404 answer whose body stalls after 10 bytes (`idleTimeout` 50 ms)',
    rule: { type: 'stall', afterBytes: 10 },
    client: { idleTimeout: 50 },
    guardMs: 700,
    missing: true,
    cells: {
      create: na('no 404 to stall: create answers 200 or a status fault'),
      retrieve: fail('NotFoundError', 404, true, 1),
      list: na('no 404 to stall: an unknown cursor is an empty page'),
      cancel: fail('NotFoundError', 404, true, 1),
      delete: fail('NotFoundError', 404, true, 1),
      results: fail('NotFoundError', 404, true, 1),
      waitForEnd: fail('NotFoundError', 404, true, 1),
      cancelMany: fail('NotFoundError', 404, true, 3, {
        statuses: ['not_found', 'not_found', 'not_found'],
      }),
    },
  },
  {
    id: 'malformed-line',
    label: 'malformed JSONL line after line 1',
    rule: { type: 'malformed-line', afterLines: 1 },
    cells: {
      create: NOT_JSONL,
      retrieve: NOT_JSONL,
      list: NOT_JSONL,
      cancel: NOT_JSONL,
      delete: NOT_JSONL,
      results: fail('JSONLDecodeError', null, true, 1, { note: 'line 2; line 1 was delivered' }),
      waitForEnd: NOT_JSONL,
      cancelMany: NOT_JSONL,
    },
  },
  persistentStatusRow('429-always', '429 `retry-after: 1`, every attempt', 429, {
    'retry-after': '1',
  }),
  persistentStatusRow('529-always', '529 `retry-after-ms: 10`, every attempt', 529, {
    'retry-after-ms': '10',
  }),
  persistentStatusRow('500-always', '500, every attempt', 500),
  persistentStatusRow('502-always', '502 HTML, every attempt', 502),
  persistentStatusRow('503-always', '503, every attempt', 503),
  persistentStatusRow('504-always', '504, every attempt', 504),
];

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

function requests(count: number, prefix: string): BatchCreateParams['requests'] {
  return Array.from({ length: count }, (_, i) => ({
    custom_id: `${prefix}-${i}`,
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 16,
      messages: [{ role: 'user' as const, content: `question ${i}` }],
    },
  }));
}

/** Names the operation of a request, as the emulator's fault rules do. */
function classify(method: string, pathname: string): Operation | undefined {
  if (pathname === '/v1/messages/batches') return method === 'POST' ? 'create' : 'list';
  const match = /^\/v1\/messages\/batches\/[^/]+(\/cancel|\/results)?$/.exec(pathname);
  if (!match) return undefined;
  if (match[1] === '/cancel') return 'cancel';
  if (match[1] === '/results') return 'results';
  return method === 'DELETE' ? 'delete' : 'retrieve';
}

const figures = {
  cells: 0,
  cellsNotApplicable: 0,
  knownBugCells: 0,
  requests: 0,
  sleeps: 0,
  badSleeps: 0,
  createCells: 0,
  canaryTextsScanned: 0,
  canaryOccurrences: 0,
  duplicateBatches: 0,
  cancelManyIds: 0,
  cancelManyIdsAccounted: 0,
  unhandledRejections: 0,
  listenerRun: { requests: 0, leftoverListeners: -1, leftoverByWrapping: -1, maxInFlight: 0 },
};
const observed: Record<string, Record<string, string>> = {};
/** Cells whose every assertion held (`row × op`). */
const passedCells = new Set<string>();
/** Known-bug cells whose outcome is no longer the one the table says happens today. */
const drift: string[] = [];

/** A fresh emulator and a client whose clock sleeps by moving the emulator clock. */
function harness(
  emulatorOptions: Parameters<typeof createEmulator>[0],
  client: Partial<ClientOptions>,
) {
  const emulator = createEmulator({ clock: 'manual', ...emulatorOptions });
  const sent: Operation[] = [];
  const clock: Clock = {
    now: () => emulator.clock.now(),
    async sleep(ms, signal) {
      figures.sleeps++;
      if (!(Number.isFinite(ms) && ms >= 0)) figures.badSleeps++;
      if (signal?.aborted) throw signal.reason;
      const wakeAt = emulator.clock.now() + ms;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
      emulator.clock.set(Math.max(wakeAt, emulator.clock.now()));
    },
  };
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const operation = classify(request.method, new URL(request.url).pathname);
    if (operation) sent.push(operation);
    figures.requests++;
    return emulator.fetch(request);
  };
  const batches = new MsgbatchClient({
    apiKey: CANARY,
    baseURL: 'http://emulator.test',
    fetch,
    clock,
    random: () => 0,
    logLevel: 'off',
    ...client,
  }).messages.batches;
  return { emulator, batches, sent };
}

type Harness = ReturnType<typeof harness>;

/** How each operation is set up, run and checked when it succeeds. */
interface OpSpec {
  /** Emulator options: slow batches stay in progress for cancels, fast ones end for waits. */
  emulator: Parameters<typeof createEmulator>[0];
  prepare(h: Harness): Promise<string[]>;
  run(h: Harness, ids: string[]): Promise<unknown>;
  /** Checks a successful value against the store. */
  check(h: Harness, ids: string[], value: unknown): void;
}

async function createBatches(h: Harness, count: number, size: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await h.batches.create({ requests: requests(size, `b${i}`) })).id);
  }
  return ids;
}

const SLOW = { rate: 0.001 }; // a batch of 3 takes 50 minutes: it stays in progress
const FAST = { rate: 100 };

const OPS: Record<Op, OpSpec> = {
  create: {
    emulator: FAST,
    prepare: async () => [],
    run: (h) => h.batches.create({ requests: requests(3, 'new') }),
    check(h, _ids, value) {
      const batch = value as { id: string };
      expect(h.emulator.store.get(batch.id)?.id).toBe(batch.id);
    },
  },
  retrieve: {
    emulator: FAST,
    prepare: (h) => createBatches(h, 1, 3),
    run: (h, [id]) => h.batches.retrieve(id!),
    check: (_h, [id], value) => expect((value as { id: string }).id).toBe(id),
  },
  list: {
    emulator: FAST,
    prepare: (h) => createBatches(h, 3, 1),
    run: (h) => h.batches.list({ limit: 2 }),
    check(h, _ids, value) {
      const page = value as { data: { id: string }[]; has_more: boolean };
      const newest = h.emulator.store.list().map((b) => b.id);
      expect(page.data.map((b) => b.id)).toEqual(newest.slice(0, 2));
      expect(page.has_more).toBe(true);
    },
  },
  cancel: {
    emulator: SLOW,
    prepare: (h) => createBatches(h, 1, 3),
    run: (h, [id]) => h.batches.cancel(id!),
    check(h, [id], value) {
      expect((value as { processing_status: string }).processing_status).toBe('canceling');
      expect(h.emulator.store.get(id!)?.cancel_initiated_at).not.toBeNull();
    },
  },
  delete: {
    emulator: FAST,
    async prepare(h) {
      const ids = await createBatches(h, 1, 3);
      h.emulator.clock.advance(60_000);
      return ids;
    },
    run: (h, [id]) => h.batches.delete(id!),
    check(h, [id], value) {
      expect(value).toEqual({ id, type: 'message_batch_deleted' });
      expect(h.emulator.store.get(id!)).toBeUndefined();
    },
  },
  results: {
    emulator: FAST,
    async prepare(h) {
      const ids = await createBatches(h, 1, 5);
      h.emulator.clock.advance(60_000);
      return ids;
    },
    async run(h, [id]) {
      const seen: string[] = [];
      for await (const line of h.batches.results(id!)) seen.push(line.custom_id);
      return seen;
    },
    check(h, [id], value) {
      // No line missing, none duplicated: the same multiset as the store's lines.
      const expected = h.emulator.store.results(id!)!.map((l) => l.custom_id);
      expect([...(value as string[])].sort()).toEqual([...expected].sort());
    },
  },
  waitForEnd: {
    emulator: FAST,
    prepare: (h) => createBatches(h, 1, 3),
    run: (h, [id]) => h.batches.waitForEnd(id!),
    check: (_h, [id], value) => expect(value).toMatchObject({ id, processing_status: 'ended' }),
  },
  cancelMany: {
    emulator: SLOW,
    prepare: (h) => createBatches(h, 3, 3),
    run: (h, ids) => h.batches.cancelMany(ids, { concurrency: 2 }),
    check(_h, ids, value) {
      const outcomes = value as CancelOutcome[];
      expect(outcomes.map((o) => o.status)).toEqual(['canceled', 'canceled', 'canceled']);
      expect(outcomes.map((o) => o.id)).toEqual(ids);
    },
  },
};

interface Outcome {
  value?: unknown;
  error?: unknown;
  hung?: boolean;
}

async function settle(promise: Promise<unknown>, guardMs: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), guardMs);
  });
  const outcome = await Promise.race([
    promise.then(
      (value) => ({ value }),
      (error) => ({ error }),
    ),
    guard,
  ]);
  clearTimeout(timer);
  return outcome;
}

function describeError(error: unknown): string {
  if (!isMsgbatchError(error)) return `not a msgbatch error: ${String(error)}`;
  const status = (error as { status?: number }).status;
  return `${error.name}${status ? ` ${status}` : ''}${error.requestID ? ' +request-id' : ''}`;
}

/** The error a cell produced: thrown, or (cancelMany) carried by a failed outcome. */
function errorOf(op: Op, outcome: Outcome): unknown {
  if (op === 'cancelMany' && outcome.value) {
    return (outcome.value as CancelOutcome[]).find((o) => o.status !== 'canceled')?.error;
  }
  return outcome.error;
}

function summarize(op: Op, outcome: Outcome): string {
  if (outcome.hung) return 'hangs';
  const error = errorOf(op, outcome);
  if (error !== undefined) {
    if (op === 'cancelMany') {
      const failed = (outcome.value as CancelOutcome[]).filter((o) => o.status !== 'canceled');
      return `${failed.length}/3 ${failed[0]!.status}: ${describeError(error)}`;
    }
    return describeError(error);
  }
  return 'ok';
}

/**
 * Every cell's error, in every form a user or a log pipeline sees it (String, stack,
 * JSON.stringify, util.inspect to depth 10, each cause of the chain), holds no trace of
 * the canary key.
 */
function scanForCanary(error: unknown) {
  if (error === undefined) return;
  const texts = [String(error), JSON.stringify(error) ?? '', inspect(error, { depth: 10 })];
  for (let e: any = error, depth = 0; e && depth < 12; e = e.cause, depth++) {
    texts.push(String(e), String(e?.stack), JSON.stringify(e) ?? '');
    texts.push(inspect(e, { depth: 10, showHidden: true }));
  }
  figures.canaryTextsScanned += texts.length;
  const found = texts.filter((t) => t.includes(CANARY)).length;
  figures.canaryOccurrences += found;
  expect(found, 'canary occurrences in the error').toBe(0);
}

async function runCell(row: FaultRow, op: Op, cell: Cell) {
  const spec = OPS[op];
  const h = harness(spec.emulator, row.client ?? {});
  const ids = row.missing
    ? [
        'msgbatch_01Missing0000000000000001',
        'msgbatch_01Missing0000000000000002',
        'msgbatch_01Missing0000000000000003',
      ].slice(0, op === 'cancelMany' ? 3 : 1)
    : await spec.prepare(h);
  h.sent.length = 0;
  h.emulator.faults.add({ ...row.rule, operation: WIRE[op] } as FaultRule);
  const outcome = await settle(Promise.resolve(spec.run(h, ids)), row.guardMs ?? 5_000);
  const summary = summarize(op, outcome);
  observed[row.id]![op] = summary;
  scanForCanary(errorOf(op, outcome));
  if (cell.bug && summary !== cell.today) {
    drift.push(
      `${row.id} × ${op}: known bug ${cell.bug} expected "${cell.today}", got "${summary}"`,
    );
  }

  const expected = cell.expected;
  expect(outcome.hung, 'the call settled').not.toBe(true);
  if (expected.kind === 'ok') {
    expect(outcome.error, 'no error').toBeUndefined();
    spec.check(h, ids, outcome.value);
  } else if (expected.kind === 'error') {
    const error = errorOf(op, outcome);
    expect(isMsgbatchError(error), `a typed error, got ${String(error)}`).toBe(true);
    expect((error as Error).name).toBe(expected.name);
    expect((error as { status?: number }).status ?? null).toBe(expected.status);
    if (expected.requestID) expect((error as { requestID: string }).requestID).toMatch(/^req_/);
    else expect((error as { requestID: string | null }).requestID).toBeNull();
    if (op === 'cancelMany') {
      const outcomes = outcome.value as CancelOutcome[];
      // Every id accounted for: one outcome each, in order, the failures typed.
      expect(outcomes.map((o) => o.id)).toEqual(ids);
      if (cell.statuses) {
        expect(outcomes.map((o) => o.status)).toEqual(cell.statuses);
      } else {
        const persistent = row.rule.times === Number.POSITIVE_INFINITY;
        const failed = outcomes.filter((o) => o.status === 'failed');
        expect(failed.length).toBe(persistent ? 3 : 1);
        for (const o of outcomes) if (o.status !== 'failed') expect(o.status).toBe('canceled');
      }
    }
  }
  if (op === 'cancelMany' && outcome.value) {
    const outcomes = outcome.value as CancelOutcome[];
    figures.cancelManyIds += ids.length;
    figures.cancelManyIdsAccounted += ids.filter(
      (id) => outcomes.filter((o) => o.id === id).length === 1,
    ).length;
  }
  if (cell.attempts !== undefined) {
    expect(h.sent.filter((o) => o === WIRE[op]).length, 'requests sent').toBe(cell.attempts);
  }
  if (op === 'create') {
    // A timed-out create may still land a moment later: wait out the fault's delay.
    if (row.rule.delayMs) await new Promise((resolve) => setTimeout(resolve, row.rule.delayMs));
    const size = h.emulator.store.size;
    figures.createCells++;
    figures.duplicateBatches += Math.max(0, size - 1);
    expect(size, 'no duplicate batch').toBeLessThanOrEqual(1);
    if (cell.batches !== undefined) expect(size).toBe(cell.batches);
  }
  passedCells.add(`${row.id} × ${op}`);
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onRejection);
});
afterAll(() => {
  process.off('unhandledRejection', onRejection);
});

describe('fault matrix', () => {
  for (const row of MATRIX) {
    observed[row.id] = {};
    describe(row.label, () => {
      for (const op of OPERATIONS) {
        const cell = row.cells[op];
        if (cell.expected.kind === 'n/a') {
          observed[row.id]![op] = 'n/a';
          it.skip(`${op}: not applicable (${cell.expected.why})`, () => {});
          continue;
        }
        const expected =
          cell.expected.kind === 'ok'
            ? 'retried (if needed) then ok'
            : `${cell.expected.name} ${cell.expected.status ?? ''}`;
        // A cell with `bug` documents what should happen; it fails today (see BUGS).
        const test = cell.bug ? it.fails : it;
        test(`${op} → ${expected}${cell.bug ? ` [known bug: ${cell.bug}]` : ''}`, () =>
          runCell(row, op, cell));
      }
    });
  }
});

describe('one signal reused for 10,000 requests', () => {
  it('leaves no abort listener on it', async () => {
    // Slow processing and an endless cancel drain: `slow` stays canceling throughout.
    const h = harness({ rate: 0.01, cancelDrainMs: 1e12 }, {});
    const controller = new AbortController();
    const { signal } = controller;
    // Count listeners on this signal through its own methods, beside getEventListeners.
    const live = new Set<unknown>();
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, listener: unknown, options?: unknown) => {
      if (type === 'abort') live.add(listener);
      figures.listenerRun.maxInFlight = Math.max(figures.listenerRun.maxInFlight, live.size);
      add(type, listener as EventListener, options as AddEventListenerOptions);
      // A `once` listener removes itself when it fires; this signal never fires.
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, listener: unknown, options?: unknown) => {
      if (type === 'abort') live.delete(listener);
      remove(type, listener as EventListener, options as EventListenerOptions);
    }) as typeof signal.removeEventListener;

    const ended = (await h.batches.create({ requests: requests(4, 'e') }, { signal })).id;
    h.emulator.clock.advance(1_000_000);
    const slow = (await h.batches.create({ requests: requests(1000, 's') }, { signal })).id;
    const before = figures.requests;
    for (let i = 0; figures.requests - before < 10_000; i++) {
      switch (i % 10) {
        case 0:
          await h.batches.list({ limit: 5 }, { signal });
          break;
        case 1:
          for await (const _ of h.batches.results(ended, { signal })) {
            // read every line
          }
          break;
        case 2: {
          // Leaving a results loop early cancels the download.
          for await (const _ of h.batches.results(ended, { signal })) break;
          break;
        }
        case 3:
          h.emulator.faults.add({ operation: 'retrieve', type: 'status', status: 429 });
          await h.batches.retrieve(slow, { signal }); // one retry through the clock
          break;
        case 4:
          await h.batches.cancel(slow, { signal });
          break;
        case 5:
          h.emulator.faults.add({ operation: 'retrieve', type: 'status', status: 404 });
          await h.batches.retrieve(slow, { signal }).catch(() => {});
          break;
        case 6:
          await h.batches.waitForEnd(ended, { signal });
          break;
        default:
          await h.batches.retrieve(slow, { signal });
      }
    }
    figures.listenerRun.requests = figures.requests - before;
    figures.listenerRun.leftoverListeners = getEventListeners(signal, 'abort').length;
    figures.listenerRun.leftoverByWrapping = live.size;
    expect(figures.listenerRun.requests).toBeGreaterThanOrEqual(10_000);
    expect(figures.listenerRun.leftoverListeners).toBe(0);
    expect(live.size).toBe(0);
  }, 120_000); // 10,000 requests: about 10 s on a quiet 2-core machine, three times that under load
});

describe('across the whole matrix', () => {
  it('saw no unhandled rejection, no duplicate batch, no bad sleep, every cancelMany id', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    figures.unhandledRejections = rejections.length;
    for (const row of MATRIX) {
      for (const op of OPERATIONS) {
        const cell = row.cells[op];
        if (cell.expected.kind === 'n/a') figures.cellsNotApplicable++;
        else figures.cells++;
        if (cell.bug) figures.knownBugCells++;
      }
    }
    writeFigures();
    expect(drift, 'known-bug cells behave as the table says (else update it)').toEqual([]);
    expect(rejections).toEqual([]);
    expect(figures.duplicateBatches).toBe(0);
    expect(figures.badSleeps).toBe(0);
    expect(figures.cancelManyIdsAccounted).toBe(figures.cancelManyIds);
  });
});

function writeFigures() {
  const dir = join(import.meta.dirname, '..', '..', '.tmp', 'reliability');
  mkdirSync(dir, { recursive: true });
  const rows = MATRIX.map((row) => ({
    id: row.id,
    label: row.label,
    cells: Object.fromEntries(
      OPERATIONS.map((op) => {
        const cell = row.cells[op];
        const e = cell.expected;
        const expected =
          e.kind === 'ok'
            ? 'retried-then-ok'
            : e.kind === 'n/a'
              ? 'n/a'
              : `${e.name}${e.status ? ` ${e.status}` : ''}${e.requestID ? ' +request-id' : ''}`;
        return [
          op,
          {
            expected,
            observed: observed[row.id]?.[op] ?? 'not run',
            passed: passedCells.has(`${row.id} × ${op}`),
            attempts: cell.attempts ?? null,
            bug: cell.bug ?? null,
            note: cell.note ?? (e.kind === 'n/a' ? e.why : null),
          },
        ];
      }),
    ),
  }));
  writeFileSync(
    join(dir, 'fault-matrix.json'),
    `${JSON.stringify({ operations: OPERATIONS, rows, bugs: BUGS, fixed: FIXED, figures, drift }, null, 2)}\n`,
  );
}
