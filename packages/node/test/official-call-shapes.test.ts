import { createEmulator, DEFAULT_BETAS } from '@msgbatch/emulator';
import { describe, expect, it } from 'vitest';
import Anthropic, { type BatchCreateParams } from '../src/index.ts';

// The official client's call shapes, checked over the emulator: what its generated
// resource tests for `messages.batches` assert (written anew here, with the emulator in
// place of its mock server), the 1.17 `(id, params?, options?)` form beside the seed's
// `(id, options?)`, and `client.beta.messages.batches`.

const KEY = 'my-anthropic-api-key';
const WS_A = 'wrkspc_A';
const WS_B = 'wrkspc_B';

/** An emulator where KEY belongs to two workspaces (so it must name one), and a recording fetch. */
function setup() {
  const emulator = createEmulator({
    clock: 'manual',
    workspaces: { [WS_A]: [KEY], [WS_B]: [KEY] },
    // The emulator refuses unknown anthropic-beta values as the API does; this one is
    // made up, so it is accepted by name.
    betas: [...DEFAULT_BETAS, 'another-beta'],
  });
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return emulator.fetch(request);
  };
  const client = new Anthropic({ apiKey: KEY, baseURL: 'http://emulator.test', fetch });
  return { emulator, client, sent };
}

const requests: BatchCreateParams['requests'] = [
  {
    custom_id: 'my-custom-id-1',
    params: {
      max_tokens: 1024,
      messages: [{ content: 'Hello, world', role: 'user' }],
      model: 'claude-sonnet-4-5',
    },
  },
];

describe('the generated resource tests, over the emulator', () => {
  it('create: asResponse is a Response, the awaited value is the data of withResponse', async () => {
    const { client } = setup();
    const responsePromise = client.messages.batches.create({ requests, workspace_id: WS_A });
    const rawResponse = await responsePromise.asResponse();
    expect(rawResponse).toBeInstanceOf(Response);
    const response = await responsePromise;
    expect(response).not.toBeInstanceOf(Response);
    const dataAndResponse = await responsePromise.withResponse();
    expect(dataAndResponse.data).toBe(response);
    expect(dataAndResponse.response).toBe(rawResponse);
  });

  it('create: required and optional params', async () => {
    const { client, sent } = setup();
    const batch = await client.messages.batches.create({
      requests: [
        {
          custom_id: 'my-custom-id-1',
          params: {
            max_tokens: 1024,
            messages: [{ content: 'Hello, world', role: 'user' }],
            model: 'claude-sonnet-4-5',
            metadata: { user_id: '13803d75-b4b5-4c3e-b2a2-6f21399b021b' },
            service_tier: 'auto',
            stop_sequences: ['string'],
            stream: false,
            system: [{ text: 'Today is a sunny day.', type: 'text' }],
            temperature: 1,
            thinking: { budget_tokens: 1024, type: 'enabled' },
            tool_choice: { type: 'auto' },
            top_k: 5,
            top_p: 0.7,
          },
        },
      ],
      user_profile_id: 'user_profile_id',
      workspace_id: WS_A,
    });
    expect(batch.type).toBe('message_batch');
    const create = sent[0]!;
    expect(create.headers.get('anthropic-workspace-id')).toBe(WS_A);
    expect(create.headers.get('anthropic-user-profile-id')).toBe('user_profile_id');
    expect(Object.keys(await create.json())).toEqual(['requests']);
  });

  for (const op of ['retrieve', 'cancel', 'delete'] as const) {
    it(`${op}: asResponse, withResponse and the awaited value agree`, async () => {
      const { client, emulator } = setup();
      const { id } = await client.messages.batches.create({ requests, workspace_id: WS_A });
      if (op === 'delete') {
        await client.messages.batches.cancel(id, { workspace_id: WS_A });
        emulator.clock.advance(60_000);
      }
      const responsePromise = client.messages.batches[op](id, { workspace_id: WS_A });
      const rawResponse = await responsePromise.asResponse();
      expect(rawResponse).toBeInstanceOf(Response);
      const response = await responsePromise;
      expect(response).not.toBeInstanceOf(Response);
      const dataAndResponse = await responsePromise.withResponse();
      expect(dataAndResponse.data).toBe(response);
      expect(dataAndResponse.response).toBe(rawResponse);
      expect(response.id).toBe(id);
    });
  }

  it('list: a page, its withResponse, and every batch with for await', async () => {
    const { client, sent } = setup();
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push((await client.messages.batches.create({ requests, workspace_id: WS_A })).id);
    }
    const responsePromise = client.messages.batches.list({ limit: 1, workspace_id: WS_A });
    expect(await responsePromise.asResponse()).toBeInstanceOf(Response);
    const page = await responsePromise;
    expect((await responsePromise.withResponse()).data).toBe(page);
    expect(page.data).toHaveLength(1);
    const seen: string[] = [];
    for await (const batch of client.messages.batches.list({ limit: 1, workspace_id: WS_A })) {
      seen.push(batch.id);
    }
    expect(seen).toEqual([...created].reverse());
    const query = new URL(sent.at(-1)!.url).searchParams;
    expect(query.has('workspace_id')).toBe(false);
    expect(sent.at(-1)!.headers.get('anthropic-workspace-id')).toBe(WS_A);
  });

  it('results: iterated with and without an await first; asResponse is a Response', async () => {
    const { client, emulator } = setup();
    const { id } = await client.messages.batches.create({ requests, workspace_id: WS_A });
    emulator.clock.advance(24 * 3_600_000);
    const direct: string[] = [];
    for await (const line of client.messages.batches.results(id, { workspace_id: WS_A })) {
      direct.push(line.custom_id);
    }
    const awaited: string[] = [];
    for await (const line of await client.messages.batches.results(id, { workspace_id: WS_A })) {
      awaited.push(line.custom_id);
    }
    expect(direct).toEqual(['my-custom-id-1']);
    expect(awaited).toEqual(direct);
    const raw = await client.messages.batches.results(id, { workspace_id: WS_A }).asResponse();
    expect(raw).toBeInstanceOf(Response);
  });

  it('an error carries status, headers, error and requestID', async () => {
    const { client } = setup();
    const error = await client.messages.batches
      .retrieve('msgbatch_missing', { workspace_id: WS_A })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    const e = error as InstanceType<typeof Anthropic.NotFoundError>;
    expect(e.status).toBe(404);
    expect(e.headers).toBeInstanceOf(Headers);
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(e.requestID).toMatch(/^req_/);
    expect(e.requestID).toBe(e.headers.get('request-id'));
  });
});

describe('(id, params?, options?) beside (id, options?)', () => {
  it('params.workspace_id is sent as anthropic-workspace-id; another workspace does not see the batch', async () => {
    const { client, sent } = setup();
    const { id } = await client.messages.batches.create({ requests, workspace_id: WS_A });
    await client.messages.batches.retrieve(id, { workspace_id: WS_A }, { maxRetries: 0 });
    expect(sent.at(-1)!.headers.get('anthropic-workspace-id')).toBe(WS_A);
    await expect(
      client.messages.batches.retrieve(id, { workspace_id: WS_B }),
    ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('the seed form still works: a second argument of option keys is options', async () => {
    const { client, sent } = setup();
    const { id } = await client.messages.batches.create({ requests, workspace_id: WS_A });
    const batch = await client.messages.batches.cancel(id, {
      maxRetries: 0,
      headers: { 'anthropic-workspace-id': WS_A },
    });
    expect(batch.processing_status).toBe('canceling');
    expect(sent.at(-1)!.headers.get('anthropic-workspace-id')).toBe(WS_A);
  });

  it('without a workspace the shared key is refused, so the header really decides', async () => {
    const { client } = setup();
    await expect(client.messages.batches.create({ requests })).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
  });
});

describe('client.beta.messages.batches', () => {
  it('sends betas as anthropic-beta on every operation, with workspace_id', async () => {
    const { client, sent, emulator } = setup();
    const beta = client.beta.messages.batches;
    const betas = ['message-batches-2024-09-24', 'files-api-2025-04-14'];
    const { id } = await beta.create({ requests, betas, workspace_id: WS_A });
    await beta.retrieve(id, { betas, workspace_id: WS_A });
    await beta.list({ betas, workspace_id: WS_A, limit: 5 });
    await beta.cancel(id, { betas, workspace_id: WS_A });
    emulator.clock.advance(60_000);
    for await (const _ of beta.results(id, { betas, workspace_id: WS_A })) {
      // read to the end
    }
    await beta.delete(id, { betas, workspace_id: WS_A });
    expect(sent.map((r) => r.headers.get('anthropic-beta'))).toEqual(
      Array(6).fill('message-batches-2024-09-24,files-api-2025-04-14'),
    );
    expect(sent.map((r) => r.headers.get('anthropic-workspace-id'))).toEqual(Array(6).fill(WS_A));
    const body = await sent[0]!.json();
    expect(Object.keys(body)).toEqual(['requests']);
    expect(new URL(sent[2]!.url).search).toBe('?limit=5');
  });

  it('a second argument that mixes params and options is refused before sending', async () => {
    const { client, sent } = setup();
    await expect(
      client.messages.batches.retrieve('msgbatch_x', {
        workspace_id: WS_A,
        maxRetries: 0,
      } as never),
    ).rejects.toBeInstanceOf(Anthropic.InvalidArgumentError);
    expect(sent).toHaveLength(0);
  });
});
