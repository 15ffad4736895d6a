import { createEmulator } from '@msgbatch/emulator';
import { describe, expect, it } from 'vitest';
import Anthropic, { type Middleware } from '../src/index.ts';

// The official client's newer options (up to 1.17) over the emulator or a scripted fetch.

const BASE = 'http://emulator.test';
const requests = [
  {
    custom_id: 'a',
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: 'hi' }],
    },
  },
];

function recording(handler: (request: Request) => Promise<Response> | Response) {
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return handler(request);
  };
  return { fetch, sent };
}

describe('apiKey as an async function', () => {
  it('is called per request and its key sent as x-api-key; a rotated key is picked up after a 401', async () => {
    const api = createEmulator({ apiKeys: ['key-2'] });
    const { fetch, sent } = recording((r) => api.fetch(r));
    const keys = ['key-1', 'key-2', 'key-2'];
    let calls = 0;
    const client = new Anthropic({ apiKey: async () => keys[calls++]!, baseURL: BASE, fetch });
    const batch = await client.messages.batches.create({ requests });
    await client.messages.batches.retrieve(batch.id);
    expect(sent.map((r) => r.headers.get('x-api-key'))).toEqual(['key-1', 'key-2', 'key-2']);
    expect(calls).toBe(3);
  });

  it('a failing or empty result is a CredentialsError that shows no key, and nothing is sent', async () => {
    const { fetch, sent } = recording(() => new Response('{}'));
    let fail = false;
    const client = new Anthropic({
      apiKey: async () => {
        if (fail) throw new Error('vault refused key-secret-1234');
        return 'key-secret-1234';
      },
      baseURL: BASE,
      fetch: async (input, init) => {
        fail = true;
        return fetch(input, init);
      },
      maxRetries: 0,
    });
    await client.messages.batches.retrieve('msgbatch_x').catch(() => {});
    const failed = await client.messages.batches.retrieve('msgbatch_x').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Anthropic.CredentialsError);
    expect(String((failed as Error).message)).toBe(
      'The apiKey function failed: vault refused [redacted]',
    );
    expect(sent).toHaveLength(1);

    const empty = new Anthropic({ apiKey: async () => '', baseURL: BASE, fetch });
    const error = await empty.messages.batches.retrieve('msgbatch_x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.CredentialsError);
    expect((error as Error).message).toContain('it returned an empty string');
    expect(sent).toHaveLength(1);
  });
});

describe('credentials (an access-token provider)', () => {
  it('sends the token as Bearer, caches it until shortly before expiry, refreshes once on a 401', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const clock = { now: () => now, sleep: async () => {} };
    const valid = new Set(['tok-1']);
    const { fetch, sent } = recording((r) =>
      valid.has(r.headers.get('authorization')?.replace('Bearer ', '') ?? '')
        ? Response.json({ id: 'msgbatch_x', type: 'message_batch_deleted' })
        : Response.json(
            { type: 'error', error: { type: 'authentication_error', message: 'no' } },
            { status: 401 },
          ),
    );
    const calls: (boolean | undefined)[] = [];
    let n = 0;
    const client = new Anthropic({
      credentials: async (opts) => {
        calls.push(opts?.forceRefresh);
        n++;
        return { token: `tok-${n}`, expiresAt: now / 1000 + 3600 };
      },
      baseURL: BASE,
      fetch,
      clock,
    });
    await client.messages.batches.delete('msgbatch_x');
    await client.messages.batches.delete('msgbatch_x');
    expect(calls).toEqual([undefined]);
    now += (3600 - 20) * 1000; // within 30 s of expiry: a new token
    valid.add('tok-2');
    await client.messages.batches.delete('msgbatch_x');
    expect(calls).toEqual([undefined, undefined]);
    valid.clear(); // the server revokes it: 401, one forced refresh, the retry succeeds
    valid.add('tok-3');
    await client.messages.batches.delete('msgbatch_x');
    expect(calls).toEqual([undefined, undefined, true]);
    expect(sent.map((r) => r.headers.get('authorization'))).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
      'Bearer tok-2',
      'Bearer tok-3',
    ]);
    expect(sent.every((r) => r.headers.get('x-api-key') === null)).toBe(true);
  });

  it('is refused together with apiKey', () => {
    expect(
      () =>
        new Anthropic({ apiKey: 'k', credentials: async () => ({ token: 't', expiresAt: null }) }),
    ).toThrow(Anthropic.InvalidArgumentError);
  });
});

describe('middleware', () => {
  it('runs in order around every attempt, retries included, with a filtered and redacted logger', async () => {
    let attempt = 0;
    const { fetch } = recording(() =>
      ++attempt === 1
        ? Response.json(
            { type: 'error', error: { type: 'overloaded_error', message: 'busy' } },
            { status: 529, headers: { 'retry-after-ms': '1' } },
          )
        : Response.json({ id: 'msgbatch_x', type: 'message_batch_deleted' }),
    );
    const trail: string[] = [];
    const lines: string[] = [];
    const outer: Middleware = async (request, next, ctx) => {
      trail.push(`outer ${request.method}`);
      ctx.logger.debug('dropped: below the level');
      ctx.logger.warn(`key is ${request.headers.get('x-api-key')}`);
      const response = await next(request);
      trail.push(`outer ${response.status}`);
      return response;
    };
    const inner: Middleware = async (request, next) => {
      request.headers.set('x-added', 'yes');
      trail.push('inner');
      return next(request);
    };
    const logger = {
      debug: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    const client = new Anthropic({
      apiKey: 'sk-secret-key-9876',
      baseURL: BASE,
      fetch,
      middleware: [outer, inner],
      logger,
      logLevel: 'warn',
      defaultQuery: { beta: 'true' },
    });
    const { response } = await client.messages.batches.delete('msgbatch_x').withResponse();
    expect(response.status).toBe(200);
    expect(trail).toEqual([
      'outer DELETE',
      'inner',
      'outer 529',
      'outer DELETE',
      'inner',
      'outer 200',
    ]);
    expect(lines.filter((l) => l.includes('key is'))).toEqual([
      '[msgbatch] key is [redacted]',
      '[msgbatch] key is [redacted]',
    ]);
  });

  it('defaultQuery is added to every request', async () => {
    const { fetch, sent } = recording(() =>
      Response.json({ id: 'msgbatch_x', type: 'message_batch_deleted' }),
    );
    const client = new Anthropic({
      apiKey: 'k',
      baseURL: BASE,
      fetch,
      defaultQuery: { beta: 'true', gone: undefined },
    });
    await client.messages.batches.delete('msgbatch_x');
    expect(new URL(sent[0]!.url).search).toBe('?beta=true');
  });
});
