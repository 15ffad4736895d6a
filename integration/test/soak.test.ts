/**
 * Soak: a bounded mixed run against a served emulator (real loopback HTTP, the server in a
 * worker thread so client and server each get a core, on the real clock), many batches,
 * concurrency 16, about 5 % of operations preceded by an injected fault (seeded), ending
 * with a ledger reconciled against the emulator's store: every batch the store holds is
 * traced to exactly one create (those whose outcome was unknown included), every cancel
 * accounted for, and every batch's results read back with no line missing or duplicated.
 *
 * Size: `MSGBATCH_SOAK_OPS` (default 1,000 so the regular test run stays quick;
 * `pnpm reliability` asks for 50,000) and `MSGBATCH_SOAK_SECONDS` (default 40), a wall-time
 * budget: the run stops at whichever comes first and reports how many it ran.
 * `MSGBATCH_SOAK_SEED` changes the seed.
 * Writes `.tmp/reliability/soak.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type BatchCreateParams,
  type Clock,
  isMsgbatchError,
  MsgbatchClient,
  NotFoundError,
  systemClock,
} from '@msgbatch/core';
import type { Fault, FaultRule, Operation } from '@msgbatch/emulator';
import { describe, expect, it } from 'vitest';

/** A fault rule without its target operation (the matrix/soak picks that). */
type FaultSpec = Fault & { times?: number; delayMs?: number };

const OPS = Number(process.env.MSGBATCH_SOAK_OPS ?? 1_000);
const SEED = Number(process.env.MSGBATCH_SOAK_SEED ?? 8);
/** Wall-time budget of the mixed run: it stops at OPS or at this, whichever comes first. */
const BUDGET_MS = Number(process.env.MSGBATCH_SOAK_SECONDS ?? 40) * 1000;
const CONCURRENCY = 16;
const FAULT_RATE = 0.05;
/** Emulator processing speed (requests/s per batch) and cancel drain (ms), real time. */
const RATE = 5;
const DRAIN_MS = 400;
/** Client waits (retry backoff, polling) run this many times faster than asked. */
const TIME_SCALE = 100;

/** mulberry32: a small seeded PRNG, so a run can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function requests(n: number, count: number): BatchCreateParams['requests'] {
  return Array.from({ length: count }, (_, i) => ({
    custom_id: `c${n}-${i}`,
    params: {
      model: i % 5 === 4 ? 'gpt-unknown' : 'claude-sonnet-4-5', // some lines errored
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: `q${i}` }],
    },
  }));
}

/** Faults a soak may inject, per wire operation. */
function faultFor(operation: Operation, pick: number): FaultSpec {
  const common: FaultSpec[] = [
    { type: 'status', status: 429, headers: { 'retry-after-ms': '5' } },
    { type: 'status', status: 429 },
    { type: 'status', status: 529, headers: { 'retry-after-ms': '5' } },
    { type: 'status', status: 500 },
    { type: 'status', status: 502 },
    { type: 'status', status: 503 },
    { type: 'status', status: 503, headers: { 'x-should-retry': 'false' } },
    { type: 'reset', phase: 'before-body' },
    { type: 'reset', phase: 'after-body' },
    { type: 'truncate', afterBytes: 30 },
    { type: 'schema-violation' },
    { type: 'delay', delayMs: 800 },
  ];
  // No stalls: a stalled *error* body (a 404 for a deleted batch, say) hangs forever, and a
  // results fault is also consumed by 404 answers (known bug stall-error-body, pinned by the matrix).
  const streamOnly: FaultSpec[] = [{ type: 'malformed-line', afterLines: 1 }];
  const all = operation === 'results' ? [...common, ...streamOnly] : common;
  return all[Math.floor(pick * all.length)]!;
}

interface CreateRecord {
  status: 'created' | 'unknown' | 'failed';
  id?: string;
  error?: string;
}

interface Snapshot {
  batches: {
    id: string;
    processing_status: string;
    cancel_initiated_at: string | null;
    first: string | null;
    requests: number;
    results: string[] | null;
  }[];
  faultsLeft: number;
}

/** The emulator in a worker thread: its URL, a snapshot of its store, and close. */
async function startServer() {
  const worker = new Worker(new URL('./soak.server.mjs', import.meta.url), {
    // The emulator's organization rate limit (20,000 requests a minute) is off: the soak's
    // 429s are the ones it injects and counts; a loopback run goes past the limit by itself.
    workerData: { rate: RATE, seed: SEED, cancelDrainMs: DRAIN_MS, rateLimit: false },
  });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { url: string }) => resolve(m.url));
    worker.once('error', reject);
  });
  const snapshot = () =>
    new Promise<Snapshot>((resolve) => {
      worker.once('message', (m: Snapshot) => resolve(m));
      worker.postMessage({ type: 'snapshot' });
    });
  const addFault = async (rule: FaultRule) => {
    const response = await fetch(`${url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    if (!response.ok) throw new Error(`fault not added: ${await response.text()}`);
  };
  const close = async () => {
    worker.postMessage({ type: 'close' });
    await new Promise((resolve) => worker.once('exit', resolve));
  };
  return { url, snapshot, addFault, close };
}

/** Virtual time for the client: sleeps are TIME_SCALE times shorter, `now()` jumps the rest. */
function fastClock(): Clock & { slept: { count: number; bad: number } } {
  let skipped = 0;
  const slept = { count: 0, bad: 0 };
  return {
    slept,
    now: () => Date.now() + skipped,
    sleep(ms, signal) {
      slept.count++;
      if (!(Number.isFinite(ms) && ms >= 0 && ms <= 60_000)) slept.bad++;
      const real = Math.min(ms, 60_000) / TIME_SCALE;
      skipped += Math.min(ms, 60_000) - real;
      return systemClock.sleep(real, signal);
    },
  };
}

interface CreateRecord {
  status: 'created' | 'unknown' | 'failed';
  size: number;
  id?: string;
}

const expectedIds = (n: number, size: number) =>
  Array.from({ length: size }, (_, i) => `c${n}-${i}`).sort();
const same = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

describe('soak', () => {
  it(`${OPS} mixed operations, ${FAULT_RATE * 100} % faults, concurrency ${CONCURRENCY}: ledger reconciles with the store`, async () => {
    const started = performance.now();
    const rng = prng(SEED);
    const server = await startServer();
    const figures = {
      ops: 0,
      byOp: {} as Record<string, number>,
      errorsByName: {} as Record<string, number>,
      faultsInjected: 0,
      faultsByType: {} as Record<string, number>,
      untypedErrors: [] as string[],
      hangs: 0,
      hangDetails: [] as string[],
      resultsReads: 0,
      resultsLines: 0,
      resultsMismatches: [] as string[],
      summariesReconciled: 0,
      summariesNotReconciled: 0,
      cancelManyIds: 0,
      cancelManyAccounted: 0,
      wireRequests: 0,
      sleeps: 0,
      badSleeps: 0,
    };
    const clock = fastClock();
    const client = new MsgbatchClient({
      apiKey: 'soak-key',
      baseURL: server.url,
      fetch: (input, init) => {
        figures.wireRequests++;
        return fetch(input, init);
      },
      clock,
      random: prng(SEED + 1),
      logLevel: 'off',
      timeout: 1_000,
      idleTimeout: 500,
    });
    const { batches } = client.messages;

    // The ledger: what the client was told.
    const creates = new Map<number, CreateRecord>();
    const known: string[] = [];
    const numberOf = new Map<string, number>();
    /** Real time after which a batch has surely ended (processing, or a cancel's drain). */
    const readyAt = new Map<string, number>();
    const cancelSent = new Set<string>();
    const cancelConfirmed = new Set<string>();
    const deleteSent = new Set<string>();
    const deleteConfirmed = new Set<string>();
    let createCounter = 0;

    const pickKnown = () => known[Math.floor(rng() * known.length)];
    const pickReady = () => {
      const id = pickKnown();
      return id && (readyAt.get(id) ?? Number.POSITIVE_INFINITY) < Date.now() ? id : undefined;
    };
    const canceled = (id: string) =>
      readyAt.set(id, Math.max(readyAt.get(id) ?? 0, Date.now() + DRAIN_MS + 200));

    const WIRE: Record<string, Operation> = {
      create: 'create',
      retrieve: 'retrieve',
      list: 'list',
      cancel: 'cancel',
      delete: 'delete',
      results: 'results',
      waitForEnd: 'retrieve',
      summarize: 'results',
      cancelMany: 'cancel',
    };

    async function operation(
      kind: string,
      faultRoll: number,
      faultPick: number,
      note: (text: string) => void,
    ): Promise<void> {
      if (faultRoll < FAULT_RATE) {
        const rule = faultFor(WIRE[kind]!, faultPick);
        note(`fault ${JSON.stringify(rule)}`);
        await server.addFault({ ...rule, operation: WIRE[kind] } as FaultRule);
        figures.faultsInjected++;
        const name = rule.type === 'status' ? `status ${rule.status}` : rule.type;
        figures.faultsByType[name] = (figures.faultsByType[name] ?? 0) + 1;
      }
      switch (kind) {
        case 'create': {
          const n = createCounter++;
          const size = 1 + Math.floor(rng() * 8);
          creates.set(n, { status: 'unknown', size });
          try {
            const batch = await batches.create({ requests: requests(n, size) });
            creates.set(n, { status: 'created', size, id: batch.id });
            known.push(batch.id);
            numberOf.set(batch.id, n);
            readyAt.set(batch.id, Date.now() + (size / RATE) * 1000 + 200);
          } catch (error) {
            // The batch may exist: the reply was lost, cut or malformed (APIConnectionError kept for safety).
            const mayExist =
              isMsgbatchError(error) &&
              /CreateOutcomeUnknownError|APIConnectionError|ResponseValidationError/.test(
                error.name,
              );
            creates.set(n, { status: mayExist ? 'unknown' : 'failed', size });
            throw error;
          }
          return;
        }
        case 'retrieve': {
          const id = pickKnown();
          if (id) await batches.retrieve(id);
          return;
        }
        case 'list': {
          const after = rng() < 0.5 ? pickKnown() : undefined;
          await batches.list({ limit: 20, ...(after ? { after_id: after } : {}) });
          return;
        }
        case 'cancel': {
          const id = pickKnown();
          if (!id) return;
          cancelSent.add(id);
          canceled(id);
          const batch = await batches.cancel(id);
          if (batch.cancel_initiated_at) cancelConfirmed.add(id);
          return;
        }
        case 'delete': {
          const id = pickReady();
          if (!id) return;
          deleteSent.add(id);
          await batches.delete(id);
          deleteConfirmed.add(id);
          return;
        }
        case 'results': {
          const id = pickReady();
          if (!id) return;
          const seen: string[] = [];
          note(`results of ${id}`);
          const stream = await batches.results(id);
          note(`headers ${stream.requestID}`);
          for await (const line of stream) seen.push(line.custom_id);
          note('read');
          figures.resultsReads++;
          figures.resultsLines += seen.length;
          const n = numberOf.get(id)!;
          if (!same(seen, expectedIds(n, creates.get(n)!.size))) figures.resultsMismatches.push(id);
          return;
        }
        case 'waitForEnd': {
          const id = pickKnown();
          if (!id) return;
          await batches.waitForEnd(id);
          return;
        }
        case 'summarize': {
          const id = pickReady();
          if (!id) return;
          const summary = await batches.summarizeResults(id);
          if (summary.reconciled) figures.summariesReconciled++;
          else figures.summariesNotReconciled++; // a malformed-line fault makes a line unreadable
          return;
        }
        case 'cancelMany': {
          const ids = [pickKnown(), pickKnown(), pickKnown()].filter((x): x is string => !!x);
          for (const id of ids) {
            cancelSent.add(id);
            canceled(id);
          }
          const outcomes = await batches.cancelMany(ids, { concurrency: 2 });
          const distinct = [...new Set(ids)];
          figures.cancelManyIds += distinct.length;
          figures.cancelManyAccounted += distinct.filter(
            (id) => outcomes.filter((o) => o.id === id).length === 1,
          ).length;
          for (const o of outcomes) {
            if (o.status === 'canceled' && o.batch?.cancel_initiated_at) cancelConfirmed.add(o.id);
          }
          return;
        }
      }
    }

    const MIX: [string, number][] = [
      ['create', 12],
      ['retrieve', 30],
      ['list', 9],
      ['cancel', 8],
      ['results', 15],
      ['delete', 3],
      ['waitForEnd', 7],
      ['summarize', 5],
      ['cancelMany', 3],
    ];
    const total = MIX.reduce((n, [, w]) => n + w, 0);
    const pickKind = (roll: number) => {
      let at = roll * total;
      for (const [kind, weight] of MIX) {
        at -= weight;
        if (at < 0) return kind;
      }
      return 'retrieve';
    };

    let next = 0;
    async function worker() {
      while (next < OPS && performance.now() - started < BUDGET_MS) {
        next++;
        const kind = known.length < 4 ? 'create' : pickKind(rng());
        const faultRoll = rng();
        const faultPick = rng();
        figures.ops++;
        figures.byOp[kind] = (figures.byOp[kind] ?? 0) + 1;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const guard = new Promise<'hang'>((resolve) => {
          timer = setTimeout(() => resolve('hang'), 20_000);
        });
        const notes: string[] = [];
        const outcome = await Promise.race([
          operation(kind, faultRoll, faultPick, (text) => notes.push(text)).then(
            () => 'ok' as const,
            (error: unknown) => error,
          ),
          guard,
        ]);
        clearTimeout(timer);
        if (outcome === 'hang') {
          figures.hangs++;
          figures.hangDetails.push(`${kind} ${notes.join('; ')}`);
        } else if (outcome !== 'ok') {
          if (!isMsgbatchError(outcome)) {
            figures.untypedErrors.push(`${kind}: ${String(outcome)}`);
          } else {
            figures.errorsByName[outcome.name] = (figures.errorsByName[outcome.name] ?? 0) + 1;
          }
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const runMs = performance.now() - started;
    figures.sleeps = clock.slept.count;
    figures.badSleeps = clock.slept.bad;
    await fetch(`${server.url}/_emulator/faults`, { method: 'DELETE' });

    // --- Reconciliation, faults off, once every batch has ended (cancel drains included).
    let snapshot = await server.snapshot();
    for (let i = 0; i < 100 && snapshot.batches.some((b) => b.processing_status !== 'ended'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      snapshot = await server.snapshot();
    }
    const store = snapshot.batches;
    const traced = new Map<number, string[]>();
    const orphans: string[] = [];
    for (const batch of store) {
      const n = Number(/^c(\d+)-0$/.exec(batch.first ?? '')?.[1] ?? Number.NaN);
      if (!creates.has(n)) orphans.push(batch.id);
      traced.set(n, [...(traced.get(n) ?? []), batch.id]);
      numberOf.set(batch.id, n);
    }
    const duplicates = [...traced.values()].filter((ids) => ids.length > 1).length;
    let createdFound = 0;
    let unknownResolvedExists = 0;
    let unknownResolvedAbsent = 0;
    const createdMissing: string[] = [];
    const failedButExists: number[] = [];
    for (const [n, record] of creates) {
      const inStore = traced.get(n) ?? [];
      if (record.status === 'created') {
        if (inStore[0] === record.id) createdFound++;
        else if (!deleteSent.has(record.id!)) createdMissing.push(record.id!);
      } else if (record.status === 'unknown') {
        if (inStore.length > 0) unknownResolvedExists++;
        else unknownResolvedAbsent++;
      } else if (inStore.length > 0) {
        failedButExists.push(n);
      }
    }
    const inStore = new Map(store.map((b) => [b.id, b]));
    const deletedStillThere = [...deleteConfirmed].filter((id) => inStore.has(id));
    const canceledUnaccounted = store
      .filter((b) => b.cancel_initiated_at !== null && !cancelSent.has(b.id))
      .map((b) => b.id);
    const confirmedNotCanceled = [...cancelConfirmed].filter(
      (id) => inStore.has(id) && inStore.get(id)!.cancel_initiated_at === null,
    );

    // The client's own view: list walks every batch once; every batch's results read back
    // whole, equal to the store's lines and to what was submitted.
    const verify = client.withOptions({ timeout: 60_000, idleTimeout: 60_000 }).messages.batches;
    const listed: string[] = [];
    for await (const batch of verify.list({ limit: 1000 })) listed.push(batch.id);
    const listMatches = same(
      listed,
      store.map((b) => b.id),
    );
    const finalMismatches: string[] = [];
    let finalLines = 0;
    let queue = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (queue < store.length) {
          const batch = store[queue++]!;
          const summary = await verify.summarizeResults(batch.id);
          const got = Object.values(summary.customIds).flat();
          const n = numberOf.get(batch.id)!;
          finalLines += summary.lines;
          if (
            !summary.reconciled ||
            summary.duplicates.length > 0 ||
            !same(got, batch.results ?? []) ||
            !same(got, expectedIds(n, creates.get(n)?.size ?? -1))
          ) {
            finalMismatches.push(batch.id);
          }
        }
      }),
    );
    const deletedAnswering: string[] = [];
    for (const id of [...deleteConfirmed].slice(0, 50)) {
      const gone = await verify.retrieve(id).then(
        () => false,
        (e: unknown) => e instanceof NotFoundError,
      );
      if (!gone) deletedAnswering.push(id);
    }
    await server.close();

    const count = (status: CreateRecord['status']) =>
      [...creates.values()].filter((r) => r.status === status).length;
    const ledger = {
      batchesInStore: store.length,
      createsAttempted: creates.size,
      createdConfirmed: count('created'),
      createdFound,
      createsUnknown: count('unknown'),
      unknownResolvedExists,
      unknownResolvedAbsent,
      createsFailed: count('failed'),
      failedButExists: failedButExists.length,
      createdMissing: createdMissing.length,
      orphans: orphans.length,
      duplicates,
      deletesConfirmed: deleteConfirmed.size,
      deletedStillThere: deletedStillThere.length + deletedAnswering.length,
      cancelsSent: cancelSent.size,
      cancelsConfirmed: cancelConfirmed.size,
      canceledInStore: store.filter((b) => b.cancel_initiated_at !== null).length,
      canceledUnaccounted: canceledUnaccounted.length,
      confirmedNotCanceled: confirmedNotCanceled.length,
      listWalkMatchesStore: listMatches,
      finalResultsBatches: store.length,
      finalResultsLines: finalLines,
      finalResultsMismatches: finalMismatches.length,
    };
    const reconciled =
      orphans.length === 0 &&
      duplicates === 0 &&
      failedButExists.length === 0 &&
      createdMissing.length === 0 &&
      ledger.deletedStillThere === 0 &&
      canceledUnaccounted.length === 0 &&
      confirmedNotCanceled.length === 0 &&
      listMatches &&
      finalMismatches.length === 0 &&
      figures.resultsMismatches.length === 0 &&
      figures.cancelManyAccounted === figures.cancelManyIds;
    const report = {
      opsTarget: OPS,
      budgetSeconds: BUDGET_MS / 1000,
      stoppedBy: figures.ops >= OPS ? 'count' : 'time budget',
      seed: SEED,
      concurrency: CONCURRENCY,
      faultRate: FAULT_RATE,
      runSeconds: Math.round(runMs) / 1000,
      opsPerSecond: Math.round((figures.ops / runMs) * 1000),
      totalSeconds: Math.round(performance.now() - started) / 1000,
      faultsUnused: snapshot.faultsLeft,
      ...figures,
      resultsMismatches: figures.resultsMismatches.length,
      ledger,
      reconciled,
    };
    const dir = join(import.meta.dirname, '..', '..', '.tmp', 'reliability');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);

    expect(figures.untypedErrors).toEqual([]);
    expect(figures.hangs).toBe(0);
    expect(figures.badSleeps).toBe(0);
    expect(figures.faultsInjected).toBeGreaterThan(0);
    expect(figures.cancelManyAccounted).toBe(figures.cancelManyIds);
    expect(figures.resultsMismatches).toEqual([]);
    expect(orphans).toEqual([]);
    expect(duplicates).toBe(0);
    expect(failedButExists).toEqual([]);
    expect(createdMissing).toEqual([]);
    expect(deletedStillThere).toEqual([]);
    expect(deletedAnswering).toEqual([]);
    expect(canceledUnaccounted).toEqual([]);
    expect(confirmedNotCanceled).toEqual([]);
    expect(listMatches).toBe(true);
    expect(finalMismatches).toEqual([]);
    expect(reconciled).toBe(true);
  }, 600_000);
});
