import { APIError, BrowserClient, type MessageBatch } from '@msgbatch/browser';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const COUNTS = ['processing', 'succeeded', 'errored', 'canceled', 'expired'] as const;

/** Shows an error; for an API error, its status and the server's own message (the proxy's, on a refusal). */
function showError(error: unknown) {
  if (error instanceof APIError) {
    const inner = (error.error as { error?: { message?: string } } | null)?.error?.message;
    $('error').textContent = `${error.status}: ${inner ?? error.message}`;
    return;
  }
  $('error').textContent = error instanceof Error ? error.message : String(error);
}

/** Logs in (the backend sets an HttpOnly session cookie), then builds the client over the proxy. */
async function login(form: HTMLFormElement): Promise<BrowserClient> {
  const data = new FormData(form);
  const answer = await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: data.get('user'), password: data.get('password') }),
  });
  const session = await answer.json();
  if (!answer.ok) throw new Error(session.error);
  $('who').textContent = session.user;
  $('scopes').textContent = session.scopes.join(', ');
  return new BrowserClient({
    baseURL: session.proxyURL,
    // The backend mints a short-lived token for the logged-in user; the client caches it.
    getToken: async () => {
      const reply = await fetch('/api/token', { method: 'POST' });
      if (!reply.ok) throw new Error(`token endpoint answered ${reply.status}`);
      return (await reply.json()).token;
    },
  });
}

function renderRow(batch: MessageBatch, onCancel: (id: string) => void): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.batchId = batch.id;
  const cells = [batch.id, batch.processing_status, ...COUNTS.map((k) => batch.request_counts[k])];
  cells.forEach((value, i) => {
    const cell = row.insertCell();
    cell.textContent = String(value);
    if (i === 1) {
      cell.className = 'status';
      cell.dataset.status = batch.processing_status;
    }
    if (i >= 2) {
      cell.className = 'num';
      cell.dataset.count = COUNTS[i - 2];
    }
  });
  const button = document.createElement('button');
  button.className = 'cancel';
  button.textContent = 'Cancel';
  button.disabled = batch.processing_status !== 'in_progress';
  button.addEventListener('click', () => onCancel(batch.id));
  row.insertCell().append(button);
  return row;
}

async function refresh(client: BrowserClient, onCancel: (id: string) => void) {
  const rows: HTMLTableRowElement[] = [];
  for await (const batch of client.messages.batches.list({ limit: 20 })) {
    rows.push(renderRow(batch, onCancel));
  }
  $('batches').replaceChildren(...rows);
}

function showProgress(batch: MessageBatch) {
  const counts = batch.request_counts;
  const total = COUNTS.reduce((sum, k) => sum + counts[k], 0);
  $('progress-status').textContent = batch.processing_status;
  $('progress-status').dataset.status = batch.processing_status;
  $<HTMLProgressElement>('progress-bar').value = total ? (total - counts.processing) / total : 1;
  $('progress-counts').textContent = COUNTS.map((k) => `${k} ${counts[k]}`).join(' · ');
}

async function cancelAndFollow(client: BrowserClient, id: string) {
  $('error').textContent = '';
  const batches = client.messages.batches;
  try {
    await batches.cancel(id);
  } catch (error) {
    showError(error);
    return;
  }
  $('progress').hidden = false;
  $('canceled-section').hidden = true;
  $('progress-id').textContent = id;
  try {
    const ended = await batches.waitForEnd(id, { pollInterval: 500, onProgress: showProgress });
    showProgress(ended);
    // The ids come from the results stream, read through the proxy as it arrives.
    const ids = await batches.canceledRequests(id);
    $('canceled-count').textContent = String(ids.length);
    $('canceled-ids').replaceChildren(
      ...ids.map((customId) =>
        Object.assign(document.createElement('li'), { textContent: customId }),
      ),
    );
    $('canceled-section').hidden = false;
  } catch (error) {
    showError(error);
  }
}

$<HTMLFormElement>('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').textContent = '';
  try {
    const client = await login(event.target as HTMLFormElement);
    $('login').hidden = true;
    $('dashboard').hidden = false;
    const onCancel = (id: string) =>
      void cancelAndFollow(client, id).then(() => refresh(client, onCancel));
    await refresh(client, onCancel);
    setInterval(() => refresh(client, onCancel).catch(showError), 2000);
  } catch (error) {
    showError(error);
  }
});
