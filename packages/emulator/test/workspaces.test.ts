import Anthropic, { NotFoundError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.ts';
import { errorOf, HEADERS, requests, setup } from './helpers.ts';

const LIST = '/v1/messages/batches';
const A = 'wrkspc_01TeamA';
const B = 'wrkspc_01TeamB';
const WORKSPACES = { [A]: ['sk-a1', 'sk-a2'], [B]: ['sk-b'] };

/** Headers of a call made with `key`, plus any extra ones. */
const as = (key: string, extra: Record<string, string> = {}) => ({
  ...HEADERS,
  'x-api-key': key,
  ...extra,
});

/** An emulator with workspaces A (sk-a1, sk-a2) and B (sk-b), and calls as each key. */
function twoWorkspaces(options: Parameters<typeof setup>[0] = {}) {
  const ctx = setup({ workspaces: WORKSPACES, ...options });
  const callAs = (key: string, method: string, path: string, body?: unknown) =>
    ctx.call(method, path, body, as(key));
  const createAs = async (key: string, n = 1) => {
    const response = await callAs(key, 'POST', LIST, { requests: requests(n) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: string }).id;
  };
  const listAs = async (key: string, query = '') => {
    const response = await callAs(key, 'GET', `${LIST}${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      data: Array<{ id: string }>;
      has_more: boolean;
      first_id: string | null;
      last_id: string | null;
    };
  };
  return { ...ctx, callAs, createAs, listAs };
}

/** Status, retry hint and error of a response, to compare two answers exactly. */
async function answerOf(response: Response) {
  return {
    status: response.status,
    shouldRetry: response.headers.get('x-should-retry'),
    error: await errorOf(response),
  };
}

const notFoundAnswer = (id: string) => ({
  status: 404,
  shouldRetry: 'false',
  error: { type: 'not_found_error', message: `Message Batch ${id} not found.` },
});

describe('default: one workspace for every key', () => {
  it('shares batches between any two keys and names the one workspace on every response', async () => {
    const { call } = setup();
    const created = await call('POST', LIST, { requests: requests(1) }, as('sk-one'));
    const { id } = (await created.json()) as { id: string };
    const seen = await call('GET', `${LIST}/${id}`, undefined, as('sk-two'));
    expect(seen.status).toBe(200);
    const workspace = created.headers.get('anthropic-workspace-id');
    expect(workspace).toMatch(/^wrkspc_[A-Za-z0-9]+$/);
    expect(seen.headers.get('anthropic-workspace-id')).toBe(workspace);
    const missing = await call('GET', `${LIST}/msgbatch_nope`, undefined, as('sk-two'));
    expect(missing.headers.get('anthropic-workspace-id')).toBe(workspace);
  });

  it('derives the workspace id from the seed', async () => {
    const id = async (seed: string) =>
      (await setup({ seed }).call('GET', LIST)).headers.get('anthropic-workspace-id');
    expect(await id('one')).toBe(await id('one'));
    expect(await id('one')).not.toBe(await id('two'));
  });

  it('accepts anthropic-workspace-id naming that workspace and refuses any other (400)', async () => {
    const { call } = setup();
    const workspace = (await call('GET', LIST)).headers.get('anthropic-workspace-id')!;
    const same = await call(
      'GET',
      LIST,
      undefined,
      as('sk-one', { 'anthropic-workspace-id': workspace }),
    );
    expect(same.status).toBe(200);
    const other = await call('GET', LIST, undefined, as('sk-one', { 'anthropic-workspace-id': A }));
    expect(await answerOf(other)).toEqual({
      status: 400,
      shouldRetry: 'false',
      error: {
        type: 'invalid_request_error',
        message: `anthropic-workspace-id: "${A}" does not match the workspace of this credential; send "${workspace}" or omit the header.`,
      },
    });
  });
});

describe('workspaces option: batches are scoped to the creating key’s workspace', () => {
  it('answers another workspace’s retrieve, cancel, delete and results exactly like an unknown id', async () => {
    const { emulator, callAs, createAs } = twoWorkspaces({ rate: 1 });
    const inProgress = await createAs('sk-a1', 5);
    const ended = await createAs('sk-a1', 1);
    emulator.clock.advance(1500); // `ended` has ended, `inProgress` (5 requests at 1/s) has not
    const unknown = await answerOf(await callAs('sk-b', 'GET', `${LIST}/msgbatch_nope`));
    expect(unknown).toEqual(notFoundAnswer('msgbatch_nope'));

    const attempts: Array<[string, string]> = [
      ['GET', `${LIST}/${inProgress}`],
      ['POST', `${LIST}/${inProgress}/cancel`],
      ['GET', `${LIST}/${ended}`],
      ['GET', `${LIST}/${ended}/results`],
      ['DELETE', `${LIST}/${ended}`],
    ];
    for (const [method, path] of attempts) {
      const id = path.includes(inProgress) ? inProgress : ended;
      expect(await answerOf(await callAs('sk-b', method, path)), `${method} ${path}`).toEqual(
        notFoundAnswer(id),
      );
    }

    // Nothing happened to A's batches.
    const stillRunning = await (await callAs('sk-a1', 'GET', `${LIST}/${inProgress}`)).json();
    expect(stillRunning).toMatchObject({
      processing_status: 'in_progress',
      cancel_initiated_at: null,
    });
    expect((await callAs('sk-a1', 'GET', `${LIST}/${ended}`)).status).toBe(200);
    expect(emulator.store.size).toBe(2);
  });

  it('lets every key of the same workspace retrieve, list, cancel, read results and delete', async () => {
    const { emulator, callAs, createAs, listAs } = twoWorkspaces({ rate: 1 });
    const running = await createAs('sk-a1', 5);
    const done = await createAs('sk-a1', 1);
    emulator.clock.advance(1500);
    expect((await callAs('sk-a2', 'GET', `${LIST}/${running}`)).status).toBe(200);
    expect((await listAs('sk-a2')).data.map((b) => b.id)).toEqual([done, running]);
    const canceled = await callAs('sk-a2', 'POST', `${LIST}/${running}/cancel`);
    expect(await canceled.json()).toMatchObject({ processing_status: 'canceling' });
    const results = await callAs('sk-a2', 'GET', `${LIST}/${done}/results`);
    expect(results.status).toBe(200);
    expect(JSON.parse(await results.text())).toMatchObject({ custom_id: 'r0' });
    expect((await callAs('sk-a2', 'DELETE', `${LIST}/${done}`)).status).toBe(200);
    expect(emulator.store.get(done)).toBeUndefined();
  });

  it('lists only the caller’s workspace, and pages through it without the others’ batches', async () => {
    const { emulator, createAs, listAs } = twoWorkspaces();
    const ours: string[] = [];
    const theirs: string[] = [];
    // Interleaved, with B's batches both the oldest and the newest.
    for (let i = 0; i < 4; i++) {
      theirs.push(await createAs('sk-b'));
      emulator.clock.advance(10);
      if (i < 3) ours.push(await createAs('sk-a1'));
      emulator.clock.advance(10);
    }
    const oursNewestFirst = [...ours].reverse();

    expect(await listAs('sk-a1')).toEqual({
      data: oursNewestFirst.map((id) => expect.objectContaining({ id })),
      has_more: false,
      first_id: oursNewestFirst[0],
      last_id: oursNewestFirst[2],
    });
    const seen: string[] = [];
    let page = await listAs('sk-a1', '?limit=1');
    for (;;) {
      seen.push(...page.data.map((b) => b.id));
      if (!page.has_more) break;
      page = await listAs('sk-a1', `?limit=1&after_id=${page.last_id}`);
    }
    expect(seen).toEqual(oursNewestFirst);
    // Toward newer ones from A's oldest: has_more stops at A's newest, not at B's.
    const newer = await listAs('sk-a1', `?limit=2&before_id=${ours[0]}`);
    expect(newer).toMatchObject({ has_more: false, first_id: ours[2], last_id: ours[1] });
    expect((await listAs('sk-b')).data.map((b) => b.id)).toEqual([...theirs].reverse());
  });

  it('treats another workspace’s batch id as an unknown list cursor', async () => {
    const { emulator, createAs, listAs, callAs } = twoWorkspaces();
    await createAs('sk-b');
    const theirs = await createAs('sk-a1');
    await createAs('sk-b');
    emulator.clock.advance(1000);
    const empty = { data: [], has_more: false, first_id: null, last_id: null };
    expect(await listAs('sk-b', '?after_id=msgbatch_unknown')).toEqual(empty);
    expect(await listAs('sk-b', `?after_id=${theirs}`)).toEqual(empty);
    expect(await listAs('sk-b', `?before_id=${theirs}`)).toEqual(empty);
    // Also once deleted (a deleted id stays a cursor, but only for its own workspace).
    await callAs('sk-a1', 'DELETE', `${LIST}/${theirs}`);
    expect(await listAs('sk-b', `?after_id=${theirs}`)).toEqual(empty);
    expect((await listAs('sk-a1', `?after_id=${theirs}`)).data).toEqual([]);
  });

  it('names each key’s workspace and one organization on every authenticated response', async () => {
    const { callAs, createAs } = twoWorkspaces();
    const id = await createAs('sk-a1');
    const a = await callAs('sk-a2', 'GET', `${LIST}/${id}`);
    const b = await callAs('sk-b', 'GET', `${LIST}/${id}`);
    expect(a.headers.get('anthropic-workspace-id')).toBe(A);
    expect(b.status).toBe(404);
    expect(b.headers.get('anthropic-workspace-id')).toBe(B);
    expect(a.headers.get('anthropic-organization-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get('anthropic-organization-id')).toBe(
      a.headers.get('anthropic-organization-id'),
    );
  });

  it('sends no workspace header without an accepted credential', async () => {
    const { callAs } = twoWorkspaces({ apiKeys: ['sk-other'] });
    const refused = await callAs('sk-unknown', 'GET', LIST);
    expect(refused.status).toBe(401);
    expect(refused.headers.has('anthropic-workspace-id')).toBe(false);
  });

  it('accepts listed keys beside apiKeys and puts unlisted ones in the default workspace', async () => {
    const { callAs, createAs, listAs } = twoWorkspaces({ apiKeys: ['sk-other'] });
    expect((await callAs('sk-b', 'GET', LIST)).status).toBe(200);
    await createAs('sk-a1');
    const other = await callAs('sk-other', 'GET', LIST);
    expect(other.status).toBe(200);
    expect(other.headers.get('anthropic-workspace-id')).toMatch(/^wrkspc_[A-Za-z0-9]+$/);
    expect([A, B]).not.toContain(other.headers.get('anthropic-workspace-id'));
    expect((await listAs('sk-other')).data).toEqual([]);
  });

  it('exposes anthropic-workspace-id to browsers', async () => {
    const { call } = twoWorkspaces({ browserAccess: 'open' });
    const headers = as('sk-a1', { origin: 'https://app.test' });
    const response = await call('GET', LIST, undefined, headers);
    expect(response.headers.get('anthropic-workspace-id')).toBe(A);
    expect(response.headers.get('access-control-expose-headers')?.split(', ')).toContain(
      'anthropic-workspace-id',
    );
  });
});

describe('anthropic-workspace-id request header', () => {
  it('refuses a workspace-bound key naming another workspace, before anything happens', async () => {
    const { emulator, call } = twoWorkspaces({ rateLimit: { requestsPerMinute: 10 } });
    const mismatched = as('sk-a1', { 'anthropic-workspace-id': B });
    const response = await call('POST', LIST, { requests: requests(1) }, mismatched);
    expect(await answerOf(response)).toEqual({
      status: 400,
      shouldRetry: 'false',
      error: {
        type: 'invalid_request_error',
        message: `anthropic-workspace-id: "${B}" does not match the workspace of this credential; send "${A}" or omit the header.`,
      },
    });
    expect(response.headers.has('anthropic-workspace-id')).toBe(false);
    expect(emulator.store.size).toBe(0);
    // The refusal did not count against the rate limit either.
    const next = await call('GET', LIST, undefined, as('sk-a1'));
    expect(next.headers.get('anthropic-ratelimit-requests-remaining')).toBe('9');
  });

  it('accepts a workspace-bound key naming its own workspace', async () => {
    const { call } = twoWorkspaces();
    const response = await call(
      'GET',
      LIST,
      undefined,
      as('sk-b', { 'anthropic-workspace-id': B }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('anthropic-workspace-id')).toBe(B);
  });

  it.each(['', 'team-a', 'wrkspc_'])('answers 400 for a malformed value %j', async (value) => {
    const { call } = twoWorkspaces();
    const response = await call(
      'GET',
      LIST,
      undefined,
      as('sk-a1', { 'anthropic-workspace-id': value }),
    );
    expect(await errorOf(response)).toEqual({
      type: 'invalid_request_error',
      message: 'anthropic-workspace-id header must be a valid workspace ID.',
    });
    expect(response.status).toBe(400);
  });

  it('makes a key of several workspaces choose one with the header', async () => {
    const C = 'wrkspc_01TeamC';
    const { call, createAs, listAs } = twoWorkspaces({
      workspaces: { ...WORKSPACES, [B]: ['sk-b', 'sk-both'], [A]: ['sk-a1', 'sk-both'] },
    });
    const ofA = await createAs('sk-a1');
    const ofB = await createAs('sk-b');
    const without = await call('GET', LIST, undefined, as('sk-both'));
    expect(await answerOf(without)).toEqual({
      status: 400,
      shouldRetry: 'false',
      error: {
        type: 'invalid_request_error',
        message:
          'anthropic-workspace-id is required when authenticating with an identity-linked API key; send the id of the workspace this request acts in.',
      },
    });
    const inA = await call('GET', LIST, undefined, as('sk-both', { 'anthropic-workspace-id': A }));
    expect(inA.headers.get('anthropic-workspace-id')).toBe(A);
    expect(((await inA.json()) as { data: Array<{ id: string }> }).data.map((b) => b.id)).toEqual([
      ofA,
    ]);
    const inB = as('sk-both', { 'anthropic-workspace-id': B });
    expect((await call('GET', `${LIST}/${ofB}`, undefined, inB)).status).toBe(200);
    expect((await call('GET', `${LIST}/${ofA}`, undefined, inB)).status).toBe(404);
    const inC = await call('GET', LIST, undefined, as('sk-both', { 'anthropic-workspace-id': C }));
    expect(await answerOf(inC)).toEqual({
      status: 400,
      shouldRetry: 'false',
      error: {
        type: 'invalid_request_error',
        message: `anthropic-workspace-id: "${C}" is not a workspace this credential can act in.`,
      },
    });
    expect((await listAs('sk-b')).data.map((b) => b.id)).toEqual([ofB]);
  });
});

describe('workspaces option checks', () => {
  it('throws a TypeError naming a bad workspace id or credential', () => {
    expect(() => createEmulator({ workspaces: { 'team-a': ['sk-a'] } })).toThrow(
      /workspaces: "team-a" is not a workspace id/,
    );
    expect(() => createEmulator({ workspaces: { [A]: [''] } })).toThrow(
      /workspaces\.wrkspc_01TeamA: credentials must be non-empty strings/,
    );
  });
});

describe('official @anthropic-ai/sdk sees the workspace', () => {
  const sdkRequests = [
    {
      custom_id: 'r0',
      params: {
        model: 'claude-sonnet-4-5',
        max_tokens: 64,
        messages: [{ role: 'user' as const, content: 'Hello' }],
      },
    },
  ];

  it('reads it from responses and from errors', async () => {
    const emulator = createEmulator({ clock: 'manual', seed: 'sdk', workspaces: WORKSPACES });
    const client = (apiKey: string) =>
      new Anthropic({
        apiKey,
        baseURL: 'http://emulator.test',
        maxRetries: 0,
        fetch: emulator.fetch,
      });
    const { data: batch, workspace_id } = await client('sk-a1')
      .messages.batches.create({ requests: sdkRequests })
      .withResponse();
    expect(workspace_id).toBe(A);
    const error = await client('sk-b')
      .messages.batches.retrieve(batch.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).workspaceID).toBe(B);
  });
});
