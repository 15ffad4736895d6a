import type { Operation } from './faults.ts';
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
  /**
   * Rate limit over all batch endpoints, on the emulator clock, with the API's
   * `anthropic-ratelimit-requests-limit/-remaining/-reset` headers on every response.
   * Default `{ requestsPerMinute: 20_000 }` (the limit 2026 captures of batch endpoints
   * showed); `false`: no limit and no headers.
   */
  rateLimit?: { requestsPerMinute: number } | false;
  /**
   * Seconds of the `retry-after` header on a retrieve of a batch that has not ended, as
   * every recorded poll of an in-progress batch carried (`retry-after: 10`). Ended batches,
   * create, list and cancel never carry it. Default `10`; `false`: never sent.
   */
  pollRetryAfter?: number | false;
  /**
   * `anthropic-beta` values accepted; a request naming any other value is refused with
   * the API's 400 (``Unexpected value(s) `x` for the `anthropic-beta` header. …``).
   * Default {@link DEFAULT_BETAS}; `'any'` accepts every value.
   */
  betas?: readonly string[] | 'any';
  /**
   * Behaviour no recording shows, each kept as today's choice and switchable here: see
   * {@link UnverifiedChoices} and the README's fidelity table.
   */
  unverified?: UnverifiedChoices;
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
  /**
   * Called once the API has handled a request (the batch of a create exists now) and
   * before its answer is sent; the answer waits for a returned promise. Also called before
   * a `reset` fault with `phase: 'after-body'` drops the connection; not called for
   * requests a `status` or `before-body` fault answered instead of the API. For tests that
   * act at an exact point, e.g. kill a client process whose create was handled but which
   * has not read the answer yet.
   */
  onHandled?: (event: HandledRequest) => void | Promise<void>;
}

/** What {@link EmulatorOptions.onHandled} is told about a handled request. */
export interface HandledRequest {
  /** The operation, when the method and path name one. */
  operation: Operation | undefined;
  method: string;
  /** The pathname, query excluded. */
  path: string;
  /** The status of the answer the API gave. */
  status: number;
  /** The `request-id` the answer carries. */
  requestId: string;
  /** The id of the batch a successful create made. */
  batchId?: string;
}

/**
 * Behaviour where no recorded interaction shows what the API does. Each default is the
 * emulator's guess (README, "Fidelity", marked "not verified against a recording"); a user
 * who learns the real answer switches it here without waiting for a release.
 */
export interface UnverifiedChoices {
  /**
   * Cancel of an ended batch. `'refuse'` (default): 400 `invalid_request_error`
   * `Batch <id> cannot be canceled because it has already finished processing`.
   * `'return-batch'`: 200 with the ended batch unchanged.
   */
  cancelEnded?: 'refuse' | 'return-batch';
  /**
   * Delete of a batch that is `canceling`. `'refuse'` (default): the in-progress 400.
   * `'allow'`: deleted like an ended batch.
   */
  deleteCanceling?: 'refuse' | 'allow';
  /**
   * A list cursor (`after_id`/`before_id`) that names no batch of the caller's workspace
   * (another workspace's, or unknown). `'empty-page'` (default): an empty page.
   * `'not-found'`: 404 `Message Batch <id> not found.`
   */
  foreignCursor?: 'empty-page' | 'not-found';
  /**
   * Results of an archived batch (29 days after `created_at`). `'not-found'` (default):
   * 404 `Message Batch <id> has no available results.`, `results_url` kept. `'gone'`: the
   * same 404 and `results_url: null`.
   */
  archivedResults?: 'not-found' | 'gone';
  /**
   * What the requests not yet processed become when a batch still `canceling` reaches
   * `expires_at`. `'canceled'` (default) or `'expired'`.
   */
  canceledAtExpiry?: 'canceled' | 'expired';
}

/** `anthropic-beta` values the emulator accepts by default: the batch beta and the documented feature betas its requests may carry. */
export const DEFAULT_BETAS: readonly string[] = [
  'message-batches-2024-09-24',
  'prompt-caching-2024-07-31',
  'pdfs-2024-09-25',
  'token-counting-2024-11-01',
  'output-128k-2025-02-19',
  'token-efficient-tools-2025-02-19',
  'computer-use-2024-10-22',
  'computer-use-2025-01-24',
  'files-api-2025-04-14',
  'mcp-client-2025-04-04',
  'extended-cache-ttl-2025-04-11',
  'interleaved-thinking-2025-05-14',
  'code-execution-2025-05-22',
  'dev-full-thinking-2025-05-14',
  'context-1m-2025-08-07',
  'context-management-2025-06-27',
  'output-300k-2026-03-24',
];

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
  pollRetryAfter: number | undefined;
  betas: ReadonlySet<string> | 'any';
  unverified: Required<UnverifiedChoices>;
  browserAccess: 'like-api' | 'open';
  controlRoute: boolean;
  batchId: (() => string | undefined) | undefined;
  onHandled: ((event: HandledRequest) => void | Promise<void>) | undefined;
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
  const rpm =
    options.rateLimit === false ? undefined : (options.rateLimit?.requestsPerMinute ?? 20_000);
  if (rpm !== undefined && !(rpm >= 1)) {
    throw new TypeError(`rateLimit.requestsPerMinute must be at least 1, got ${rpm}`);
  }
  const pollRetryAfter =
    options.pollRetryAfter === false ? undefined : (options.pollRetryAfter ?? 10);
  if (pollRetryAfter !== undefined && !(pollRetryAfter >= 0)) {
    throw new TypeError(
      `pollRetryAfter must be a non-negative number of seconds or false, got ${pollRetryAfter}`,
    );
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
    pollRetryAfter,
    betas: options.betas === 'any' ? 'any' : new Set(options.betas ?? DEFAULT_BETAS),
    unverified: {
      cancelEnded: options.unverified?.cancelEnded ?? 'refuse',
      deleteCanceling: options.unverified?.deleteCanceling ?? 'refuse',
      foreignCursor: options.unverified?.foreignCursor ?? 'empty-page',
      archivedResults: options.unverified?.archivedResults ?? 'not-found',
      canceledAtExpiry: options.unverified?.canceledAtExpiry ?? 'canceled',
    },
    browserAccess: options.browserAccess ?? 'like-api',
    controlRoute: options.controlRoute ?? false,
    batchId: options.batchId,
    onHandled: options.onHandled,
  };
}
