import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.ts';
import { CORPUS_ABSENT, loadCorpus, nameOf, type RecordedInteraction, yearOf } from './corpus.ts';
import { requests } from './helpers.ts';
import { type ShapeDifference, shapeDiff } from './shape-diff.ts';

// The emulator judged by 152 real interactions (../shared/fixtures/recorded-api.json, read
// in place). Each recorded request is made again on an emulator brought to the same state
// (the same processing status, canceled or not, the same number of requests or batches):
// the answer must have the same status, the API headers the recording has, and a body of
// the same shape (keys and their order, JSON types, id / timestamp / URL formats).
//
// The emulator answers as the API does today. Where an older recording shows an older
// API, the difference is one of VINTAGE_RULES below, each a row of the README's fidelity
// table; the last test checks that every rule still names a real difference.

const LIST = '/v1/messages/batches';
const KEY = 'sk-corpus';

const corpus = loadCorpus();
const entries = (corpus ?? []).map((entry, index) => [nameOf(entry, index), entry] as const);

type Json = Record<string, any>;
const isResults = (e: RecordedInteraction) => e.request.path.endsWith('/results');

/** What an older API sent differently, and how today's answer reads instead. */
interface VintageRule {
  name: string;
  applies(entry: RecordedInteraction): boolean;
  /** The recorded body as the API writes it today (only the named difference changed). */
  update(body: Json, entry: RecordedInteraction): Json;
}

const withArchivedAt = (batch: Json): Json => {
  if ('archived_at' in batch) return batch;
  const out: Json = {};
  for (const [key, value] of Object.entries(batch)) {
    out[key] = value;
    if (key === 'expires_at') out.archived_at = null;
  }
  return out;
};

const todaysMessage = (message: Json): Json => {
  const { id, type, role, model, content, stop_reason, stop_sequence, usage } = message;
  return {
    model,
    id,
    type,
    role,
    content,
    stop_reason,
    stop_sequence,
    stop_details: null,
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: usage.output_tokens,
      service_tier: 'batch',
      inference_geo: 'not_available',
    },
  };
};

/** The rows "vintage" of the README's fidelity table, in its order. */
const VINTAGE_RULES: VintageRule[] = [
  {
    name: 'message_batch without archived_at (2024)',
    applies: (e) =>
      !isResults(e) && e.response.status === 200 && !e.response.body.includes('"archived_at"'),
    update: (body) =>
      body.data ? { ...body, data: body.data.map(withArchivedAt) } : withArchivedAt(body),
  },
  {
    name: 'succeeded lines before 2026: id before model, no stop_details, usage without cache_creation / service_tier / inference_geo',
    applies: (e) => isResults(e) && e.response.status === 200 && yearOf(e) < 2026,
    update: (line) => ({
      ...line,
      result: { ...line.result, message: todaysMessage(line.result.message) },
    }),
  },
  {
    name: 'error bodies without request_id (2024-2025; 2026 bodies carry it)',
    applies: (e) => e.response.status >= 400,
    update: (body, e) => ({ ...body, request_id: e.response.headers['request-id'] }),
  },
];

/** The JSON values of a body: one object, or one per JSONL line. */
const valuesOf = (text: string): Json[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

/** Today's shape of a recorded body, by the vintage rules that apply to it. */
function todaysBody(entry: RecordedInteraction): Json[] {
  const rules = VINTAGE_RULES.filter((rule) => rule.applies(entry));
  return valuesOf(entry.response.body).map((value) =>
    rules.reduce((body, rule) => rule.update(body, entry), value),
  );
}

/** The target state of a batch, read from a recorded `message_batch`. */
interface Target {
  processing_status: string;
  cancel_initiated_at: string | null;
}

/** Makes the recorded request again, on an emulator brought to the recorded state. */
async function replay(entry: RecordedInteraction): Promise<Response> {
  const emulator = createEmulator({ clock: 'manual', seed: 'corpus', rate: 1, apiKeys: [KEY] });
  const { method, path, anthropic_version, anthropic_beta, body } = entry.request;
  const headers: Record<string, string> = {
    'x-api-key': entry.response.status === 401 ? 'sk-not-a-key' : KEY,
    'anthropic-version': anthropic_version ?? '2023-06-01',
    'content-type': 'application/json',
  };
  if (anthropic_beta) headers['anthropic-beta'] = anthropic_beta;
  const call = (m: string, p: string, b?: string) =>
    emulator.fetch(`http://emulator.test${p}`, {
      method: m,
      headers: { ...headers, 'x-api-key': p === path ? headers['x-api-key']! : KEY },
      body: b,
    });
  /** A batch in the target's state: 1 request that has ended, or 1,000 still processing. */
  const make = async (target: Target, size?: number) => {
    const ended = target.processing_status === 'ended';
    const count = size ?? (ended ? 1 : 1000);
    const created = await call('POST', LIST, JSON.stringify({ requests: requests(count) }));
    const { id } = (await created.json()) as { id: string };
    if (target.cancel_initiated_at !== null) await call('POST', `${LIST}/${id}/cancel`);
    if (ended) emulator.clock.advance((count + 2) * 1000);
    return id;
  };
  const recorded = entry.response.body.startsWith('{"data"')
    ? undefined
    : (JSON.parse(entry.response.body.split('\n')[0]!) as Json);
  const idInPath = (id: string) => path.replace(/msgbatch_\w+/, id);

  if (method === 'POST' && path === LIST) return call(method, path, body ?? undefined);
  if (method === 'GET' && path.split('?')[0] === LIST) {
    const page = JSON.parse(entry.response.body) as { data: Target[]; has_more: boolean };
    if (page.has_more) await make({ processing_status: 'ended', cancel_initiated_at: null });
    for (const target of [...page.data].reverse()) await make(target);
    return call(method, path);
  }
  if (path.endsWith('/cancel')) {
    return call(
      method,
      idInPath(await make({ processing_status: 'in_progress', cancel_initiated_at: null })),
    );
  }
  if (isResults(entry)) {
    if (entry.response.status !== 200) {
      return call(
        method,
        idInPath(await make({ processing_status: 'in_progress', cancel_initiated_at: null })),
      );
    }
    const lines = valuesOf(entry.response.body).length;
    const id = await make({ processing_status: 'ended', cancel_initiated_at: null }, lines);
    return call(method, idInPath(id));
  }
  return call(method, idInPath(await make(recorded as Target)));
}

/** API headers: what the recordings carry besides the proxies' (`via`, `server`, `x-robots-tag`). */
const API_HEADERS = [
  'content-type',
  'request-id',
  'anthropic-organization-id',
  'content-disposition',
  'retry-after',
  'x-should-retry',
];
/** Headers whose presence says something: sent exactly when the recording has them. */
const EXACT_HEADERS = new Set(['content-disposition', 'retry-after', 'x-should-retry']);

function headerDifference(entry: RecordedInteraction, response: Response): string | undefined {
  const recorded = entry.response.headers;
  for (const name of API_HEADERS) {
    const has = response.headers.has(name);
    if (name in recorded && !has) return `missing header ${name}`;
    if (EXACT_HEADERS.has(name) && !(name in recorded) && has) return `extra header ${name}`;
  }
  if (recorded['retry-after'] && response.headers.get('retry-after') !== recorded['retry-after']) {
    return `retry-after ${response.headers.get('retry-after')} instead of ${recorded['retry-after']}`;
  }
  if (isResults(entry) && entry.response.status === 200 && yearOf(entry) >= 2026) {
    const disposition = (value: string | null) => value?.replace(/msgbatch_\w+/, '<id>');
    if (
      disposition(response.headers.get('content-disposition')) !==
      disposition(recorded['content-disposition']!)
    ) {
      return `content-disposition ${response.headers.get('content-disposition')}`;
    }
    // June 2026 still sent none (as in 2025); August 2026 sent application/x-jsonl.
    const type = recorded['content-type'];
    if (type && response.headers.get('content-type') !== type) {
      return `content-type ${response.headers.get('content-type')}`;
    }
  } else if (!isResults(entry) || entry.response.status !== 200) {
    if (response.headers.get('content-type') !== recorded['content-type']) {
      return `content-type ${response.headers.get('content-type')}`;
    }
  }
  return undefined;
}

// The model writes `content`; its blocks follow the request (thinking, tools), not the API.
const typeOnly = (path: string) => path.endsWith('.message.content');

function bodyDifference(expected: Json[], actualText: string): ShapeDifference | undefined {
  return shapeDiff(expected, valuesOf(actualText), { typeOnly });
}

describe('the emulator answers each recorded request as recorded (shape, status, headers)', () => {
  if (!corpus) {
    it('recorded interactions', (context) => context.skip(CORPUS_ABSENT));
    return;
  }

  it.each(entries)('%s', async (_, entry) => {
    const response = await replay(entry);
    const text = await response.text();
    expect(response.status).toBe(entry.response.status);
    expect(headerDifference(entry, response)).toBeUndefined();
    expect(bodyDifference(todaysBody(entry), text)).toBeUndefined();
    // Results end with a newline, as in 2026 (older recordings had none).
    if (isResults(entry) && response.status === 200) expect(text.endsWith('}\n')).toBe(true);
  });

  it.each(VINTAGE_RULES.map((rule) => [rule.name, rule] as const))(
    'vintage rule "%s" names a real difference of some recording',
    async (_, rule) => {
      const applied = (corpus ?? []).filter((entry) => rule.applies(entry));
      expect(applied.length).toBeGreaterThan(0);
      const entry = applied[0]!;
      const text = await (await replay(entry)).text();
      expect(bodyDifference(valuesOf(entry.response.body), text)).toBeDefined();
    },
  );
});
