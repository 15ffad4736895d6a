// The dashboard page: batches through the project's own browser path (a short-lived token
// from the dashboard server, calls through its proxy). Hand-written DOM, no framework.
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BrowserClient,
  type MessageBatch,
  PermissionDeniedError,
  parseRetryAfter,
  RateLimitError,
} from '@msgbatch/browser';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const COUNTS = ['succeeded', 'errored', 'canceled', 'expired'] as const;
type Outcome = (typeof COUNTS)[number];
const STATUS_LABEL: Record<string, string> = {
  in_progress: 'In progress',
  canceling: 'Canceling',
  ended: 'Ended',
};
/** Pause between two list refreshes, unless the server asks for longer (retry-after). */
const LIST_REFRESH_MS = 5000;
const DETAIL_REFRESH_MS = 2000;
/** custom_ids shown at first, and added by each "Show more"; the downloads have them all. */
const IDS_PAGE = 300;

/** The dashboard server refused the token: the login session is gone. */
class SessionExpired extends Error {
  override name = 'SessionExpired';
}

interface TokenInfo {
  token: string;
  scopes: string[];
  readOnly: boolean;
  upstream: string;
  proxyURL: string;
  /** The server was given a folder of job manifests (`msgbatch dashboard --jobs DIR`). */
  jobs?: boolean;
}

/** A job as `/api/jobs` gives it: its batches by chunk. */
interface JobGroup {
  jobId: string;
  state: string;
  createdAt: string;
  source: string | null;
  requests: number;
  chunks: { index: number; count: number; state: string; batchId: string | null }[];
}

const state = {
  client: undefined as BrowserClient | undefined,
  info: undefined as TokenInfo | undefined,
  batches: [] as MessageBatch[],
  jobs: [] as JobGroup[],
  filter: 'all',
  search: '',
  sort: { key: 'created', dir: -1 },
  updated: undefined as Date | undefined,
  nextRefresh: undefined as ReturnType<typeof setTimeout> | undefined,
  detail: undefined as { id: string; stop: AbortController } | undefined,
  outcomes: undefined as
    | { id: string; ids: Record<Outcome, string[]>; counts: Record<string, number> }
    | undefined,
  tab: 'canceled' as Outcome,
  idsShown: IDS_PAGE,
  connected: true,
};

const canCancel = () => state.info?.scopes.includes('batches:cancel') === true;

// ---------- formatting ----------

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const numberFormat = new Intl.NumberFormat();
/** `req-2` before `req-10`. */
const naturalOrder = new Intl.Collator(undefined, { numeric: true }).compare;
const n = (value: number) => numberFormat.format(value);

function timeCell(iso: string | null): HTMLElement {
  if (!iso) return Object.assign(document.createElement('span'), { textContent: '—' });
  const time = document.createElement('time');
  time.dateTime = iso;
  // One break opportunity, between the date and the clock time: a narrow column wraps there.
  const parts = timeFormat.formatToParts(new Date(iso));
  const hour = parts.findIndex((p) => p.type === 'hour');
  const join = (from: number, to?: number) =>
    parts
      .slice(from, to)
      .map((p) => p.value)
      .join('')
      .trim()
      .replace(/\s+/g, '\u00a0');
  time.textContent = hour > 0 ? `${join(0, hour)} ${join(hour)}` : join(0);
  return time;
}

const totalOf = (b: MessageBatch) =>
  b.request_counts.processing + COUNTS.reduce((sum, k) => sum + b.request_counts[k], 0);
const doneOf = (b: MessageBatch) => totalOf(b) - b.request_counts.processing;

function bar(batch: MessageBatch, element?: HTMLElement): HTMLElement {
  const root = element ?? document.createElement('div');
  root.className = 'bar';
  const total = totalOf(batch) || 1;
  root.replaceChildren(
    ...(
      [
        ['succeeded', 's'],
        ['errored', 'e'],
        ['canceled', 'c'],
        ['expired', 'x'],
      ] as const
    ).map(([key, cls]) => {
      const span = document.createElement('span');
      span.className = cls;
      span.style.width = `${(batch.request_counts[key] / total) * 100}%`;
      return span;
    }),
  );
  return root;
}

function countsLine(batch: MessageBatch): string {
  const c = batch.request_counts;
  const parts = [`${n(doneOf(batch))} / ${n(totalOf(batch))} done`];
  for (const key of COUNTS) if (c[key] > 0) parts.push(`${n(c[key])} ${key}`);
  return parts.join(' · ');
}

// ---------- banners and errors ----------

function banner(text: string, { relogin = false } = {}) {
  $('banner-text').textContent = text;
  $('banner-relogin').hidden = !relogin;
  $('banner').hidden = false;
}

function clearBanner() {
  $('banner').hidden = true;
}

function isSessionExpired(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof SessionExpired || e instanceof AuthenticationError) return true;
  }
  return false;
}

/** Shows what went wrong and what to do; returns the pause the server asked for, if any. */
function showError(error: unknown): number | undefined {
  if (isSessionExpired(error)) {
    stopRefresh();
    banner('Your session has ended (401). Log in again with the code from your terminal.', {
      relogin: true,
    });
    return undefined;
  }
  if (error instanceof PermissionDeniedError) {
    const inner = (error.error as { error?: { message?: string } } | null)?.error?.message;
    banner(`Not allowed (403): ${inner ?? error.message}`);
    return undefined;
  }
  if (error instanceof RateLimitError) {
    banner('The API asks to slow down (429); refreshing again when it says.');
    return error.retryAfterMs ?? undefined;
  }
  if (error instanceof APIConnectionError) {
    setConnected(false);
    banner('Connection lost: the dashboard server does not answer. Retrying…');
    return undefined;
  }
  if (error instanceof APIError) {
    banner(`The API answered ${error.status}: ${error.message}`);
    return undefined;
  }
  banner(error instanceof Error ? error.message : String(error));
  return undefined;
}

function setConnected(connected: boolean) {
  state.connected = connected;
  renderMeta();
}

function renderMeta() {
  const meta = $('meta');
  if (!state.info) return meta.replaceChildren();
  const dot = document.createElement('span');
  dot.className = state.connected ? 'dot' : 'dot off';
  dot.setAttribute('aria-hidden', 'true');
  const scopes = state.info.scopes.map((s) => s.replace('batches:', '')).join(', ');
  const updated = state.updated ? ` · updated ${state.updated.toLocaleTimeString()}` : '';
  meta.replaceChildren(
    dot,
    `${state.connected ? 'Connected to' : 'Lost'} ${state.info.upstream} · token: ${scopes}${state.info.readOnly ? ' (read-only)' : ''}${updated}`,
  );
}

// ---------- session ----------

async function fetchToken(): Promise<TokenInfo> {
  let reply: Response;
  try {
    reply = await fetch('/api/token', { method: 'POST' });
  } catch (error) {
    throw new APIConnectionError(undefined, { cause: error });
  }
  if (reply.status === 401) throw new SessionExpired('Log in first.');
  if (!reply.ok) throw new Error(`The dashboard server answered ${reply.status}.`);
  return (await reply.json()) as TokenInfo;
}

async function logIn(code: string): Promise<boolean> {
  const reply = await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return reply.ok;
}

function showLogin(message = '') {
  stopRefresh();
  state.detail?.stop.abort();
  $('list').hidden = true;
  $('detail').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $<HTMLInputElement>('login-code').focus();
}

async function start() {
  try {
    state.info = await fetchToken();
  } catch (error) {
    if (error instanceof SessionExpired) return showLogin();
    showError(error);
    return;
  }
  state.client = new BrowserClient({
    baseURL: state.info.proxyURL,
    logLevel: 'off',
    // The server mints a 5-minute token for this session; the client caches and renews it.
    getToken: async () => {
      const info = await fetchToken();
      state.info = info;
      return info.token;
    },
  });
  $('login').hidden = true;
  clearBanner();
  renderScopeNote();
  renderMeta();
  route();
}

function renderScopeNote() {
  const note = $('scope-note');
  note.hidden = canCancel();
  note.textContent =
    'Cancel is off: this dashboard runs read-only (its token has no batches:cancel scope). Restart msgbatch dashboard without --read-only to cancel.';
}

// ---------- list ----------

function stopRefresh() {
  if (state.nextRefresh) clearTimeout(state.nextRefresh);
  state.nextRefresh = undefined;
}

function scheduleRefresh(ms: number) {
  stopRefresh();
  const at = new Date(Date.now() + ms);
  $('refresh').textContent = `Next refresh at ${at.toLocaleTimeString()}`;
  $('refresh').dataset.nextRefresh = String(at.getTime());
  state.nextRefresh = setTimeout(() => void refreshList(), ms);
}

async function refreshList() {
  const client = state.client;
  if (!client) return;
  let wait = LIST_REFRESH_MS;
  try {
    const { data: page, response } = await client.messages.batches
      // The page plans its own next call (honouring retry-after): no retries inside this one.
      .list({ limit: 100 }, { maxRetries: 0 })
      .withResponse();
    state.batches = page.data;
    await refreshJobs();
    state.updated = new Date();
    if (!state.connected) setConnected(true);
    if ($('banner-relogin').hidden) clearBanner();
    renderList();
    renderMeta();
    wait = Math.max(wait, parseRetryAfter(response.headers) ?? 0);
  } catch (error) {
    const asked = showError(error);
    if (isSessionExpired(error)) return;
    wait = Math.max(wait, asked ?? 0);
  }
  if (!$('list').hidden) scheduleRefresh(wait);
}

/** The jobs of the server's `--jobs` folder (none without it); a failed read keeps the last ones. */
async function refreshJobs() {
  if (!state.info?.jobs) return;
  try {
    const reply = await fetch('/api/jobs');
    if (reply.ok) state.jobs = ((await reply.json()) as { jobs: JobGroup[] }).jobs;
  } catch {
    // The list refresh reports connection problems; the groups stay as they were.
  }
}

const SORTS: Record<string, (a: MessageBatch, b: MessageBatch) => number> = {
  id: (a, b) => a.id.localeCompare(b.id),
  status: (a, b) => a.processing_status.localeCompare(b.processing_status),
  progress: (a, b) => doneOf(a) / (totalOf(a) || 1) - doneOf(b) / (totalOf(b) || 1),
  created: (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at),
  ended: (a, b) => Date.parse(a.ended_at ?? '9999') - Date.parse(b.ended_at ?? '9999'),
};

function visibleBatches(): MessageBatch[] {
  const search = state.search.trim().toLowerCase();
  const compare = SORTS[state.sort.key]!;
  return state.batches
    .filter((b) => state.filter === 'all' || b.processing_status === state.filter)
    .filter((b) => !search || b.id.toLowerCase().includes(search))
    .sort((a, b) => compare(a, b) * state.sort.dir);
}

function renderList() {
  for (const key of ['all', 'in_progress', 'canceling', 'ended']) {
    const count = state.batches.filter((b) => key === 'all' || b.processing_status === key).length;
    const el = document.querySelector(`[data-count="${key}"]`);
    if (el) el.textContent = String(count);
  }
  const visible = visibleBatches();
  const rows = state.jobs.length > 0 ? groupedRows(visible) : visible.map(renderRow);
  $('rows').replaceChildren(...rows);
  $('empty').hidden = visible.length > 0;
}

/**
 * The rows with jobs as groups: each job's header (its totals over the batches listed),
 * then its batches in the list's order; then the batches of no job.
 */
function groupedRows(visible: MessageBatch[]): HTMLTableRowElement[] {
  const rows: HTMLTableRowElement[] = [];
  const inSomeJob = new Set<string>();
  const filtered = state.filter !== 'all' || state.search.trim() !== '';
  for (const job of state.jobs) {
    const ids = new Set(job.chunks.flatMap((c) => (c.batchId ? [c.batchId] : [])));
    const members = visible.filter((b) => ids.has(b.id));
    for (const id of ids) inSomeJob.add(id);
    if (members.length === 0 && filtered) continue;
    rows.push(
      jobRow(
        job,
        state.batches.filter((b) => ids.has(b.id)),
      ),
    );
    for (const batch of members) {
      const row = renderRow(batch);
      row.dataset.job = job.jobId;
      row.classList.add('in-job');
      rows.push(row);
    }
  }
  const others = visible.filter((b) => !inSomeJob.has(b.id));
  if (others.length > 0) {
    rows.push(headerRow('Other batches', 'Batches of no job'));
    rows.push(...others.map(renderRow));
  }
  return rows;
}

function headerRow(title: string, detail: string): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.className = 'group-row';
  const cell = document.createElement('th');
  cell.scope = 'rowgroup';
  cell.colSpan = 6;
  const name = document.createElement('strong');
  name.textContent = title;
  const small = document.createElement('small');
  small.textContent = detail;
  cell.append(name, ' ', small);
  row.append(cell);
  return row;
}

/** A job's header row: id, file, state, batches listed of all, and the summed progress. */
function jobRow(job: JobGroup, batches: MessageBatch[]): HTMLTableRowElement {
  const created = job.chunks.filter((c) => c.batchId).length;
  const parts = [
    job.source ?? '',
    `${n(job.chunks.length)} batch${job.chunks.length === 1 ? '' : 'es'}`,
    `${n(job.requests)} requests`,
    job.state,
  ].filter(Boolean);
  if (created < job.chunks.length) parts.push(`${n(job.chunks.length - created)} not created`);
  if (batches.length < created) parts.push(`${n(created - batches.length)} not in the list`);
  const row = headerRow(`Job ${job.jobId}`, parts.join(' · '));
  row.dataset.jobId = job.jobId;
  const running = batches.filter((b) => b.processing_status === 'in_progress').map((b) => b.id);
  if (running.length > 0) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button danger small cancel-job';
    button.textContent = 'Cancel job';
    button.setAttribute('aria-label', `Cancel job ${job.jobId}`);
    if (!canCancel()) {
      button.disabled = true;
      button.title = 'Read-only: the token has no batches:cancel scope';
      button.setAttribute('aria-describedby', 'scope-note');
    }
    button.addEventListener('click', () => void confirmCancelJob(job.jobId, running));
    row.cells[0]!.prepend(button);
  }
  if (batches.length > 0) {
    const sum = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const b of batches)
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += b.request_counts[k];
    const total = { ...batches[0]!, request_counts: sum } as MessageBatch;
    const progress = document.createElement('div');
    progress.className = 'job-progress';
    const small = document.createElement('small');
    small.textContent = countsLine(total);
    progress.append(bar(total), small);
    row.cells[0]!.append(progress);
  }
  return row;
}

function badge(status: string): HTMLElement {
  const el = document.createElement('span');
  el.className = 'badge';
  el.dataset.status = status;
  el.textContent = STATUS_LABEL[status] ?? status;
  return el;
}

function renderRow(batch: MessageBatch): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.batchId = batch.id;
  row.dataset.status = batch.processing_status;
  const id = row.insertCell();
  id.className = 'id';
  const link = Object.assign(document.createElement('a'), {
    href: `#batch/${encodeURIComponent(batch.id)}`,
    textContent: batch.id,
  });
  id.append(link);
  row.insertCell().append(badge(batch.processing_status));
  const progress = row.insertCell();
  progress.className = 'progress';
  const small = document.createElement('small');
  small.textContent = countsLine(batch);
  progress.append(bar(batch), small);
  const created = row.insertCell();
  created.className = 'time';
  created.dataset.label = 'Created';
  created.append(timeCell(batch.created_at));
  const ended = row.insertCell();
  ended.className = 'time';
  ended.dataset.label = 'Ended';
  ended.append(timeCell(batch.ended_at));
  const actions = row.insertCell();
  actions.className = 'actions';
  if (batch.processing_status === 'in_progress') {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button danger small cancel';
    button.textContent = 'Cancel';
    button.setAttribute('aria-label', `Cancel ${batch.id}`);
    if (!canCancel()) {
      button.disabled = true;
      button.title = 'Read-only: the token has no batches:cancel scope';
      button.setAttribute('aria-describedby', 'scope-note');
    }
    button.addEventListener('click', () => void confirmCancel(batch.id));
    actions.append(button);
  }
  return row;
}

// ---------- cancel ----------

async function confirmCancel(id: string) {
  const dialog = $<HTMLDialogElement>('confirm');
  $('confirm-text').textContent =
    `Batch ${id} stops taking new requests. Requests already being processed finish; the rest are canceled. This cannot be undone.`;
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
  if (dialog.returnValue !== 'cancel') return;
  try {
    await state.client!.messages.batches.cancel(id);
  } catch (error) {
    showError(error);
    return;
  }
  location.hash = `#batch/${encodeURIComponent(id)}`;
}

/** Cancels every listed batch of a job that is in progress, after the same confirmation. */
async function confirmCancelJob(jobId: string, ids: string[]) {
  const dialog = $<HTMLDialogElement>('confirm');
  const title = $('confirm-title');
  const yes = $('confirm-yes');
  const [oldTitle, oldYes] = [title.textContent, yes.textContent];
  title.textContent = 'Cancel this job?';
  yes.textContent = `Cancel ${ids.length} batch${ids.length === 1 ? '' : 'es'}`;
  $('confirm-text').textContent =
    `${ids.length} batch${ids.length === 1 ? '' : 'es'} of job ${jobId} stop taking new requests. Requests already being processed finish; the rest are canceled. This cannot be undone.`;
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
  title.textContent = oldTitle;
  yes.textContent = oldYes;
  if (dialog.returnValue !== 'cancel') return;
  try {
    const outcomes = await state.client!.messages.batches.cancelMany(ids);
    const failed = outcomes.find((o) => o.status === 'failed' || o.status === 'not_found');
    if (failed) showError(failed.error ?? new Error(`${failed.id}: ${failed.status}`));
  } catch (error) {
    showError(error);
  }
  stopRefresh();
  await refreshList();
}

// ---------- detail ----------

function detailTitle(batch: MessageBatch): string {
  if (batch.processing_status === 'canceling') return 'Canceling…';
  if (batch.processing_status === 'in_progress') return 'In progress';
  return batch.cancel_initiated_at ? 'Ended (canceled)' : 'Ended';
}

function renderDetail(batch: MessageBatch) {
  $('detail-title').textContent = detailTitle(batch);
  $('detail-id').textContent = batch.id;
  const total = totalOf(batch);
  const percent = total ? Math.round((doneOf(batch) / total) * 100) : 100;
  const barEl = $('detail-bar');
  bar(batch, barEl);
  barEl.className = 'bar';
  barEl.setAttribute('aria-valuenow', String(percent));
  barEl.setAttribute('aria-valuetext', `${percent}% done`);
  $('detail-counts').replaceChildren(
    ...(['processing', ...COUNTS] as const).map((key) => {
      const div = document.createElement('div');
      div.dataset.count = key;
      const dt = Object.assign(document.createElement('dt'), { textContent: key });
      const dd = Object.assign(document.createElement('dd'), {
        textContent: n(batch.request_counts[key]),
      });
      div.append(dt, dd);
      return div;
    }),
  );
  const times = $('detail-times');
  times.replaceChildren('Created ', timeCell(batch.created_at));
  if (batch.cancel_initiated_at)
    times.append(' · cancel asked ', timeCell(batch.cancel_initiated_at));
  if (batch.ended_at) times.append(' · ended ', timeCell(batch.ended_at));
  const cancel = $<HTMLButtonElement>('detail-cancel');
  cancel.hidden = batch.processing_status !== 'in_progress';
  cancel.disabled = !canCancel();
  $('detail-cancel-note').textContent =
    !cancel.hidden && !canCancel() ? 'Read-only: the token has no batches:cancel scope.' : '';
}

async function follow(id: string) {
  state.detail?.stop.abort();
  const stop = new AbortController();
  state.detail = { id, stop };
  state.outcomes = undefined;
  $('outcomes').hidden = true;
  $('detail-title').textContent = 'Loading…';
  $('detail-id').textContent = id;
  const batches = state.client!.messages.batches;
  while (!stop.signal.aborted) {
    let wait = DETAIL_REFRESH_MS;
    try {
      const { data: batch, response } = await batches
        .retrieve(id, { signal: stop.signal, maxRetries: 0 })
        .withResponse();
      if (stop.signal.aborted) return;
      if (!state.connected) setConnected(true);
      if ($('banner-relogin').hidden) clearBanner();
      renderDetail(batch);
      if (batch.processing_status === 'ended') return loadOutcomes(batch, stop.signal);
      wait = Math.max(wait, parseRetryAfter(response.headers) ?? 0);
    } catch (error) {
      if (stop.signal.aborted) return;
      const asked = showError(error);
      if (isSessionExpired(error)) return;
      wait = Math.max(wait, asked ?? 0);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function loadOutcomes(batch: MessageBatch, signal: AbortSignal) {
  try {
    const summary = await state.client!.messages.batches.summarizeResults(batch.id, { signal });
    if (signal.aborted) return;
    const ids = Object.fromEntries(
      COUNTS.map((type) => [type, [...(summary.customIds[type] ?? [])].sort(naturalOrder)]),
    ) as Record<Outcome, string[]>;
    state.outcomes = { id: batch.id, ids, counts: summary.counts };
    $('outcomes-check').textContent = summary.reconciled
      ? 'The results agree with the batch’s request counts.'
      : 'The results and the request counts disagree; the lists show what the results say.';
    state.tab = ids.canceled.length > 0 ? 'canceled' : 'succeeded';
    state.idsShown = IDS_PAGE;
    $('outcomes').hidden = false;
    renderOutcomes();
  } catch (error) {
    if (!signal.aborted) showError(error);
  }
}

function renderOutcomes() {
  const outcomes = state.outcomes;
  if (!outcomes) return;
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role=tab]')) {
    const type = tab.dataset.type as Outcome;
    const selected = type === state.tab;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    tab.querySelector('.n')!.textContent = n(outcomes.ids[type].length);
    if (selected) $('ids-panel').setAttribute('aria-labelledby', tab.id);
  }
  const search = $<HTMLInputElement>('ids-search').value.trim().toLowerCase();
  const all = outcomes.ids[state.tab];
  const matching = search ? all.filter((id) => id.toLowerCase().includes(search)) : all;
  const shown = matching.slice(0, state.idsShown);
  $('ids').replaceChildren(
    ...shown.map((id) => Object.assign(document.createElement('li'), { textContent: id })),
  );
  const more = $<HTMLButtonElement>('ids-more');
  more.hidden = matching.length <= shown.length;
  more.textContent = `Show ${n(Math.min(IDS_PAGE, matching.length - shown.length))} more`;
  $('ids-shown').textContent =
    matching.length > shown.length
      ? `Showing ${n(shown.length)} of ${n(matching.length)} ${state.tab}${search ? ' matching' : ''}`
      : `${n(matching.length)} ${state.tab}${search ? ' matching' : ''}`;
}

function download(name: string, type: string, parts: BlobPart[]) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function outcomeRows(): [string, Outcome][] {
  const ids = state.outcomes!.ids;
  return COUNTS.flatMap((type) => ids[type].map((id): [string, Outcome] => [id, type]));
}

const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

async function downloadResults() {
  const id = state.outcomes?.id;
  if (!id) return;
  const button = $<HTMLButtonElement>('download-results');
  button.disabled = true;
  button.textContent = 'Downloading…';
  try {
    const results = await state.client!.messages.batches.results(id);
    const parts: string[] = [];
    for await (const line of results.lines()) parts.push(`${line}\n`);
    download(`${id}-results.jsonl`, 'application/x-ndjson', parts);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
    button.textContent = 'Results file';
  }
}

// ---------- routing and events ----------

function route() {
  if (!state.client) return;
  const match = /^#batch\/(.+)$/.exec(location.hash);
  if (match) {
    stopRefresh();
    $('list').hidden = true;
    $('detail').hidden = false;
    void follow(decodeURIComponent(match[1]!));
    $('detail-title').focus?.();
  } else {
    state.detail?.stop.abort();
    state.detail = undefined;
    $('detail').hidden = true;
    $('list').hidden = false;
    void refreshList();
  }
}

function wire() {
  // The id list scrolls: it takes the keyboard focus so arrow keys can scroll it.
  $('ids').tabIndex = 0;
  window.addEventListener('hashchange', route);
  $('back').addEventListener('click', () => {
    location.hash = '';
  });
  $('banner-close').addEventListener('click', clearBanner);
  $('banner-relogin').addEventListener('click', () => {
    clearBanner();
    showLogin();
  });
  $<HTMLFormElement>('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = $<HTMLInputElement>('login-code').value.trim();
    try {
      if (await logIn(code)) {
        $<HTMLInputElement>('login-code').value = '';
        await start();
      } else {
        $('login-error').textContent = 'Wrong code. Use the one msgbatch dashboard printed.';
      }
    } catch {
      $('login-error').textContent = 'The dashboard server does not answer. Is it still running?';
    }
  });
  for (const chip of document.querySelectorAll<HTMLButtonElement>('[data-filter]')) {
    chip.addEventListener('click', () => {
      state.filter = chip.dataset.filter!;
      for (const other of document.querySelectorAll('[data-filter]')) {
        other.setAttribute('aria-pressed', String(other === chip));
      }
      renderList();
    });
  }
  $<HTMLInputElement>('search').addEventListener('input', (event) => {
    state.search = (event.target as HTMLInputElement).value;
    renderList();
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('th button[data-sort]')) {
    button.addEventListener('click', () => {
      const key = button.dataset.sort!;
      state.sort =
        state.sort.key === key
          ? { key, dir: -state.sort.dir }
          : { key, dir: key === 'created' || key === 'ended' ? -1 : 1 };
      for (const th of document.querySelectorAll('th[aria-sort]')) {
        const own = th.querySelector('button')?.dataset.sort === key;
        th.setAttribute(
          'aria-sort',
          own ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none',
        );
      }
      renderList();
    });
  }
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role=tab]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      state.tab = tab.dataset.type as Outcome;
      state.idsShown = IDS_PAGE;
      renderOutcomes();
    });
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]!;
      next.focus();
      next.click();
    });
  }
  $('ids-search').addEventListener('input', () => {
    state.idsShown = IDS_PAGE;
    renderOutcomes();
  });
  $('ids-more').addEventListener('click', () => {
    state.idsShown += IDS_PAGE;
    renderOutcomes();
  });
  $('detail-cancel').addEventListener('click', () => {
    if (state.detail) void confirmCancel(state.detail.id);
  });
  $('download-csv').addEventListener('click', () => {
    const rows = outcomeRows().map(([id, type]) => `${csvField(id)},${type}\n`);
    download(`${state.outcomes!.id}-custom-ids.csv`, 'text/csv', [
      'custom_id,result_type\n',
      ...rows,
    ]);
  });
  $('download-jsonl').addEventListener('click', () => {
    const rows = outcomeRows().map(
      ([id, type]) => `${JSON.stringify({ custom_id: id, result_type: type })}\n`,
    );
    download(`${state.outcomes!.id}-custom-ids.jsonl`, 'application/x-ndjson', rows);
  });
  $('download-results').addEventListener('click', () => void downloadResults());
}

async function main() {
  wire();
  const code = /^#code=([\w-]+)$/.exec(location.hash)?.[1];
  if (code) {
    // The code leaves the address bar (and the history) at once.
    history.replaceState(null, '', location.pathname);
    try {
      if (!(await logIn(code))) return showLogin('That login link is no longer valid.');
    } catch {
      return showLogin('The dashboard server does not answer.');
    }
  }
  await start();
}

void main();
