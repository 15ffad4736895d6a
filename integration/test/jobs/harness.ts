/**
 * The parent side of the kill-and-resume proof: an emulator on 127.0.0.1 (in this process,
 * processing so fast that a batch has ended by the time anyone looks), submitter children
 * (child.mjs) killed with SIGKILL at chosen points, resume children until the job is done,
 * then the checks: every custom_id in exactly one batch, no duplicated batch, the merged
 * results hold each id once, ambiguity reported.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmulator,
  type Emulator,
  type FaultRule,
  type HandledRequest,
} from '@msgbatch/emulator';
import { jobRequestId, writeJobRequests } from '@msgbatch/job-requests';
import { Anthropic, FileJobStore } from '@msgbatch/node';

const CHILD = join(import.meta.dirname, 'child.mjs');

/** Job events the child can kill itself on. */
export type EventKill = {
  type:
    | 'checked'
    | 'chunk-intent'
    | 'chunk-sending'
    | 'chunk-created'
    | 'chunk-unknown'
    | 'chunk-reconciled';
  nth: number;
};

/**
 * Where a run is killed.
 * - a job event: the child SIGKILLs itself inside its `onProgress` (exact);
 * - `create-handled`: the parent kills the child from the emulator's `onHandled` once the
 *   nth create of the run has made its batch, before the answer is sent (between a
 *   create's send and its recording);
 * - `handled`: the same for another operation (a resume's list, retrieve or results);
 * - `after-ms`: the parent kills it after that many ms (random points in time).
 */
export type KillPoint =
  | EventKill
  | {
      type: 'create-handled';
      nth: number;
      /** Count only creates of the batch whose first request has this custom_id. */
      firstId?: string;
    }
  | { type: 'handled'; operation: 'list' | 'retrieve' | 'results'; nth: number }
  | { type: 'after-ms'; ms: number };

/** One job: run 0 creates, later runs resume; each run is killed at its point (if reached). */
export interface Scenario {
  name: string;
  kills: KillPoint[];
  /**
   * `instant` (default): a batch has ended by the time anyone looks, so a resume confirms a
   * candidate by its results' ids. `in-progress`: batches stay in progress until the harness
   * ends them — after a JobAmbiguityError (then resumes again: the ids must settle it) and
   * before the results are read.
   */
  processing?: 'instant' | 'in-progress';
  /** The first kill must land (fixed scenarios); random ones may find the job ended. */
  mustReach?: boolean;
  /** An open bug this scenario shows: it runs as `it.fails` until the bug is fixed. */
  knownBug?: string;
  /** Emulator faults added before the first run. */
  faults?: FaultRule[];
}

export const describeKill = (k: KillPoint) =>
  k.type === 'after-ms'
    ? `after ${k.ms} ms`
    : k.type === 'handled'
      ? `${k.operation} #${k.nth} handled`
      : k.type === 'create-handled' && k.firstId
        ? `create-handled #${k.nth} (batch of ${k.firstId})`
        : `${k.type} #${k.nth}`;

interface RunOutcome {
  kill: KillPoint | undefined;
  /** The process was killed (by the plan). */
  killed: boolean;
  done?: { state: string };
  failed?: { name: string; message: string; chunks?: { index: number; candidates: string[] }[] };
  events: Record<string, number>;
}

/** What one scenario ended with; every count is checked against the emulator's own store. */
export interface ScenarioReport {
  name: string;
  /** Set for a scenario that runs as `it.fails` (an open bug); its counts are listed apart. */
  knownBug?: string;
  requests: number;
  chunks: number;
  runs: number;
  /** Kill points that were reached (the process died there), by description. */
  killsReached: string[];
  /** Kill points planned but not reached (the run ended first). */
  killsNotReached: string[];
  faults: number;
  outcome: 'submitted' | 'ambiguous' | 'failed';
  failure?: string;
  /**
   * Every JobAmbiguityError chunk reported (index, candidates, and `truth`: the batches that
   * hold the chunk's requests when it was reported), over all runs.
   */
  ambiguous: { index: number; candidates: string[]; truth: string[] }[];
  /** Ids of chunks left ambiguous at the end, in no batch (reported, not lost). */
  idsPending: number;
  /** `chunk-unknown` events seen (creates whose answer was lost). */
  unknownEvents: number;
  /** `chunk-reconciled` events: with a batch found / found absent. */
  reconciledFound: number;
  reconciledAbsent: number;
  creates: number;
  batchesInEmulator: number;
  batchesInManifest: number;
  /** Emulator batches no chunk of the manifest names. */
  orphanBatches: number;
  /** Batches holding a chunk's requests beyond the first. */
  duplicateBatches: number;
  idsLost: number;
  idsDuplicated: number;
  /** Chunks whose recorded batch does not hold exactly their requests. */
  chunksMismatched: number;
  resultsLines: number;
  resultsIdsMissing: number;
  resultsIdsRepeated: number;
  /** Result lines whose batch_id is not the batch recorded for their chunk. */
  resultsWrongBatch: number;
}

/** An emulator on 127.0.0.1 plus the JSONL file of a job, shared by scenarios. */
export async function startHarness(options: {
  requests: number;
  /** Omitted: the default (100,000). */
  maxRequestsPerBatch?: number;
  concurrency?: number;
}) {
  let onHandled: ((event: HandledRequest) => Promise<void> | void) | undefined;
  let creates = 0;
  // Every handled request is counted, then passed to the current run's kill hook.
  const hook = (event: HandledRequest) => {
    if (event.operation === 'create' && event.status === 200) creates++;
    return onHandled?.(event);
  };
  // The proof is about creates; a limit this high is never met except by injected 429s.
  const rateLimit = { requestsPerMinute: 1_000_000 };
  const instant = createEmulator({ rate: 1e9, rateLimit, onHandled: hook });
  // Ten requests a second: a 500-request batch is in progress for 50 s, a 100,000-request
  // one for ~3 hours. Its clock follows real time (the client's windows are real times) plus
  // `ahead`, which `endAll` moves past every batch's end.
  const slowRate = 10;
  const slowEmulator = () =>
    createEmulator({
      rate: slowRate,
      rateLimit,
      onHandled: hook,
      clock: 'manual',
      startTime: Date.now(),
    });
  let slow = slowEmulator();
  let ahead = 0;
  const follow = () => slow.clock.set(Math.max(slow.clock.now(), Date.now() + ahead));
  const ticker = setInterval(follow, 2);
  const endAll = () => {
    ahead += ((options.maxRequestsPerBatch ?? 100_000) / slowRate) * 1000 + 3600_000;
    follow();
  };
  const servers = { instant: await instant.listen(), 'in-progress': await slow.listen() };
  let emulator: Emulator = instant;
  let server = servers.instant;
  const dir = mkdtempSync(join(tmpdir(), 'msgbatch-kill-resume-'));
  const file = join(dir, 'requests.jsonl');
  await writeJobRequests(file, options.requests, { kind: 'tiny' });
  const expectedChunks = Math.ceil(options.requests / (options.maxRequestsPerBatch ?? 100_000));
  let serial = 0;

  async function runChild(
    mode: 'create' | 'resume',
    jobId: string,
    storeDir: string,
    kill: KillPoint | undefined,
  ): Promise<RunOutcome> {
    const config = {
      mode,
      baseURL: server.url,
      file,
      storeDir,
      jobId,
      maxRequestsPerBatch: options.maxRequestsPerBatch,
      concurrency: options.concurrency ?? 2,
      kill:
        kill && !['create-handled', 'handled', 'after-ms'].includes(kill.type) ? kill : undefined,
    };
    const child: ChildProcess = fork(CHILD, [JSON.stringify(config)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const outcome: RunOutcome = { kill, killed: false, events: {} };
    child.on('message', (message: Record<string, any>) => {
      if (message.event) {
        let type = message.event.type as string;
        if (type === 'chunk-reconciled') type += message.event.batchId ? ':found' : ':absent';
        outcome.events[type] = (outcome.events[type] ?? 0) + 1;
      }
      if (message.done) outcome.done = { state: message.done.state };
      if (message.failed) outcome.failed = message.failed;
    });
    const killNow = async () => {
      child.kill('SIGKILL');
      await exited;
    };
    let handled = 0;
    onHandled =
      kill?.type === 'create-handled' || kill?.type === 'handled'
        ? async (event) => {
            const wanted = kill.type === 'create-handled' ? 'create' : kill.operation;
            if (event.operation !== wanted || event.status !== 200) return;
            if (kill.type === 'create-handled' && kill.firstId) {
              const first = emulator.store.requests(event.batchId ?? '')?.[0]?.custom_id;
              if (first !== kill.firstId) return;
            }
            if (++handled === kill.nth) await killNow();
          }
        : undefined;
    const timer = kill?.type === 'after-ms' ? setTimeout(() => void killNow(), kill.ms) : undefined;
    const signal = await exited;
    clearTimeout(timer);
    onHandled = undefined;
    outcome.killed = signal === 'SIGKILL';
    if (!outcome.killed && !outcome.done && !outcome.failed) {
      throw new Error(`the ${mode} child exited (${signal ?? 'no signal'}) without an answer`);
    }
    return outcome;
  }

  /** Runs one scenario on an empty emulator and checks everything. */
  async function run(scenario: Scenario): Promise<ScenarioReport> {
    const processing = scenario.processing ?? 'instant';
    if (processing === 'in-progress' && ahead > 0) {
      // A new emulator on real time: an earlier scenario's endAll moved this one's clock hours
      // past the client's, and batches created there would fall outside every window.
      await servers['in-progress'].close();
      slow = slowEmulator();
      ahead = 0;
      servers['in-progress'] = await slow.listen();
    }
    emulator = processing === 'instant' ? instant : slow;
    server = servers[processing];
    emulator.reset();
    for (const fault of scenario.faults ?? []) emulator.faults.add(fault);
    creates = 0;
    const storeDir = join(dir, `store-${++serial}`);
    const jobId = `job_kill_${serial}`;
    const outcomes: RunOutcome[] = [];
    const killsReached: string[] = [];
    const killsNotReached: string[] = [];
    let last: RunOutcome | undefined;
    const ambiguous: ScenarioReport['ambiguous'] = [];
    let ended = false;
    // Planned kills first, then resumes until the job answers without being killed.
    for (let i = 0; ; i++) {
      if (i > scenario.kills.length + 8)
        throw new Error(`${scenario.name}: no end after ${i} runs`);
      const kill = scenario.kills[i];
      // Killed before its first manifest was saved (nothing sent yet): submit again, as a
      // user would; afterwards, resume.
      const started = i > 0 && (await new FileJobStore(storeDir).load(jobId)) !== undefined;
      const mode = started ? 'resume' : 'create';
      const outcome = await runChild(mode, jobId, storeDir, kill);
      outcomes.push(outcome);
      // MSGBATCH_JOBS_DEBUG=<part of a scenario name>: its manifest and batches after each run.
      const debug = process.env.MSGBATCH_JOBS_DEBUG;
      if (debug && scenario.name.includes(debug)) {
        const m = await loadManifest(storeDir, jobId);
        const show = (b: { id: string; created_at: string; processing_status: string }) => [
          b.id,
          b.created_at,
          b.processing_status,
          emulator.store.requests(b.id)?.[0]?.custom_id,
        ];
        console.log(`run ${i}`, JSON.stringify(outcome.events));
        for (const c of m.chunks)
          console.log(c.index, c.state, c.batchId, JSON.stringify(c.attempts));
        console.log(JSON.stringify(emulator.store.list().map(show)));
      }
      if (kill) (outcome.killed ? killsReached : killsNotReached).push(describeKill(kill));
      if (outcome.killed) continue;
      last = outcome;
      // A create that failed after losing an answer (or hitting a fault) is resumed; a
      // resume that failed for another reason than ambiguity is resumed once more.
      if (outcome.done) break;
      if (outcome.failed?.name === 'JobAmbiguityError') {
        for (const c of outcome.failed.chunks ?? []) {
          ambiguous.push({ ...c, truth: holders(c.index, await loadManifest(storeDir, jobId)) });
        }
        // Reported while batches were in progress: once they end, their ids settle it.
        if (processing === 'in-progress' && !ended) {
          endAll();
          ended = true;
          continue;
        }
        break;
      }
      if (i >= scenario.kills.length && outcomes.filter((o) => o.failed).length > 4) break;
    }
    emulator.faults.clear();
    if (processing === 'in-progress') endAll(); // so that the results can be read
    const report = await check(scenario, jobId, storeDir, outcomes, last);
    report.ambiguous = ambiguous;
    report.creates = creates;
    report.killsReached = killsReached;
    report.killsNotReached = killsNotReached;
    return report;
  }

  async function loadManifest(storeDir: string, jobId: string) {
    const manifest = await new FileJobStore(storeDir).load(jobId);
    if (!manifest) throw new Error(`no manifest for ${jobId}`);
    return manifest;
  }

  /** The emulator's batches that hold chunk `index`'s first request. */
  function holders(index: number, manifest: { chunks: { index: number; first: number }[] }) {
    const chunk = manifest.chunks.find((c) => c.index === index);
    if (!chunk) return [];
    const first = jobRequestId(chunk.first);
    return emulator.store
      .list()
      .filter((b) => emulator.store.requests(b.id)?.[0]?.custom_id === first)
      .map((b) => b.id);
  }

  async function check(
    scenario: Scenario,
    jobId: string,
    storeDir: string,
    outcomes: RunOutcome[],
    last: RunOutcome | undefined,
  ): Promise<ScenarioReport> {
    const store = new FileJobStore(storeDir);
    const manifest = await store.load(jobId);
    if (!manifest) throw new Error(`${scenario.name}: no manifest for ${jobId}`);
    // Where every custom_id is, by the emulator's own store.
    const seen = new Map<string, number>();
    const firstIdOf = new Map<string, string[]>();
    const batches = emulator.store.list();
    for (const batch of batches) {
      const requests = emulator.store.requests(batch.id) ?? [];
      for (const r of requests) seen.set(r.custom_id, (seen.get(r.custom_id) ?? 0) + 1);
      const first = requests[0]?.custom_id ?? '';
      firstIdOf.set(first, [...(firstIdOf.get(first) ?? []), batch.id]);
    }
    // Requests of chunks left ambiguous: reported to the caller, not lost.
    const pending = new Uint8Array(options.requests);
    for (const c of manifest.chunks)
      if (c.state === 'ambiguous') pending.fill(1, c.first, c.first + c.count);
    let idsLost = 0;
    let idsPending = 0;
    let idsDuplicated = 0;
    for (let i = 0; i < options.requests; i++) {
      const n = seen.get(jobRequestId(i)) ?? 0;
      if (n === 0 && pending[i]) idsPending++;
      else if (n === 0) idsLost++;
      if (n > 1) idsDuplicated++;
    }
    const recorded = new Set(manifest.chunks.flatMap((c) => (c.batchId ? [c.batchId] : [])));
    let chunksMismatched = 0;
    let duplicateBatches = 0;
    for (const chunk of manifest.chunks) {
      const holders = firstIdOf.get(jobRequestId(chunk.first)) ?? [];
      duplicateBatches += Math.max(0, holders.length - 1);
      if (!chunk.batchId) continue;
      const requests = emulator.store.requests(chunk.batchId) ?? [];
      const exact =
        requests.length === chunk.count &&
        requests.every((r, k) => r.custom_id === jobRequestId(chunk.first + k));
      if (!exact) chunksMismatched++;
    }
    const outcome = last?.done
      ? 'submitted'
      : last?.failed?.name === 'JobAmbiguityError'
        ? 'ambiguous'
        : 'failed';

    // The merged results, read as a user reads them.
    let resultsLines = 0;
    let resultsIdsRepeated = 0;
    let resultsWrongBatch = 0;
    let resultsIdsMissing = 0;
    if (outcome === 'submitted') {
      const client = new Anthropic({
        apiKey: 'sk-ant-kill-resume',
        baseURL: server.url,
        logLevel: 'off',
      });
      // The batch recorded for each request's chunk.
      const batchOf = new Array<string | undefined>(options.requests);
      for (const c of manifest.chunks) batchOf.fill(c.batchId, c.first, c.first + c.count);
      const got = new Uint8Array(options.requests);
      for await (const line of client.messages.batches.jobResults(jobId, { store })) {
        resultsLines++;
        const index = Number(line.custom_id.slice(line.custom_id.lastIndexOf('-') + 1));
        if (got[index]) resultsIdsRepeated++;
        got[index] = 1;
        if (line.batch_id !== batchOf[index]) resultsWrongBatch++;
      }
      resultsIdsMissing = got.reduce((n, v) => n + (v ? 0 : 1), 0);
    }
    const events = (type: string) => outcomes.reduce((n, o) => n + (o.events[type] ?? 0), 0);
    return {
      name: scenario.name,
      requests: options.requests,
      chunks: manifest.chunks.length || expectedChunks,
      runs: outcomes.length,
      killsReached: [],
      killsNotReached: [],
      faults: scenario.faults?.length ?? 0,
      outcome,
      ...(outcome === 'failed'
        ? { failure: `${last?.failed?.name}: ${last?.failed?.message}` }
        : {}),
      ambiguous: [],
      idsPending,
      unknownEvents: events('chunk-unknown'),
      reconciledFound: events('chunk-reconciled:found'),
      reconciledAbsent: events('chunk-reconciled:absent'),
      creates: 0,
      batchesInEmulator: batches.length,
      batchesInManifest: recorded.size,
      orphanBatches: batches.filter((b) => !recorded.has(b.id)).length,
      duplicateBatches,
      idsLost,
      idsDuplicated,
      chunksMismatched,
      resultsLines,
      resultsIdsMissing,
      resultsIdsRepeated,
      resultsWrongBatch,
    };
  }

  return {
    file,
    expectedChunks,
    run,
    async close() {
      clearInterval(ticker);
      await servers.instant.close();
      await servers['in-progress'].close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
