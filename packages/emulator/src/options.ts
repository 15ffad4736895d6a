import type { OutcomeFunction } from './outcomes.ts';
import { resolveWorkspaces, type WorkspaceDirectory } from './workspaces.ts';

/** Options of {@link createEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /**
   * Accepted credentials: values of `x-api-key` or of `Authorization: Bearer …`.
   * When omitted, any non-empty credential is accepted.
   */
  apiKeys?: readonly string[];
  /**
   * Workspaces and the credentials that belong to each, e.g.
   * `{ wrkspc_teamA: ['sk-a1', 'sk-a2'], wrkspc_teamB: ['sk-b'] }` (ids are `wrkspc_` + letters
   * and digits). A batch belongs to the workspace of the credential that created it: every
   * credential of that workspace can retrieve, list, cancel and delete it and read its results;
   * to any other workspace its id answers like an unknown one (404). Listed credentials are
   * accepted even when `apiKeys` omits them; every other accepted credential belongs to one
   * default workspace, whose id derives from `seed`. When omitted, all credentials share that
   * one workspace. Every authenticated response names its workspace in `anthropic-workspace-id`.
   *
   * A credential in one workspace may send the `anthropic-workspace-id` request header only
   * with that workspace's id; a credential listed under several workspaces must send it to
   * choose one. Anything else is refused with a 400 before the operation runs.
   *
   * Hint: `rateLimit` stays one budget for the whole emulator (the organization's).
   */
  workspaces?: Readonly<Record<string, readonly string[]>>;
  /** Requests processed per second, per batch, on the emulator clock. Default `1000`. */
  rate?: number;
  /** `'real'` (default) follows wall time; `'manual'` moves only through `emulator.clock.advance(ms)`. */
  clock?: 'real' | 'manual';
  /** Start of a manual clock. Default `2026-01-01T00:00:00Z`, so seeded runs are reproducible. */
  startTime?: Date | number;
  /** Seed of every id, outcome and shuffle. Default `'msgbatch'`. */
  seed?: string | number;
  /**
   * Origin put in `results_url`. When omitted, the origin the request arrived on
   * is used (so the URL always resolves back to the emulator the client talks to).
   */
  publicBaseURL?: string;
  /** Decides each processed request's outcome; return `undefined` to use the default rule. */
  outcome?: OutcomeFunction;
  /** Share (0–1) of the not-yet-processed requests that are in flight at cancel time and still finish. Default `0.1`. */
  nonInterruptibleShare?: number;
  /** Time from a cancel to `ended`, in ms of emulator time. Default `1000`. */
  cancelDrainMs?: number;
  /** `false` (default): only `processing` is non-zero until the batch ends (the documented rule). `true`: counts fill as requests finish. */
  progressiveCounts?: boolean;
  /** Optional rate limit over all batch endpoints, on the emulator clock. */
  rateLimit?: { requestsPerMinute: number };
  /**
   * `'like-api'` (default): a request with an `Origin` header is refused (401) unless it sends
   * `anthropic-dangerous-direct-browser-access: true`. `'open'`: browser requests are accepted as is.
   * Preflights are answered permissively in both modes.
   */
  browserAccess?: 'like-api' | 'open';
  /** Serve `/_emulator/*` (fault injection, clock, inspection) over HTTP. Off by default. */
  controlRoute?: boolean;
  /**
   * Chooses the id of each new batch, e.g. to run a documented example that names
   * `message_batch_id`. Return `undefined` (or an id already in use) for a generated one.
   */
  batchId?: () => string | undefined;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  /** `apiKeys` plus every credential listed in `workspaces`; `undefined`: any credential. */
  apiKeys: ReadonlySet<string> | undefined;
  workspaces: WorkspaceDirectory;
  rate: number;
  seed: string;
  publicBaseURL: string | undefined;
  outcome: OutcomeFunction | undefined;
  nonInterruptibleShare: number;
  cancelDrainMs: number;
  progressiveCounts: boolean;
  requestsPerMinute: number | undefined;
  browserAccess: 'like-api' | 'open';
  controlRoute: boolean;
  batchId: (() => string | undefined) | undefined;
}

/** Checks and fills in the options; throws a TypeError naming a bad value. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const rate = options.rate ?? 1000;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new TypeError(`rate must be a positive number of requests per second, got ${rate}`);
  }
  const share = options.nonInterruptibleShare ?? 0.1;
  if (!(share >= 0 && share <= 1)) {
    throw new TypeError(`nonInterruptibleShare must be between 0 and 1, got ${share}`);
  }
  const drain = options.cancelDrainMs ?? 1000;
  if (!(drain >= 0) || !Number.isFinite(drain)) {
    throw new TypeError(`cancelDrainMs must be a non-negative number, got ${drain}`);
  }
  const rpm = options.rateLimit?.requestsPerMinute;
  if (rpm !== undefined && !(rpm >= 1)) {
    throw new TypeError(`rateLimit.requestsPerMinute must be at least 1, got ${rpm}`);
  }
  const seed = String(options.seed ?? 'msgbatch');
  const workspaces = resolveWorkspaces(options.workspaces, seed);
  return {
    apiKeys: options.apiKeys
      ? new Set([...options.apiKeys, ...workspaces.byCredential.keys()])
      : undefined,
    workspaces,
    rate,
    seed,
    publicBaseURL: options.publicBaseURL?.replace(/\/+$/, ''),
    outcome: options.outcome,
    nonInterruptibleShare: share,
    cancelDrainMs: drain,
    progressiveCounts: options.progressiveCounts ?? false,
    requestsPerMinute: rpm,
    browserAccess: options.browserAccess ?? 'like-api',
    controlRoute: options.controlRoute ?? false,
    batchId: options.batchId,
  };
}
