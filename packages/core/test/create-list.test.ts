import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, MAX_REQUESTS_PER_BATCH } from '../src/index.ts';
import { batch, json, scriptedFetch, testClient } from './helpers/fake-fetch.ts';

const params = (custom_id: string) => ({
  custom_id,
  params: {
    model: 'claude-x',
    max_tokens: 8,
    messages: [{ role: 'user' as const, content: 'hi' }],
  },
});

describe('create', () => {
  it('sends the requests as JSON and returns the new batch', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const body = { requests: [params('a-1'), params('b_2')] };
    const created = await client.messages.batches.create(body);
    expect(created.processing_status).toBe('in_progress');
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url).toBe('http://127.0.0.1:9/v1/messages/batches');
    expect(requests[0]!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(requests[0]!.body!)).toEqual(body);
  });

  it.each([
    ['no requests', { requests: [] }, 'params.requests', /at least 1/],
    [
      'a missing custom_id',
      { requests: [{ params: params('x').params }] },
      'params.requests.0.custom_id',
      /custom_id/,
    ],
    [
      'a too long custom_id',
      { requests: [params('a'.repeat(65))] },
      'params.requests.0.custom_id',
      /1-64/,
    ],
    [
      'a custom_id with a space',
      { requests: [params('ok'), params('a b')] },
      'params.requests.1.custom_id',
      /1-64/,
    ],
    [
      'a duplicate custom_id',
      { requests: [params('a'), params('b'), params('a')] },
      'params.requests.2',
      /used twice/,
    ],
    [
      'an unknown key per request',
      { requests: [{ ...params('a'), extra: 1 }] },
      'params.requests.0.extra',
      /./,
    ],
    ['an unknown top-level key', { requests: [params('a')], other: 1 }, 'params.other', /./],
    [
      'params that are not an object',
      { requests: [{ custom_id: 'a', params: ['model'] }] },
      'params.requests.0.params',
      /must be an object/,
    ],
  ])('refuses %s before sending', async (_, body, argument, message) => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const error = await client.messages.batches.create(body as any).catch((e: any) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.argument).toBe(argument);
    expect(error.message).toMatch(message);
    expect(requests).toHaveLength(0);
  });

  it('sends params the API judges per request untouched: no messages, unknown fields', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    // The API accepts these at create and reports `messages: Field required` as an errored
    // line; the fields of the official SDK's current tests pass through as they are.
    const body = {
      requests: [
        { custom_id: 'no-messages', params: { model: 'claude-x', max_tokens: 8 } },
        {
          custom_id: 'new-fields',
          params: {
            ...params('x').params,
            inference_geo: 'us',
            output_config: { effort: 'low' },
            service_tier: 'auto',
            tools: [
              {
                name: 't',
                input_schema: { type: 'object' },
                strict: true,
                eager_input_streaming: true,
              },
            ],
            system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral', ttl: '1h' } }],
          },
        },
      ],
    };
    await client.messages.batches.create(body as any);
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]!.body!)).toEqual(body);
  });

  it('refuses more than 100,000 requests', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const many = Array.from({ length: MAX_REQUESTS_PER_BATCH + 1 }, (_, i) => params(`r${i}`));
    const error = await client.messages.batches.create({ requests: many }).catch((e: any) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(/at most 100000/);
    expect(requests).toHaveLength(0);
  });

  it('refuses a body over 256 MB without serializing it', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    // One shared 1 MB string, 257 times: cheap to hold, 257 MB once serialized.
    const big = 'x'.repeat(1024 * 1024);
    const many = Array.from({ length: 257 }, (_, i) => ({
      custom_id: `r${i}`,
      params: {
        model: 'claude-x',
        max_tokens: 8,
        messages: [{ role: 'user' as const, content: big }],
      },
    }));
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const error = await client.messages.batches.create({ requests: many }).catch((e: any) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toMatch(/256 MB/);
      expect(
        stringify.mock.calls.some(([value]) => value && (value as any).requests === many),
      ).toBe(false);
    } finally {
      stringify.mockRestore();
    }
    expect(requests).toHaveLength(0);
  });

  it('sends a batch that holds one string many times when its body is under 256 MB', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const shared = { role: 'user' as const, content: 'x'.repeat(1000) };
    const many = Array.from({ length: 50 }, (_, i) => ({
      custom_id: `r${i}`,
      params: { model: 'claude-x', max_tokens: 8, messages: [shared, shared] },
    }));
    await client.messages.batches.create({ requests: many });
    expect(requests).toHaveLength(1);
  });

  it('refuses a cyclic body before sending, without hanging', async () => {
    const { fetch, requests } = scriptedFetch(json(batch()));
    const { client } = testClient(fetch);
    const metadata: Record<string, unknown> = { name: 'loop' };
    metadata.self = metadata;
    const request = { ...params('a'), params: { ...params('a').params, metadata } };
    const error = await client.messages.batches
      .create({ requests: [request] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(requests).toHaveLength(0);
  });
});

describe('list', () => {
  const page = (ids: string[], has_more: boolean) =>
    json({
      data: ids.map((id) => batch({ id })),
      has_more,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    });

  it('awaits to one page with its cursors', async () => {
    const { fetch, requests } = scriptedFetch(page(['b3', 'b2'], true));
    const { client } = testClient(fetch);
    const first = await client.messages.batches.list({ limit: 2 });
    expect(first.data.map((b) => b.id)).toEqual(['b3', 'b2']);
    expect(first.hasNextPage()).toBe(true);
    expect(new URL(requests[0]!.url).search).toBe('?limit=2');
    expect((first as any)._request_id).toBe('req_test0000000000000000001');
  });

  it('for await walks every page following last_id', async () => {
    const { fetch, requests } = scriptedFetch(
      page(['b5', 'b4'], true),
      page(['b3', 'b2'], true),
      page(['b1'], false),
    );
    const { client } = testClient(fetch);
    const ids: string[] = [];
    for await (const b of client.messages.batches.list({ limit: 2 })) ids.push(b.id);
    expect(ids).toEqual(['b5', 'b4', 'b3', 'b2', 'b1']);
    expect(requests.map((r) => new URL(r.url).search)).toEqual([
      '?limit=2',
      '?limit=2&after_id=b4',
      '?limit=2&after_id=b2',
    ]);
  });

  it('pages toward newer items with first_id when the query used before_id', async () => {
    const { fetch, requests } = scriptedFetch(page(['b8', 'b7'], true), page(['b10', 'b9'], false));
    const { client } = testClient(fetch);
    const ids: string[] = [];
    for await (const b of client.messages.batches.list({ before_id: 'b6', limit: 2 }))
      ids.push(b.id);
    expect(ids).toEqual(['b8', 'b7', 'b10', 'b9']);
    expect(new URL(requests[1]!.url).searchParams.get('before_id')).toBe('b8');
  });

  it('stops on an empty page even if has_more says otherwise', async () => {
    const { fetch, requests } = scriptedFetch(page([], true));
    const { client } = testClient(fetch);
    const ids: string[] = [];
    for await (const b of client.messages.batches.list()) ids.push(b.id);
    expect(ids).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it.each([[0], [1001], [1.5]])('refuses limit %s before sending', async (limit) => {
    const { fetch, requests } = scriptedFetch(page([], false));
    const { client } = testClient(fetch);
    const error = await client.messages.batches.list({ limit }).catch((e: any) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.argument).toBe('query.limit');
    expect(requests).toHaveLength(0);
  });

  it('refuses before_id together with after_id', async () => {
    const { fetch } = scriptedFetch(page([], false));
    const { client } = testClient(fetch);
    await expect(client.messages.batches.list({ before_id: 'a', after_id: 'b' })).rejects.toThrow(
      /not both/,
    );
  });
});
